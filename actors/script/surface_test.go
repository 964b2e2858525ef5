package script

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The web surface's synchronous semantics, each case an expression whose
// value is checked.
func TestSurface(t *testing.T) {
	e := newEnv(t)
	pid := e.window()
	cases := []struct {
		name, code string
		want       any
	}{
		// EventTarget: the listener list.
		{"duplicates ignored", `{ const t = new EventTarget(); let n = 0; const f = () => n++;
			t.addEventListener("x", f); t.addEventListener("x", f); t.addEventListener("x", f, {capture: false});
			t.dispatchEvent(new Event("x")); n }`, 1.0},
		{"capture is part of the identity", `{ const t = new EventTarget(); let n = 0; const f = () => n++;
			t.addEventListener("x", f); t.addEventListener("x", f, true); t.dispatchEvent(new Event("x")); n }`, 2.0},
		{"capture listeners first at the target", `{ const t = new EventTarget(); const o = [];
			t.addEventListener("x", () => o.push("bubble")); t.addEventListener("x", () => o.push("capture"), true);
			t.dispatchEvent(new Event("x")); o.join() }`, "capture,bubble"},
		{"once", `{ const t = new EventTarget(); let n = 0; t.addEventListener("x", () => n++, {once: true});
			t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x")); n }`, 1.0},
		{"removal during dispatch", `{ const t = new EventTarget(); const o = [];
			const b = () => o.push("b"); t.addEventListener("x", () => { o.push("a"); t.removeEventListener("x", b); });
			t.addEventListener("x", b); t.dispatchEvent(new Event("x")); o.join() }`, "a"},
		{"added during dispatch not run", `{ const t = new EventTarget(); const o = [];
			t.addEventListener("x", () => { o.push("a"); t.addEventListener("x", () => o.push("late")); });
			t.dispatchEvent(new Event("x")); o.join() }`, "a"},
		{"handleEvent object", `{ const t = new EventTarget(); const h = { n: 0, handleEvent(ev) { this.n++; this.self = this; } };
			t.addEventListener("x", h); t.dispatchEvent(new Event("x")); h.n === 1 && h.self === h }`, true},
		{"stopImmediatePropagation", `{ const t = new EventTarget(); let n = 0;
			t.addEventListener("x", (ev) => { n++; ev.stopImmediatePropagation(); }); t.addEventListener("x", () => n++);
			t.dispatchEvent(new Event("x")); n }`, 1.0},
		{"stopPropagation in capture stops bubble listeners", `{ const t = new EventTarget(); const o = [];
			t.addEventListener("x", (ev) => { o.push("c"); ev.stopPropagation(); }, true); t.addEventListener("x", () => o.push("b"));
			t.dispatchEvent(new Event("x")); o.join() }`, "c"},
		{"preventDefault and the result", `{ const t = new EventTarget(); t.addEventListener("x", (ev) => ev.preventDefault());
			[t.dispatchEvent(new Event("x")), t.dispatchEvent(new Event("x", {cancelable: true}))].join() }`, "true,false"},
		{"passive ignores preventDefault", `{ const t = new EventTarget(); t.addEventListener("x", (ev) => ev.preventDefault(), {passive: true});
			t.dispatchEvent(new Event("x", {cancelable: true})) }`, true},
		{"target, currentTarget, eventPhase", `{ const t = new EventTarget(); let s; const ev = new Event("x");
			t.addEventListener("x", (e) => { s = [e.target === t, e.currentTarget === t, e.eventPhase, e.composedPath()[0] === t].join(); });
			t.dispatchEvent(ev); s + "|" + [ev.eventPhase, ev.currentTarget, ev.target === t].join() }`, "true,true,2,true|0,,true"},
		{"redispatch while dispatching", `{ const t = new EventTarget(); let name;
			t.addEventListener("x", (ev) => { try { t.dispatchEvent(ev) } catch (err) { name = err.name } });
			t.dispatchEvent(new Event("x")); name }`, "InvalidStateError"},
		{"null listener ignored", `{ const t = new EventTarget(); t.addEventListener("x", null); t.dispatchEvent(new Event("x")) }`, true},
		{"brand check", `{ try { EventTarget.prototype.addEventListener.call({}, "x", () => {}); "no" } catch (err) { err instanceof TypeError } }`, true},

		// Event.
		{"isTrusted own unforgeable", `{ const ev = new Event("x"); const d = Object.getOwnPropertyDescriptor(ev, "isTrusted");
			[ev.isTrusted, typeof d.get, d.configurable, Object.getOwnPropertyDescriptor(new Event("y"), "isTrusted").get === d.get].join() }`, "false,function,false,true"},
		{"event constants", `[Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, new Event("x").AT_TARGET].join()`, "0,1,2,3,2"},
		{"event needs new and a type", `{ const r = []; try { Event("x") } catch (e) { r.push(e instanceof TypeError) } try { new Event() } catch (e) { r.push(e instanceof TypeError) } r.join() }`, "true,true"},
		{"timeStamp", `typeof new Event("x").timeStamp`, "number"},

		// DOMException.
		{"DOMException basics", `{ const e = new DOMException("m", "DataCloneError");
			[e.name, e.message, e.code, e.DATA_CLONE_ERR, DOMException.INVALID_STATE_ERR, e instanceof Error, e.hasOwnProperty("message"), Object.prototype.toString.call(e)].join() }`,
			"DataCloneError,m,25,25,11,true,false,[object DOMException]"},
		{"DOMException defaults", `{ const e = new DOMException(); [e.name, e.message, e.code, String(e)].join("|") }`, "Error||0|Error"},
		{"DOMException unknown name code 0", `new DOMException("x", "NotReadableError").code`, 0.0},

		// MessageEvent.
		{"MessageEvent defaults", `{ const e = new MessageEvent("message"); [e.data, e.origin === "", e.lastEventId === "", e.source, Array.isArray(e.ports), Object.isFrozen(e.ports), e.ports === e.ports, e.isTrusted].join() }`,
			",true,true,,true,true,true,false"},
		{"MessageEvent init", `{ const ch = new MessageChannel(); const e = new MessageEvent("message", {data: 5, origin: "o", lastEventId: "l", source: ch.port1, ports: [ch.port2]});
			[e.data, e.origin, e.lastEventId, e.source === ch.port1, e.ports[0] === ch.port2, e.ports.length].join() }`, "5,o,l,true,true,1"},
		{"MessageEvent bad ports", `{ try { new MessageEvent("message", {ports: [1]}); "no" } catch (e) { e instanceof TypeError } }`, true},
		{"initMessageEvent", `{ const e = new MessageEvent("x"); e.initMessageEvent("message", false, true, "d", "o", "l", null, []);
			[e.type, e.cancelable, e.data, e.origin, e.lastEventId].join() }`, "message,true,d,o,l"},
		{"initMessageEvent needs a type", `{ try { new MessageEvent("x").initMessageEvent(); "no" } catch (e) { e instanceof TypeError } }`, true},
		{"no vendor initMessageEvent", `"webkitInitMessageEvent" in MessageEvent.prototype`, false},
		{"ErrorEvent", `{ const e = new ErrorEvent("error", {message: "m", lineno: 3, error: 1}); [e.message, e.lineno, e.colno, e.filename, e.error].join() }`, "m,3,0,,1"},
		{"PromiseRejectionEvent needs promise", `{ try { new PromiseRejectionEvent("x", {}); "no" } catch (e) { e instanceof TypeError } }`, true},

		// MessagePort and MessageChannel.
		{"MessagePort illegal constructor", `{ try { new MessagePort(); "no" } catch (e) { e instanceof TypeError && e.message === "Illegal constructor" } }`, true},
		{"postMessage brand check", `{ try { MessagePort.prototype.postMessage.call({}, 1); "no" } catch (e) { e instanceof TypeError } }`, true},
		{"own port in transfer", `{ const ch = new MessageChannel(); try { ch.port1.postMessage(1, [ch.port1]); "no" } catch (e) { e.name } }`, "DataCloneError"},
		{"port listed twice", `{ const ch = new MessageChannel(); const c2 = new MessageChannel(); try { ch.port1.postMessage(1, [c2.port1, c2.port1]); "no" } catch (e) { e.name } }`, "DataCloneError"},
		{"detached port in transfer", `{ const ch = new MessageChannel(); const c2 = new MessageChannel(); ch.port1.postMessage(1, [c2.port1]);
			try { ch.port1.postMessage(1, {transfer: [c2.port1]}); "no" } catch (e) { e.name } }`, "DataCloneError"},
		{"function not cloneable", `{ const ch = new MessageChannel(); try { ch.port1.postMessage(() => 1); "no" } catch (e) { e.name + " " + (e instanceof DOMException) } }`, "DataCloneError true"},
		{"transfer must be a sequence", `{ const ch = new MessageChannel(); try { ch.port1.postMessage(1, 5); "no" } catch (e) { e instanceof TypeError } }`, true},
		{"port1 and port2 stable", `{ const ch = new MessageChannel(); ch.port1 === ch.port1 && ch.port1 !== ch.port2 && ch.port1 instanceof EventTarget }`, true},
		{"onmessage getter", `{ const ch = new MessageChannel(); const f = () => {}; ch.port1.onmessage = f; const a = ch.port1.onmessage === f; ch.port1.onmessage = 5; a && ch.port1.onmessage === null }`, true},
		{"close is idempotent", `{ const ch = new MessageChannel(); ch.port1.close(); ch.port1.close(); ch.port1.postMessage(1); true }`, true},

		// structuredClone.
		{"structuredClone plain", `{ const v = {a: [1, "x", {b: null}]}; const c = structuredClone(v); c !== v && JSON.stringify(c) === JSON.stringify(v) }`, true},
		{"structuredClone transfers a port", `{ const ch = new MessageChannel(); const c = structuredClone(1, {transfer: [ch.port1]});
			try { structuredClone(1, {transfer: [ch.port1]}); "no" } catch (e) { e.name } }`, "DataCloneError"},
		{"structuredClone needs an argument", `{ try { structuredClone(); "no" } catch (e) { e instanceof TypeError } }`, true},
		{"an error's message goes through ToString", `{ const e = new Error("x"); e.message = Symbol("s"); let r; try { structuredClone(e); r = "no"; } catch (x) { r = x instanceof TypeError; }
			const o = new Error("y"); o.message = {toString() { return "from toString"; }, valueOf() { return "from valueOf"; }};
			[r, structuredClone(o).message].join() }`, "true,from toString"},

		// The global.
		{"window names", `[window === self, globalThis === self, parent === window, top === window, frames === window].join()`, "true,true,true,true,true"},
		{"window prototype chain", `[self instanceof Window, self instanceof EventTarget, typeof DedicatedWorkerGlobalScope].join()`, "true,true,undefined"},
		{"location", `[location.href, location.origin, location.protocol, location.host, location.hostname, location.port, location.pathname, location.search, location.hash, String(location)].join("|")`,
			"https://test.example/|https://test.example|https:|test.example|test.example||/|||https://test.example/"},
		{"no host object reachable", `[typeof host, typeof internal].join()`, "undefined,undefined"},
		{"global handlers", `{ const f = () => {}; onmessage = f; const a = onmessage === f; onmessage = null; a && onmessage === null && "onerror" in self && "onunhandledrejection" in self }`, true},
		{"strict scripts assign global handlers", `(function () { "use strict"; onmessage = () => {}; onmessage = null; return Object.getOwnPropertyDescriptor(self, "onmessage").enumerable })()`, true},
		{"global members are own", `["postMessage", "close", "onerror"].every((k) => Object.prototype.hasOwnProperty.call(self, k))`, true},
		{"legacy accessor methods", `{ const o = {}; o.__defineGetter__("a", () => 2); o.__defineSetter__("b", function (v) { this.c = v; }); o.b = 3;
			[o.a, o.c, typeof o.__lookupGetter__("a"), o.__lookupSetter__("a"), Object.prototype.propertyIsEnumerable.call(Object.prototype, "__defineGetter__")].join() }`, "2,3,function,,false"},
		{"bare addEventListener", `{ let n = 0; addEventListener("custom", () => n++); dispatchEvent(new Event("custom")); n }`, 1.0},
		{"queueMicrotask needs a function", `{ try { queueMicrotask(1); "no" } catch (e) { e instanceof TypeError } }`, true},
		{"invalid targetOrigin", `{ try { postMessage(1, "not a url"); "no" } catch (e) { e.name } }`, "SyntaxError"},
		{"console methods", `["log", "info", "warn", "error", "debug"].every((m) => typeof console[m] === "function")`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := e.eval(pid, c.code)
			require.NoError(t, err)
			assert.Equal(t, c.want, v)
		})
	}
}

// A script that replaces the intrinsics later cannot reach the surface's
// private state.
func TestSurfaceKeepsItsState(t *testing.T) {
	e := newEnv(t)
	pid := e.window(`
		globalThis.seen = [];
		WeakMap.prototype.get = function (k) { seen.push(this); return undefined; };
		WeakMap.prototype.has = function (k) { seen.push(this); return false; };
		WeakSet.prototype.has = function (k) { seen.push(this); return false; };
		Object.defineProperty(Object.prototype, "portPost", { get() { seen.push(this); return undefined; }, configurable: true });
	`)
	v, err := e.eval(pid, `{
		const ch = new MessageChannel();
		const ev = new Event("x");
		const t = new EventTarget(); let n = 0; t.addEventListener("x", () => n++); t.dispatchEvent(ev);
		ch.port1.postMessage(1);
		[n, ev.isTrusted, seen.length].join()
	}`)
	require.NoError(t, err)
	assert.Equal(t, "1,false,0", v)
}
