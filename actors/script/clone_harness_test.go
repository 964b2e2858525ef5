package script

import (
	"os"
	"testing"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/ports"
)

// codecRealm is a bare goja runtime with what the codec, js/40-blob.js and js/42-filereader.js
// need: an internal object with stand-ins for the realm's EventTarget,
// Event and DOMException, a task queue behind setTimeout that the test
// drains, and fake MessagePorts.
type codecRealm struct {
	t     *testing.T
	rt    *goja.Runtime
	in    *goja.Object
	c     *jsCodec
	host  *fakePortHost
	tasks []func()
}

// codecStandIns defines the parts of the realm that js/40-blob.js uses.
const codecStandIns = `(function (internal, queue) {
	class DOMException extends Error {
		constructor(message = '', name = 'Error') { super(message); this._name = name; }
		get name() { return this._name; }
	}
	class Event {
		constructor(type, init) { this.type = String(type); this.target = null; this.currentTarget = null; }
	}
	class EventTarget {
		constructor() { this._listeners = {}; }
		addEventListener(type, fn) { (this._listeners[type] ||= []).push(fn); }
		removeEventListener(type, fn) {
			const l = this._listeners[type]; if (l) { const i = l.indexOf(fn); if (i >= 0) l.splice(i, 1); }
		}
		dispatchEvent(ev) {
			ev.target = this; ev.currentTarget = this;
			for (const fn of (this._listeners[ev.type] || []).slice()) {
				if (typeof fn === 'function') fn.call(this, ev); else fn.handleEvent(ev);
			}
			return true;
		}
	}
	internal.DOMException = DOMException;
	internal.Event = Event;
	internal.EventTarget = EventTarget;
	globalThis.setTimeout = (fn, ms, ...args) => { queue(() => fn(...args)); return 1; };
	globalThis.queueMicrotask = (fn) => Promise.resolve().then(fn);
	class FakePort { constructor(n) { this.n = n; } }
	globalThis.FakePort = FakePort;
})`

func newCodecRealm(t *testing.T) *codecRealm {
	t.Helper()
	return newCodecRealmWith(t, "")
}

// newCodecRealmWith is newCodecRealm that runs extra (a script) before the
// codec is made.
func newCodecRealmWith(t *testing.T, extra string) *codecRealm {
	t.Helper()
	r := &codecRealm{t: t, rt: goja.New()}
	r.in = r.rt.NewObject()
	r.host = &fakePortHost{r: r, ports: map[*goja.Object]*ports.MessagePort{}}
	setup, err := r.rt.RunString(codecStandIns)
	require.NoError(t, err)
	fn, _ := goja.AssertFunction(setup)
	queue := func(call goja.FunctionCall) goja.Value {
		f, _ := goja.AssertFunction(call.Argument(0))
		r.tasks = append(r.tasks, func() { _, err := f(goja.Undefined()); require.NoError(t, err) })
		return goja.Undefined()
	}
	_, err = fn(goja.Undefined(), r.in, r.rt.ToValue(queue))
	require.NoError(t, err)
	for _, name := range []string{"js/40-blob.js", "js/42-filereader.js"} {
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		file, err := r.rt.RunScript(name, string(src))
		require.NoError(t, err)
		load, ok := goja.AssertFunction(file)
		require.True(t, ok, "%s is one function expression", name)
		_, err = load(goja.Undefined(), r.rt.NewObject(), r.in)
		require.NoError(t, err)
	}
	require.NoError(t, r.rt.Set("makePort", func(goja.FunctionCall) goja.Value {
		return r.host.newPort(new(ports.MessagePort))
	}))
	require.NoError(t, r.rt.Set("detach", func(call goja.FunctionCall) goja.Value {
		call.Argument(0).Export().(goja.ArrayBuffer).Detach()
		return goja.Undefined()
	}))
	if extra != "" {
		require.NoError(t, r.rt.Set("internal", r.in))
		r.run(extra)
	}
	r.c = newCodec(r.rt, r.in, r.host).(*jsCodec)
	return r
}

// run runs a script and returns its completion value.
func (r *codecRealm) run(src string) goja.Value {
	r.t.Helper()
	v, err := r.rt.RunString(src)
	require.NoError(r.t, err, src)
	return v
}

// drain runs the queued tasks (and those they queue) until none is left.
func (r *codecRealm) drain() {
	for i := 0; len(r.tasks) > 0; i++ {
		require.Less(r.t, i, 10000, "tasks keep coming")
		task := r.tasks[0]
		r.tasks = r.tasks[1:]
		task()
	}
}

// fakePortHost stands for the realm's MessagePort objects: instances of
// FakePort made by newPort; a detached one maps to nil.
type fakePortHost struct {
	r     *codecRealm
	ports map[*goja.Object]*ports.MessagePort
}

func (h *fakePortHost) newPort(p *ports.MessagePort) *goja.Object {
	o, err := h.r.rt.New(h.r.rt.Get("FakePort"), h.r.rt.ToValue(len(h.ports)))
	require.NoError(h.r.t, err)
	h.ports[o] = p
	return o
}

func (h *fakePortHost) portOf(o *goja.Object) (*ports.MessagePort, bool) {
	p, ok := h.ports[o]
	return p, ok
}

func (h *fakePortHost) adoptPort(p *ports.MessagePort) *goja.Object { return h.newPort(p) }

func (h *fakePortHost) detachPort(o *goja.Object) { h.ports[o] = nil }

// clone serializes v (with transfer) in from, commits, and deserializes in
// to.
func codecClone(t *testing.T, from, to *codecRealm, v goja.Value, transfer ...goja.Value) (goja.Value, error) {
	t.Helper()
	s, err := from.c.serialize(v, transfer)
	if err != nil {
		return nil, err
	}
	s.commit()
	return to.c.deserialize(s.Record, s.Ports)
}
