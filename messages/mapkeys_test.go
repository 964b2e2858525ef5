package messages_test

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Go maps clone with keys of every comparable cloneable type, the keys
// themselves cloned (pointer keys keep their identity with the rest of the
// value), in memory and through the binary form.
func TestMapKeysOfManyTypes(t *testing.T) {
	messages.RegisterType(mapKey("")) // part of map[mapKey]int at the root
	negZero := math.Copysign(0, -1)
	when := time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	tests := []struct {
		name string
		in   any
	}{
		{"int", map[int]string{-1: "a", 0: "b", math.MaxInt: "c"}},
		{"int8", map[int8]bool{-128: true, 127: false}},
		{"uint64", map[uint64]int{math.MaxUint64: 1}},
		{"string", map[string][]int{"": {1}, "é": nil}},
		{"named string", map[mapKey]int{"k": 1}},
		{"bool", map[bool]string{true: "t", false: "f"}},
		{"float64 with -0 and Inf", map[float64]int{negZero: 1, math.Inf(-1): 2, 1.5: 3}},
		{"float32", map[float32]int{1.25: 1}},
		{"complex", map[complex128]int{1 + 2i: 1}},
		{"array", map[[2]int]string{{1, 2}: "a", {2, 1}: "b"}},
		{"struct", map[Point]string{{1, 2}: "a"}},
		{"time", map[time.Time]int{when: 1}},
		{"any holding many types", map[any]string{1: "int", int8(1): "int8", "s": "string", 2.5: "float",
			Point{1, 1}: "struct", [2]string{"a"}: "array", true: "bool", nil: "nil", messages.Undefined: "undefined"}},
		{"map values that are maps", map[string]map[int]bool{"a": {1: true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := roundTrips(tc.in)
			require.NoError(t, err)
			for how, out := range outs {
				assert.Equal(t, tc.in, out, how)
				assert.Empty(t, cloneEqual(tc.in, out), how)
			}
		})
	}
}

func TestMapKeysSpecialFloats(t *testing.T) {
	in := map[float64]int{math.NaN(): 1, math.Copysign(0, -1): 2}
	in[math.NaN()] = 3 // a second NaN key: NaN != NaN
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		m := out.(map[float64]int)
		require.Len(t, m, 3, how)
		nans := 0
		for k, v := range m {
			switch {
			case math.IsNaN(k):
				nans += v
			default:
				assert.True(t, math.Signbit(k), "%s: the -0 key keeps its sign", how)
				assert.Equal(t, 2, v, how)
			}
		}
		assert.Equal(t, 4, nans, how)
	}
}

// Pointer keys are objects like any other: the key of the clone is the
// same new object as the one the value refers to elsewhere.
func TestMapPointerKeysKeepIdentity(t *testing.T) {
	p := &Point{1, 2}
	b := big.NewInt(7)
	type keyHolder struct {
		ByPoint map[*Point]string
		P       *Point
		ByBig   map[*big.Int]int
		B       *big.Int
	}
	messages.RegisterType(keyHolder{})
	in := &keyHolder{ByPoint: map[*Point]string{p: "p"}, P: p, ByBig: map[*big.Int]int{b: 1}, B: b}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		c := out.(*keyHolder)
		require.NotSame(t, p, c.P, how)
		assert.Equal(t, "p", c.ByPoint[c.P], how)
		assert.Equal(t, 1, c.ByBig[c.B], how)
		assert.Equal(t, int64(7), c.B.Int64(), how)
	}
}
