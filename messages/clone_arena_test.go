package messages_test

import (
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"weak"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The direct copy carves the []any it makes from shared chunks: each must
// still behave as a slice of its own.
func TestClonedSlicesAreIndependent(t *testing.T) {
	for _, n := range []int{1, 2, 10, 255, 256, 300} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			src := make([]any, 40)
			for i := range src {
				inner := make([]any, n)
				for j := range inner {
					inner[j] = float64(i*1000 + j)
				}
				src[i] = inner
			}
			out, err := messages.StructuredClone(src)
			require.NoError(t, err)
			got := out.([]any)
			require.Len(t, got, len(src))
			for i := range got {
				s := got[i].([]any)
				assert.Equal(t, n, cap(s), "a copied slice's capacity is its length")
				// Appending must move the slice, never write into its
				// neighbour's elements.
				s = append(s, "appended")
				s[0] = "changed"
				got[i] = s
			}
			for i := range got {
				s := got[i].([]any)
				assert.Equal(t, "changed", s[0])
				if n > 1 {
					assert.Equal(t, float64(i*1000+1), s[1], "slice %d", i)
				}
				assert.Equal(t, float64(i*1000+n-1), src[i].([]any)[n-1], "the original is untouched")
			}
		})
	}
}

// Many shared objects: the identity table grows past its first sizes and
// still finds each one, so every sharing survives the copy.
func TestCloneKeepsManySharedObjects(t *testing.T) {
	for _, n := range []int{1, 2, 13, 100, 1000, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			shared := make([]map[string]any, n)
			list := make([]any, 0, 2*n)
			for i := range shared {
				shared[i] = map[string]any{"i": float64(i)}
				list = append(list, shared[i])
			}
			for i := range shared {
				list = append(list, shared[n-1-i])
			}
			out, err := messages.StructuredClone(list)
			require.NoError(t, err)
			got := out.([]any)
			require.Len(t, got, 2*n)
			for i := range n {
				a := got[i].(map[string]any)
				b := got[2*n-1-i].(map[string]any)
				assert.Equal(t, reflect.ValueOf(a).Pointer(), reflect.ValueOf(b).Pointer(), "object %d is one object in the copy", i)
				assert.NotEqual(t, reflect.ValueOf(shared[i]).Pointer(), reflect.ValueOf(a).Pointer(), "object %d is copied", i)
				assert.Equal(t, float64(i), a["i"])
			}
		})
	}
}

// Keeping one slice of a copy must not keep the rest of the copy alive:
// a slice that holds containers gets an array of its own.
func TestKeptSliceDoesNotPinItsNeighbours(t *testing.T) {
	out, err := messages.StructuredClone([]any{[]any{&Leaf{S: "big"}}, []any{1.0, "x"}, []any{map[string]any{"m": 1.0}}})
	require.NoError(t, err)
	got := out.([]any)
	leaf := weak.Make(got[0].([]any)[0].(*Leaf))
	inner := weak.Make(&got[2].([]any)[0])
	keep := got[1]
	got, out = nil, nil
	runtime.GC()
	runtime.GC()
	assert.Nil(t, leaf.Value(), "the copied *Leaf is still reachable while only another slice is kept")
	assert.Nil(t, inner.Value(), "the array of a slice of maps is still reachable while only another slice is kept")
	assert.Equal(t, []any{1.0, "x"}, keep)
}

// A long map of numbers remembers one object (itself): its copy must cost
// about what the map itself costs, not a large identity table besides.
func TestLongScalarMapCopyCostsTheMap(t *testing.T) {
	const n = 1 << 16
	src := make(map[string]any, n)
	for i := range n {
		src[fmt.Sprint("k", i)] = float64(i)
	}
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	var sink any
	byHand := allocated(func() {
		m := make(map[string]any, len(src))
		for k, v := range src {
			m[k] = v
		}
		sink = m
	})
	cloned := allocated(func() {
		out, err := messages.StructuredClone(src)
		require.NoError(t, err)
		sink = out
	})
	_ = sink
	assert.LessOrEqual(t, float64(cloned), 1.25*float64(byHand), "the copy allocated %d B, a copy by hand %d B", cloned, byHand)
}
