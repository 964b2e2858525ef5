package script

import (
	"testing"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stackKeep finds goja's value stack in the pinned version (if it did
// not, every message would grow a new stack again), hands it back before
// an outermost call, and leaves none of the call's values in it after.
func TestStackKeep(t *testing.T) {
	rt := goja.New()
	k := newStackKeep(rt)
	require.NotNil(t, k.live, "goja's value stack was not found: the realm grows a new one per call")

	v, err := rt.RunString(`(function outer(f) { const o = {big: "x".repeat(10)}; return f(o, o, o); })`)
	require.NoError(t, err)
	outer, ok := goja.AssertFunction(v)
	require.True(t, ok)
	inner := rt.ToValue(func(c goja.FunctionCall) goja.Value {
		k.during()
		return c.Argument(0)
	})
	for range 3 {
		k.before()
		_, err := outer(goja.Undefined(), inner)
		require.NoError(t, err)
		k.after()
		assert.Nil(t, *k.live, "goja dropped its stack when the outermost call returned")
		require.NotNil(t, k.saved, "the stack was kept")
		for i, slot := range k.saved[:cap(k.saved)] {
			assert.Nil(t, slot, "slot %d still holds a value", i)
		}
	}
	// A deeper outermost call after a shallower one, and microtasks that
	// run after the last nested call returned: nothing stays behind.
	deep, err := rt.RunString(`(function deep(n, o, f) { if (n > 0) return deep(n - 1, o, f); Promise.resolve().then(() => (function again(m) { return m > 0 ? again(m - 1) : o; })(60)); return f(o); })`)
	require.NoError(t, err)
	deepFn, ok := goja.AssertFunction(deep)
	require.True(t, ok)
	for _, depth := range []int64{80, 2, 40} {
		k.before()
		_, err := deepFn(goja.Undefined(), rt.ToValue(depth), rt.NewObject(), inner)
		require.NoError(t, err)
		k.after()
		for i, slot := range k.saved[:cap(k.saved)] {
			require.Nil(t, slot, "depth %d: slot %d still holds a value", depth, i)
		}
	}
	first := &k.saved[:1][0]
	k.before()
	assert.Same(t, first, &(*k.live)[:1][0], "the kept stack is handed back")
}

// The realm's calls keep the stack whatever their order: a deep Eval, a
// shallow one (each reaching a nested call of the engine through
// reportError's error event), then messages.
func TestStackKeepInRealm(t *testing.T) {
	e := newEnv(t)
	pid := e.window(`
		addEventListener("error", (ev) => { ev.preventDefault(); console.log("reported", ev.error.message); });
		globalThis.deep = (n) => n > 0 ? deep(n - 1) : reportError(new Error("deep"));
		globalThis.ch = new MessageChannel();
		ch.port2.onmessage = (m) => console.log("got", m.data);
	`)
	e.quiet()
	for _, code := range []string{`deep(300)`, `reportError(new Error("shallow"))`, `ch.port1.postMessage(1); ch.port1.postMessage(2)`} {
		_, err := e.eval(pid, code)
		require.NoError(t, err, code)
	}
	e.expect("reported deep", "reported shallow", "got 1", "got 2")
	e.noMore()
}
