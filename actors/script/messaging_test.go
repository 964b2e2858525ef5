package script

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

func TestMessageChannelInOneRealm(t *testing.T) {
	e := newEnv(t)
	e.window(`
		const ch = new MessageChannel();
		ch.port2.onmessage = (ev) => {
			console.log("port2 got", JSON.stringify(ev.data), ev.isTrusted, ev.target === ch.port2, ev.ports.length, ev.origin === "", ev.source);
			ev.target.postMessage({echo: ev.data});
		};
		ch.port1.addEventListener("message", (ev) => {
			console.log("port1 got", JSON.stringify(ev.data));
			ch.port1.close();
		});
		ch.port1.start();
		ch.port2.addEventListener("close", (ev) => console.log("port2 close", ev.type, ev.isTrusted));
		ch.port1.postMessage({n: 1, s: "x", a: [true, null]});
	`)
	e.expect(`port2 got {"n":1,"s":"x","a":[true,null]} true true 0 true null`, `port1 got {"echo":{"n":1,"s":"x","a":[true,null]}}`, "port2 close close true")
	e.noMore()
}

func TestMessagesNotDeliveredBeforeStart(t *testing.T) {
	e := newEnv(t)
	pid := e.window(`
		globalThis.ch = new MessageChannel();
		ch.port2.addEventListener("message", (ev) => console.log("got", ev.data));
		ch.port1.postMessage(1);
	`)
	e.quiet()
	_, err := e.eval(pid, `ch.port2.start()`)
	require.NoError(t, err)
	e.expect("got 1")
	e.noMore()
}

// Two JavaScript windows share a channel a Go bridge made, and then one
// of them hands the other a port of its own.
func TestChannelBetweenTwoRealms(t *testing.T) {
	e := newEnv(t)
	a := e.window(`
		onmessage = (ev) => {
			const link = ev.ports[0];
			const mine = new MessageChannel();
			mine.port1.onmessage = (m) => console.log("A got on its own channel:", m.data);
			link.postMessage({hello: "from A"}, [mine.port2]);
		};
	`)
	b := e.window(`
		onmessage = (ev) => {
			ev.ports[0].onmessage = (m) => {
				console.log("B got", JSON.stringify(m.data), m.ports.length);
				m.ports[0].postMessage("over the transferred port");
			};
		};
	`)
	bridge, err := e.plugin.NewBridge(origin.MustParse("https://test.example"))
	require.NoError(t, err)
	defer func() { _ = bridge.Close(e.ctx()) }()
	require.NoError(t, bridge.Do(e.ctx(), func(ctx actor.Context) error {
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			return err
		}
		if err := ports.PostTo(ctx, b, "link", ch.Port2); err != nil {
			return err
		}
		return ports.PostTo(ctx, a, "link", ch.Port1)
	}))
	e.expect(`B got {"hello":"from A"} 1`, "A got on its own channel: over the transferred port")
	e.noMore()
}

type reading struct {
	Name  string
	Value int
}

