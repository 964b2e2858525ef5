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
		msg, one, emp := r.rt.ToValue("message"), r.rt.ToValue(1), r.rt.ToValue("")
		b.ResetTimer()
		for range b.N {
			r.nested(func() {
				ev, _ := r.agentEvent(r.js.messageEvent, msg, one, emp, goja.Null(), goja.Undefined(), r.now())
				r.js.uaFire(goja.Undefined(), r.global, ev)
			})
		}
		return nil
	})
}
