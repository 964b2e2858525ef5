package script

import (
	"errors"
	"testing"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/messages"
)

func jsValues(r *codecRealm, src string) []goja.Value {
	r.t.Helper()
	var out []goja.Value
	require.NoError(r.t, r.rt.ExportTo(r.run(src), &out))
	return out
}

func TestTransferArrayBuffer(t *testing.T) {
	a, b := newCodecRealm(t), newCodecRealm(t)
	a.run(`var buf = new Uint8Array([1, 2, 3]).buffer, other = new ArrayBuffer(4);`)
	v, err := codecClone(t, a, b, a.run(`[buf, new Uint8Array(buf, 1), buf]`), jsValues(a, `[buf, other]`)...)
	require.NoError(t, err)
	assert.True(t, a.run(`buf.byteLength === 0 && other.byteLength === 0`).ToBoolean(), "both listed buffers are detached")
	require.NoError(t, b.rt.Set("v", v))
	assert.True(t, b.run(`v[0].byteLength === 3 && v[1].buffer === v[0] && v[2] === v[0] && v[1][1] === 3`).ToBoolean())
}

func TestTransferNothingDetachedOnFailure(t *testing.T) {
	a := newCodecRealm(t)
	a.run(`var buf = new ArrayBuffer(2), port = makePort();`)
	_, err := a.c.serialize(a.run(`({buf, f() {}})`), jsValues(a, `[buf, port]`))
	require.ErrorIs(t, err, messages.ErrDataClone)
	assert.True(t, a.run(`buf.byteLength === 2`).ToBoolean())
	p, ok := a.host.portOf(a.run(`port`).(*goja.Object))
	assert.True(t, ok && p != nil, "the port is not detached")

	s, err := a.c.serialize(a.run(`({buf, port})`), jsValues(a, `[buf, port]`))
	require.NoError(t, err)
	s.abort()
	assert.True(t, a.run(`buf.byteLength === 2`).ToBoolean(), "abort detaches nothing")
	p, _ = a.host.portOf(a.run(`port`).(*goja.Object))
	assert.NotNil(t, p)
}

func TestTransferPort(t *testing.T) {
	a, b := newCodecRealm(t), newCodecRealm(t)
	a.run(`var port = makePort(), port2 = makePort();`)
	p, _ := a.host.portOf(a.run(`port`).(*goja.Object))
	s, err := a.c.serialize(a.run(`({p: port, again: [port]})`), jsValues(a, `[port2, port]`))
	require.NoError(t, err)
	require.Len(t, s.Ports, 2)
	assert.Same(t, p, s.Ports[1])
	s.commit()
	q, ok := a.host.portOf(a.run(`port`).(*goja.Object))
	assert.True(t, ok)
	assert.Nil(t, q, "the transferred port is detached")
	v, err := b.c.deserialize(s.Record, s.Ports)
	require.NoError(t, err)
	require.NoError(t, b.rt.Set("v", v))
	assert.True(t, b.run(`v.p instanceof FakePort && v.again[0] === v.p`).ToBoolean())
	got, _ := b.host.portOf(v.(*goja.Object).Get("p").(*goja.Object))
	assert.Same(t, p, got)
}

func TestTransferListErrors(t *testing.T) {
	cases := []struct{ name, transfer, path string }{
		{"duplicate buffer", `[buf, buf]`, "transfer[1]"},
		{"duplicate port", `[port, buf, port]`, "transfer[2]"},
		{"plain object", `[buf, {}]`, "transfer[1]"},
		{"blob", `[new Blob()]`, "transfer[0]"},
		{"primitive", `[1]`, "transfer[0]"},
		{"typed array", `[new Uint8Array(1)]`, "transfer[0]"},
		{"global", `[globalThis]`, "transfer[0]"},
		{"detached buffer", `[port, gone]`, "transfer[1]"},
		{"detached port", `[buf, shipped]`, "transfer[1]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newCodecRealm(t)
			a.run(`var buf = new ArrayBuffer(1), port = makePort(), gone = new ArrayBuffer(1), shipped = makePort(), ran = false;
				detach(gone);`)
			a.host.detachPort(a.run(`shipped`).(*goja.Object))
			_, err := a.c.serialize(a.run(`({get x() { ran = true; return 1; }})`), jsValues(a, tc.transfer))
			require.ErrorIs(t, err, messages.ErrDataClone)
			var dce *messages.DataCloneError
			require.True(t, errors.As(err, &dce))
			assert.Equal(t, tc.path, dce.Path)
			detachedCheck := tc.name == "detached buffer" || tc.name == "detached port"
			assert.Equal(t, detachedCheck, a.run(`ran`).ToBoolean(), "getters run before the detached check only")
			assert.True(t, a.run(`buf.byteLength === 1`).ToBoolean())
		})
	}
}