// A Go window hands a port to a JavaScript worker: a struct and an int
// from Go arrive as a plain object and a Number; the worker answers.
func TestGoWindowToJSWorker(t *testing.T) {
	e := newEnv(t)
	got := make(chan any, 8)
	e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", `
				console.log("worker global:", self instanceof DedicatedWorkerGlobalScope, typeof window, location.origin);
				onmessage = (ev) => {
					const port = ev.ports[0];
					port.onmessage = (m) => {
						const d = m.data;
						port.postMessage(typeof d === "object" ? {sum: d.Value * 2, name: d.Name, keys: Object.keys(d).join()} : {type: typeof d, n: d + 1});
					};
				};
			`))
			require.NoError(t, err)
			ch, err := ports.NewMessageChannel(ctx)
			require.NoError(t, err)
			require.NoError(t, ch.Port1.Start(ctx))
			require.NoError(t, w.PostMessage(ctx, "port", ch.Port2))
			require.NoError(t, ch.Port1.PostMessage(ctx, reading{Name: "t", Value: 21}))
			require.NoError(t, ch.Port1.PostMessage(ctx, 41))
		case *ports.MessageEvent:
			got <- m.Data
		}
	}))
	e.expect("worker global: true undefined https://test.example")
	first := (<-got)
	o, ok := first.(interface{ Get(string) (any, bool) })
	require.True(t, ok, "%T", first)
	sum, _ := o.Get("sum")
	name, _ := o.Get("name")
	keys, _ := o.Get("keys")
	require.Equal(t, []any{42.0, "t", "Name,Value"}, []any{sum, name, keys})
	second := (<-got).(interface{ Get(string) (any, bool) })
	typ, _ := second.Get("type")
	n, _ := second.Get("n")
	require.Equal(t, []any{"number", 42.0}, []any{typ, n})
	e.noMore()
}

// A JavaScript iframe hands a port to its Go parent, which passes it on
// to a Go worker: the Go worker and the JavaScript page talk.
func TestJSPageToGoWorker(t *testing.T) {
	e := newEnv(t)
	e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			_, err := CreateIFrame(ctx, origin.MustParse("https://frame.example"), actors.IFrameOptions{}, Code("frame.js", `
				const ch = new MessageChannel();
				ch.port1.onmessage = (ev) => console.log("page got", JSON.stringify(ev.data));
				parent.postMessage("take this", "https://test.example", [ch.port2]);
				ch.port1.postMessage({from: "page", n: 1});
			`))
			require.NoError(t, err)
		case *ports.MessageEvent:
			if m.Data == "take this" {
				require.Len(t, m.Ports, 1)
				w, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
					if ev, ok := ctx.Message().(*ports.MessageEvent); ok {
						if len(ev.Ports) == 1 {
							p := ev.Ports[0]
							require.NoError(t, p.OnMessage(ctx, func(ctx actor.Context, msg *ports.MessageEvent) {
								require.NoError(t, p.PostMessage(ctx, map[string]any{"worker saw": msg.Data}))
							}))
						}
					}
				}), actors.WorkerOptions{})
				require.NoError(t, err)
				require.NoError(t, w.PostMessage(ctx, nil, m.Ports[0]))
			}
		}
	}))
	e.expect(`page got {"worker saw":{"from":"page","n":1}}`)
	e.noMore()
}

func TestWindowPostMessageToSelf(t *testing.T) {
	e := newEnv(t)
	e.window(`
		onmessage = (ev) => console.log("got", ev.data, ev.origin, ev.source === window, ev.isTrusted, ev.ports.length);
		postMessage("star", "*");
		postMessage("slash", "/");
		postMessage("options", {targetOrigin: "https://test.example"});
		postMessage("default");
		postMessage("elsewhere", "https://other.example");
		const ch = new MessageChannel();
		window.postMessage("with a port", "*", [ch.port1]);
	`)
	e.expect(
		"got star https://test.example true true 0",
		"got slash https://test.example true true 0",
		"got options https://test.example true true 0",
		"got default https://test.example true true 0",
		"got with a port https://test.example true true 1",
	)
	e.noMore()
}

func TestWorkerClose(t *testing.T) {
	e := newEnv(t)
	got := make(chan any, 4)
	e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", `
				onmessage = (ev) => { postMessage("bye " + ev.data); close(); postMessage("after close, same task"); };
			`))
			require.NoError(t, err)
			require.NoError(t, w.PostMessage(ctx, "one"))
			require.NoError(t, w.PostMessage(ctx, "two"))
		case *ports.MessageEvent:
			got <- m.Data
		}
	}))
	require.Equal(t, "bye one", <-got)
	require.Equal(t, "after close, same task", <-got)
	e.quiet()
	require.Empty(t, got)
	require.Equal(t, 1, e.plugin.Contexts())
}

// A dedicated worker's uncaught exception reaches a Go creator as an
// actors.ErrorEvent whose Err is a *ScriptError, unless the worker
// cancels it.
func TestWorkerErrorReachesCreator(t *testing.T) {
	e := newEnv(t)
	errs := make(chan error, 4)
	e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			_, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", `
				addEventListener("error", (ev) => { if (ev.message.includes("quiet")) ev.preventDefault(); });
				setTimeout(() => { throw new Error("quiet") });
				setTimeout(() => { throw new Error("loud") }, 1);
			`))
			require.NoError(t, err)
		case *actors.ErrorEvent:
			if m.Worker != nil {
				errs <- m.Err
				m.PreventDefault()
			}
		}
	}))
	err := <-errs
	var se *ScriptError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "Uncaught Error: loud", se.Message)
	require.Equal(t, "worker.js", se.Filename)
	e.expectPrefix("ERROR Uncaught Error: loud")
	e.noMore()
	require.Empty(t, errs)
}

// Under CloseEventsNone a MessagePort has no onclose, as in the engines
// that do not ship the close event.
func TestNoCloseEventsMode(t *testing.T) {
	e := newEnvWith(t, []actors.Option{actors.WithPortOptions(ports.WithCloseEvents(ports.CloseEventsNone))})
	pid := e.window()
	v, err := e.eval(pid, `"onclose" in MessagePort.prototype`)
	require.NoError(t, err)
	require.Equal(t, false, v)
}

// Data the realm cannot rebuild is a messageerror where the message would
// have gone; the next message still arrives.
func TestMessageError(t *testing.T) {
	e := newEnv(t)
	e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			w, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", `
				onmessageerror = (ev) => console.log("messageerror", ev.data, ev.isTrusted, ev instanceof MessageEvent);
				onmessage = (ev) => console.log("message", ev.data);
			`))
			require.NoError(t, err)
			require.NoError(t, w.PostMessage(ctx, complex(1, 2)))
			require.NoError(t, w.PostMessage(ctx, "fine"))
		}
	}))
	e.expect("messageerror null true true", "message fine")
	e.noMore()
}

// Under CloseEventsBoth the port that closes gets its close event too.
func TestCloseEventsBothMode(t *testing.T) {
	e := newEnvWith(t, []actors.Option{actors.WithPortOptions(ports.WithCloseEvents(ports.CloseEventsBoth))})
	e.window(`
		const ch = new MessageChannel();
		ch.port1.onclose = () => console.log("port1 close");
		ch.port2.onclose = () => console.log("port2 close");
		ch.port1.start(); ch.port2.start();
		ch.port1.close();
	`)
	got := []string{e.next(), e.next()}
	require.ElementsMatch(t, []string{"port1 close", "port2 close"}, got)
	e.noMore()
}
