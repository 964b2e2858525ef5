package script

import (
	"fmt"
	"testing"
)

// BenchmarkBurstOneRealm posts b.N messages {i} over a MessageChannel
// whose two ports are in one realm and waits for the last.
func BenchmarkBurstOneRealm(b *testing.B) {
	e := newEnv(b)
	pid := e.window(`
		globalThis.ch = new MessageChannel();
		ch.port2.onmessage = (ev) => { if (ev.data.last) console.log("done"); };
	`)
	e.quiet()
	b.ResetTimer()
	_, err := e.eval(pid, fmt.Sprintf(`for (let i = 0; i < %d; i++) ch.port1.postMessage({i, last: i === %d})`, b.N, b.N-1))
	if err != nil {
		b.Fatal(err)
	}
	e.expect("done")
}