// A getter's exception wins over a detached entry of the transfer list; an
// entry detached by a getter is found after serialization.
func TestTransferDetachedOrder(t *testing.T) {
	a := newCodecRealm(t)
	a.run(`var gone = new ArrayBuffer(1), boom = new Error('boom'); detach(gone);`)
	_, err := a.c.serialize(a.run(`({get x() { throw boom; }})`), jsValues(a, `[gone]`))
	var ex *goja.Exception
	require.True(t, errors.As(err, &ex), "got %v", err)
	assert.True(t, ex.Value().StrictEquals(a.run(`boom`)))

	a.run(`var later = new ArrayBuffer(1), view = new Uint8Array(later);`)
	_, err = a.c.serialize(a.run(`({get x() { detach(later); return 1; }, view})`), jsValues(a, `[later]`))
	var dce *messages.DataCloneError
	require.True(t, errors.As(err, &dce), "got %v", err)
	assert.Equal(t, "transfer[0]", dce.Path)
}

// Getters run in key order, depth first; a property deleted by an earlier
// getter is skipped and one added is not visited; a throwing getter's
// exception is returned as is.
func TestSerializeGetters(t *testing.T) {
	a, b := newCodecRealm(t), newCodecRealm(t)
	a.run(`var log = [];
		var o = {
			get a() { log.push('a'); delete this.c; this.d = 1; return {get x() { log.push('x'); return 1; }}; },
			get b() { log.push('b'); return 2; },
			c: 3,
			get e() { log.push('e'); Object.defineProperty(this, 'f', {enumerable: false}); return 5; },
			f: 6,
		};`)
	v, err := codecClone(t, a, b, a.run(`o`))
	require.NoError(t, err)
	assert.Equal(t, "a,x,b,e", a.run(`log.join()`).String())
	require.NoError(t, b.rt.Set("v", v))
	assert.Equal(t, "a,b,e,f", b.run(`Object.keys(v).join()`).String(), "c was deleted, d was added, f became non-enumerable but is still own")
	assert.True(t, b.run(`v.a.x === 1 && v.b === 2 && v.f === 6`).ToBoolean())

	a.run(`var thrown = new Error('getter'); var bad = {x: 1, get y() { throw thrown; }};`)
	_, err = a.c.serialize(a.run(`bad`), nil)
	var ex *goja.Exception
	require.True(t, errors.As(err, &ex))
	assert.True(t, ex.Value().StrictEquals(a.run(`thrown`)))

	a.run(`var msgLog = []; var e = new Error('m'); Object.defineProperty(e, 'name', {get() { msgLog.push('name'); return 'TypeError'; }});
		Object.defineProperty(e, 'message', {get() { msgLog.push('message'); return 'x'; }});`)
	v, err = codecClone(t, a, b, a.run(`e`))
	require.NoError(t, err)
	assert.Equal(t, "name", a.run(`msgLog.join()`).String(), "an accessor message is not read")
	require.NoError(t, b.rt.Set("v", v))
	assert.True(t, b.run(`v instanceof TypeError && !v.hasOwnProperty('message')`).ToBoolean())
}

// A serialize that a getter starts inside another one works.
func TestSerializeNested(t *testing.T) {
	a, b := newCodecRealm(t), newCodecRealm(t)
	var inner *serialized
	require.NoError(t, a.rt.Set("post", func(call goja.FunctionCall) goja.Value {
		s, err := a.c.serialize(call.Argument(0), nil)
		require.NoError(t, err)
		inner = s
		return goja.Undefined()
	}))
	v, err := codecClone(t, a, b, a.run(`({x: {y: 1}, get z() { post({inner: [1, 2]}); return 'z'; }})`))
	require.NoError(t, err)
	require.NoError(t, b.rt.Set("v", v))
	assert.True(t, b.run(`v.x.y === 1 && v.z === 'z'`).ToBoolean())
	w, err := b.c.deserialize(inner.Record, nil)
	require.NoError(t, err)
	require.NoError(t, b.rt.Set("w", w))
	assert.True(t, b.run(`w.inner[1] === 2`).ToBoolean())
}
