package script

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A message event at a target whose only message listener is its
// onmessage is dispatched from Go (handler.go); these cases change a
// port's and the global's listeners between messages and check that
// what runs is what the DOM's dispatch would run. Each step is evaluated
// once the one before has been delivered.
func TestOnlyHandlerDispatch(t *testing.T) {
	const setup = `
		globalThis.log = (...a) => console.log(a.join(" "));
		globalThis.ch = new MessageChannel();
		globalThis.p2 = ch.port2;
		globalThis.send = (v) => ch.port1.postMessage(v);
	`
	cases := []struct {
		name  string
		steps []string
		want  []string
	}{
		{
			name: "one listener added with addEventListener, then removed, then a handleEvent object",
			steps: []string{
				`globalThis.l = function (e) { log("l", e.data, this === p2, e.currentTarget === p2); }; p2.addEventListener("message", l); p2.start(); send(1)`,
				`p2.removeEventListener("message", l); send(2)`,
				`globalThis.o = { handleEvent(e) { log("object", e.data, this === o); } }; p2.addEventListener("message", o); send(3)`,
				`o.handleEvent = (e) => log("replaced method", e.data); send(4)`,
			},
			want: []string{"l 1 true true", "object 3 true", "replaced method 4"},
		},
		{
			name: "a passive or capture listener alone runs as the DOM says",
			steps: []string{
				`p2.addEventListener("message", (e) => { e.preventDefault(); log("passive", e.data, e.defaultPrevented); }, {passive: true}); p2.start(); send(1)`,
			},
			want: []string{"passive 1 false"},
		},
		{
			name:  "a replaced handler: the new one runs",
			steps: []string{`p2.onmessage = (e) => log("a", e.data); p2.onmessage = (e) => log("b", e.data); send(1)`},
			want:  []string{"b 1"},
		},
		{
			name: "a listener added after the handler: both, in order",
			steps: []string{
				`p2.onmessage = (e) => log("h", e.data); send(1)`,
				`p2.addEventListener("message", (e) => log("l", e.data)); send(2)`,
			},
			want: []string{"h 1", "h 2", "l 2"},
		},
		{
			name: "a listener added before the handler runs first",
			steps: []string{
				`p2.addEventListener("message", (e) => log("l", e.data)); p2.onmessage = (e) => log("h", e.data); send(1)`,
			},
			want: []string{"l 1", "h 1"},
		},
		{
			name: "the other listener removed: the handler alone again",
			steps: []string{
				`globalThis.l = (e) => log("l", e.data); p2.addEventListener("message", l); p2.onmessage = (e) => log("h", e.data); send(1)`,
				`p2.removeEventListener("message", l); send(2)`,
			},
			want: []string{"l 1", "h 1", "h 2"},
		},
		{
			name: "a once listener runs once, then the handler alone",
			steps: []string{
				`p2.addEventListener("message", (e) => log("once", e.data), {once: true}); p2.onmessage = (e) => log("h", e.data); send(1)`,
				`send(2)`,
			},
			want: []string{"once 1", "h 1", "h 2"},
		},
		{
			name: "a listener of another type changes nothing",
			steps: []string{
				`p2.addEventListener("messageerror", () => log("wrong")); p2.onmessage = (e) => log("h", e.data); send(1)`,
			},
			want: []string{"h 1"},
		},
		{
			name: "a capture listener of the type runs first",
			steps: []string{
				`p2.onmessage = (e) => log("h", e.data); p2.addEventListener("message", (e) => log("capture", e.data), true); send(1)`,
			},
			want: []string{"capture 1", "h 1"},
		},
		{
			name: "a handler set to null and back",
			steps: []string{
				`p2.onmessage = (e) => log("first", e.data); send(1)`,
				`p2.onmessage = null; send(2)`,
				`p2.onmessage = (e) => log("again", e.data); send(3)`,
			},
			want: []string{"first 1", "again 3"},
		},
		{
			name: "a handler that is an object, not a function, runs nothing",
			steps: []string{
				`p2.onmessage = { handleEvent: () => log("wrong") }; send(1)`,
				`p2.onmessage = (e) => log("fn", e.data); send(2)`,
			},
			want: []string{"fn 2"},
		},
		{
			name: "this, the event, and the event once the dispatch ended",
			steps: []string{`p2.onmessage = function (e) {
				log(this === p2, e.target === p2, e.currentTarget === p2, e.eventPhase, e.isTrusted, e instanceof MessageEvent, e.data.k);
				queueMicrotask(() => log(e.currentTarget === null, e.eventPhase, e.target === p2, e.data.k));
				globalThis.kept = e;
			}; send({k: "v"})`,
				`log(kept.data.k, kept.origin === "", kept.ports.length, kept.defaultPrevented)`,
			},
			want: []string{"true true true 2 true true v", "true 0 true v", "v true 0 false"},
		},
		{
			name: "the data getter: its name, and receivers other than the event being dispatched",
			steps: []string{`p2.onmessage = (e) => {
				const get = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data").get;
				let thrown = "none";
				try { get.call(Object.create(e)); } catch (x) { thrown = x.constructor.name; }
				const other = new MessageEvent("message", {data: "mine"});
				log(get.name, get.length, e.data, get.call(e), other.data, thrown, String(get.call(new MessageEvent("x"))));
			}; send("sent")`},
			want: []string{"get data 0 sent sent mine TypeError null"},
		},
		{
			name: "returning false cancels nothing",
			steps: []string{
				`p2.onmessage = (e) => { globalThis.kept = e; return false; }; send(1)`,
				`log(kept.defaultPrevented, kept.cancelable)`,
			},
			want: []string{"false false"},
		},
		{
			name: "an exception is reported before the handler's microtasks; the next message is delivered",
			steps: []string{
				`addEventListener("error", (e) => log("error", e.error.message));
				p2.onmessage = (e) => { queueMicrotask(() => log("micro", e.data)); if (e.data === 1) throw new Error("boom"); log("h", e.data); };
				send(1); send(2)`,
			},
			want: []string{"error boom", "ERROR Uncaught Error: boom (eval:2:97)", "micro 1", "h 2", "micro 2"},
		},
		{
			name: "the global's onmessage, then a listener beside it",
			steps: []string{
				`onmessage = (e) => log("global", e.data, e.source === window); postMessage(1, "*")`,
				`addEventListener("message", (e) => log("l", e.data)); postMessage(2, "*")`,
			},
			want: []string{"global 1 true", "global 2 true", "l 2"},
		},
		{
			name: "a handler changed from inside the dispatch: the next message runs the new one",
			steps: []string{
				`p2.onmessage = (e) => { log("old", e.data); p2.onmessage = (e) => log("new", e.data); }; send(1); send(2)`,
			},
			want: []string{"old 1", "new 2"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			pid := e.window(setup)
			e.quiet()
			for _, step := range c.steps {
				_, err := e.eval(pid, step)
				require.NoError(t, err, step)
				e.quiet()
			}
			e.expect(c.want...)
			e.noMore()
		})
	}
}
