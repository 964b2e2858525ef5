package script

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/dop251/goja"
)

// BenchmarkMessageTask measures the engine's part of a message task: the
// event made and dispatched to an onmessage handler that reads data.
func BenchmarkMessageTask(b *testing.B) {
	e := newEnv(b)
	pid := e.window(`onmessage = (ev) => { if (ev.data === -1) console.log("x") }`)
	e.quiet()
	e.run(pid, func(ctx actor.Context) error {
		r := realmOf(ctx)
		one := r.rt.ToValue(1)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			r.nested(func() { r.messageInline(r.global, one, "", goja.Null(), nil) })
		}
		return nil
	})
}
