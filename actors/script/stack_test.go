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
	first := &k.saved[:1][0]
	k.before()
	assert.Same(t, first, &(*k.live)[:1][0], "the kept stack is handed back")
}
