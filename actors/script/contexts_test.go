package script

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

// A JavaScript window and its JavaScript iframe talk through parent and
// event.source, each a window proxy.
func TestIFrameAndParent(t *testing.T) {
	e := newEnv(t)
	page := e.window(`
		onmessage = (ev) => {
			console.log("page got", ev.data, ev.origin, ev.source !== window, Object.prototype.toString.call(ev.source));
			ev.source.postMessage("welcome", ev.origin);
		};
	`)
	e.run(page, func(ctx actor.Context) error {
		_, err := CreateIFrame(ctx, origin.MustParse("https://frame.example"), actors.IFrameOptions{}, Code("frame.js", `
			onmessage = (ev) => console.log("frame got", ev.data, ev.origin, ev.source === parent, parent === top, parent !== window);
			try { parent.postMessage("x", "nope") } catch (e) { console.log(e.name) }
			parent.postMessage("hello", "*");
		`))
		return err
	})
	e.expect("SyntaxError", "page got hello https://frame.example true [object Window]", "frame got welcome https://test.example true true true")
	e.noMore()
}

// A shared worker gets a connect event per connection and talks over its
// port.
func TestSharedWorker(t *testing.T) {
	e := newEnv(t)
	got := make(chan any, 4)
	src := Code("shared.js", `
		let n = 0;
		onconnect = (ev) => {
			n++;
			const port = ev.ports[0];
			console.log("connect", ev.source === port, ev.data === "", self instanceof SharedWorkerGlobalScope, name, location.pathname);
			port.postMessage("you are " + n);
		};
	`)
	for range 2 {
		e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *actor.Started:
				sw, err := NewSharedWorker(ctx, "shared.js", "counter", src)
				require.NoError(t, err)
				require.NoError(t, sw.Port.Start(ctx))
			case *ports.MessageEvent:
				got <- m.Data
			}
		}))
	}
	e.expect("connect true true true counter /shared.js", "connect true true true counter /shared.js")
	answers := []any{<-got, <-got}
	assert.ElementsMatch(t, []any{"you are 1", "you are 2"}, answers)
	e.noMore()
}

// What the conformance runner reads of a realm.
func TestInspect(t *testing.T) {
	e := newEnv(t)
	pid := e.window(`globalThis.iv = setInterval(() => {}, 100000); setTimeout(() => {}, 100000);`)
	e.quiet()
	e.run(pid, func(ctx actor.Context) error {
		r := realmOf(ctx)
		assert.Equal(t, 2, r.pendingTimers())
		assert.True(t, r.busy())
		return nil
	})
	_, err := e.eval(pid, `clearInterval(iv)`)
	require.NoError(t, err)
	e.run(pid, func(ctx actor.Context) error {
		realmOf(ctx).load(Code("more.js", `queueMicrotask(() => console.log("micro")); console.log("one")`), Code("more2.js", `console.log("two")`))
		return nil
	})
	e.expect("one", "two", "micro")
	e.run(pid, func(ctx actor.Context) error {
		assert.Equal(t, 1, realmOf(ctx).pendingTimers())
		assert.Empty(t, realmOf(ctx).errorReports())
		return nil
	})
}

// A dedicated worker's uncaught exception reaches a script creator as an
// error event at its global.
func TestWorkerErrorAtScriptCreator(t *testing.T) {
	e := newEnv(t)
	page := e.window(`addEventListener("error", (ev) => { console.log("page saw", ev.message); ev.preventDefault(); });`)
	e.run(page, func(ctx actor.Context) error {
		_, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", `throw new TypeError("in the worker")`))
		return err
	})
	e.expectPrefix("ERROR Uncaught TypeError: in the worker")
	e.expect("page saw Uncaught TypeError: in the worker")
	e.noMore()
}

// An uncaught exception in a worker's message listener goes to the
// creator, and the messages after it still arrive.
func TestWorkerErrorInMessageBurst(t *testing.T) {
	e := newEnv(t)
	errs := make(chan error, 8)
	e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", `
				onmessage = (ev) => { if (ev.data % 2 === 0) throw new Error("even " + ev.data); console.log("odd", ev.data); };
			`))
			require.NoError(t, err)
			for i := 1; i <= 5; i++ {
				require.NoError(t, w.PostMessage(ctx, i))
			}
		case *actors.ErrorEvent:
			if m.Worker != nil {
				errs <- m.Err
			}
		}
	}))
	e.expect("odd 1")
	e.expectPrefix("ERROR Uncaught Error: even 2 (worker.js:")
	e.expect("odd 3")
	e.expectPrefix("ERROR Uncaught Error: even 4 (worker.js:")
	e.expect("odd 5")
	for range 2 {
		var se *ScriptError
		require.ErrorAs(t, <-errs, &se)
	}
	e.noMore()
}
