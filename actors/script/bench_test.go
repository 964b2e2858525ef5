package script

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
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

// BenchmarkBurstGoToJS posts b.N messages {i} from a Go window to a
// JavaScript worker and waits for the last.
func BenchmarkBurstGoToJS(b *testing.B) {
	e := newEnv(b)
	type msg struct{ I int }
	e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			w, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", fmt.Sprintf(`
				onmessage = (ev) => { if (ev.data.I === %d) console.log("done"); };
			`, b.N-1)))
			if err != nil {
				b.Error(err)
				return
			}
			for i := range b.N {
				_ = w.PostMessage(ctx, msg{I: i})
			}
		}
	}))
	e.expect("done")
}

// BenchmarkBurstJSToJS posts b.N messages {i} from one JavaScript window
// to another over a channel and waits for the last.
func BenchmarkBurstJSToJS(b *testing.B) {
	e := newEnv(b)
	recv := e.window(fmt.Sprintf(`onmessage = (ev) => { ev.ports[0].onmessage = (m) => { if (m.data.i === %d) console.log("done"); }; };`, b.N-1))
	send := e.window(`onmessage = (ev) => { globalThis.port = ev.ports[0]; };`)
	bridge, err := e.plugin.NewBridge(origin.MustParse("https://test.example"))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = bridge.Close(e.ctx()) }()
	if err := bridge.Do(e.ctx(), func(ctx actor.Context) error {
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			return err
		}
		if err := ports.PostTo(ctx, recv, nil, ch.Port2); err != nil {
			return err
		}
		return ports.PostTo(ctx, send, nil, ch.Port1)
	}); err != nil {
		b.Fatal(err)
	}
	e.quiet()
	b.ResetTimer()
	if _, err := e.eval(send, fmt.Sprintf(`for (let i = 0; i < %d; i++) port.postMessage({i})`, b.N)); err != nil {
		b.Fatal(err)
	}
	e.expect("done")
}

// BenchmarkBurstGoToJSPort is S9's Go to JS row: a Go window posts b.N
// maps {"i": i} on its end of a channel whose other end a script window
// holds, which reads data.i of each and says when it has the last.
func BenchmarkBurstGoToJSPort(b *testing.B) {
	b.Run("onmessage", func(b *testing.B) {
		burstGoToJSPort(b, `ev.ports[0].onmessage = (m) => { if (m.data.i === %d) console.log("done"); };`)
	})
	b.Run("addEventListener", func(b *testing.B) {
		burstGoToJSPort(b, `const p = ev.ports[0]; p.addEventListener("message", (m) => { if (m.data.i === %d) console.log("done"); }); p.start();`)
	})
}

// burstGoToJSPort runs BenchmarkBurstGoToJSPort with the receiver's
// listener set up by listen (a format with the last index).
func burstGoToJSPort(b *testing.B, listen string) {
	e := newEnv(b)
	recv := e.window(`onmessage = (ev) => { ` + fmt.Sprintf(listen, b.N-1) + ` };`)
	bridge, err := e.plugin.NewBridge(origin.MustParse("https://test.example"))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = bridge.Close(e.ctx()) }()
	var port *ports.MessagePort
	if err := bridge.Do(e.ctx(), func(ctx actor.Context) error {
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			return err
		}
		port = ch.Port1
		return ports.PostTo(ctx, recv, nil, ch.Port2)
	}); err != nil {
		b.Fatal(err)
	}
	e.quiet()
	b.ReportAllocs()
	b.ResetTimer()
	if err := bridge.Do(e.ctx(), func(ctx actor.Context) error {
		for i := range b.N {
			if err := port.PostMessage(ctx, map[string]any{"i": i}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	e.expect("done")
}
