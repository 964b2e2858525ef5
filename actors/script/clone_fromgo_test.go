package script

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/messages"
)

type flatAll struct {
	B    bool
	S    string
	F32  float32
	F64  float64
	I    int
	I8   int8
	I64  int64
	U    uint
	U8   uint8
	U64  uint64
	Name string
}

type flatNamed float64

type withMethod struct{ X int }

func (withMethod) String() string { return "m" }

type withPtrMethod struct{ X int }

func (*withPtrMethod) Reset() {}

type withHidden struct {
	X int
	y int // an unexported field keeps the type off the fast path
}

type withEmbedded struct {
	flatAll
	Z int
}

type withStruct struct{ P flatAll }

type withTime struct{ T time.Time }

type withNamedMethod struct{ C celsius }

type celsius float64

func (celsius) String() string { return "c" }

type withSlice struct{ L []int }

// TestFlatPlan checks which types take fromGo's fast path.
func TestFlatPlan(t *testing.T) {
	cases := []struct {
		v    any
		flat bool
	}{
		{flatAll{}, true},
		{struct{ X flatNamed }{}, true},
		{struct{}{}, true},
		{withMethod{}, false},
		{withPtrMethod{}, false},
		{withHidden{y: 1}, false},
		{withEmbedded{}, false},
		{withStruct{}, false},
		{withTime{}, false},
		{withNamedMethod{}, false},
		{withSlice{}, false},
		{messages.DataCloneError{}, false},
		{1, false},
		{&flatAll{}, false},
	}
	for _, tc := range cases {
		t.Run(reflect.TypeOf(tc.v).String(), func(t *testing.T) {
			assert.Equal(t, tc.flat, flatPlanOf(reflect.TypeOf(tc.v)) != nil)
		})
	}
}

// TestFromGoFlat checks that the fast path makes what the Record path
// makes, value for value.
func TestFromGoFlat(t *testing.T) {
	values := []any{
		flatAll{},
		flatAll{B: true, S: "h\u00e9llo", F32: 1.5, F64: math.Copysign(0, -1), I: -3, I8: -128, I64: 1 << 53, U: 7, U8: 255, U64: 1<<53 + 1, Name: "x"},
		flatAll{F64: math.NaN(), I64: -(1 << 53) - 1, U64: math.MaxUint64, S: "\xed\xa0\x80 lone"},
		flatAll{F64: math.Inf(-1), I64: math.MinInt64, F32: float32(math.Inf(1))},
		struct {
			X flatNamed
			A string
		}{2.25, ""},
		struct{}{},
	}
	// same compares two values of the realm: kinds, own keys in order,
	// and each value (Object.is).
	const same = `(a, b) => {
		const ka = Object.keys(a), kb = Object.keys(b);
		if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || ka.join() !== kb.join()) return false;
		for (const k of ka) {
			const da = Object.getOwnPropertyDescriptor(a, k), db = Object.getOwnPropertyDescriptor(b, k);
			if (!Object.is(da.value, db.value) || da.writable !== db.writable || da.enumerable !== db.enumerable || da.configurable !== db.configurable) return false;
		}
		return true;
	}`
	for i, v := range values {
		r := newCodecRealm(t)
		p := flatPlanOf(reflect.TypeOf(v))
		require.NotNil(t, p, "value %d", i)
		fast, err := r.c.fromFlat(reflect.ValueOf(v), p)
		require.NoError(t, err)
		rec, err := messages.Serialize(v)
		require.NoError(t, err)
		slow, err := r.c.deserialize(rec, nil)
		require.NoError(t, err)
		eq, ok := goja.AssertFunction(r.run(same))
		require.True(t, ok)
		res, err := eq(goja.Undefined(), fast, slow)
		require.NoError(t, err)
		assert.True(t, res.ToBoolean(), "value %d: %#v", i, v)
	}
}

// TestFromGoFastMapsAndPointers checks the fast path's other shapes (a
// map[string]any of scalars, a pointer to a flat struct) against the
// Record path, and that anything else is left to the Record path.
func TestFromGoFastMapsAndPointers(t *testing.T) {
	// sameSet compares two objects' own properties whatever their order
	// (a Go map has none).
	const sameSet = `(a, b) => {
		const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
		if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || ka.join() !== kb.join()) return false;
		return ka.every((k) => Object.is(a[k], b[k]) && typeof a[k] === typeof b[k]);
	}`
	fast := []any{
		map[string]any{},
		map[string]any{"i": 7},
		map[string]any{"i": int64(1 << 53), "j": int64(1<<53 + 1), "u": uint64(math.MaxUint64), "f": math.Copysign(0, -1),
			"n": math.NaN(), "b": false, "s": "\xed\xa0\x80", "i8": int8(-1), "u16": uint16(9), "f32": float32(0.5)},
		&flatAll{I: 4, S: "p"},
	}
	for i, v := range fast {
		r := newCodecRealm(t)
		got, ok := r.c.fromGoFast(v)
		require.True(t, ok, "value %d takes the fast path", i)
		rec, err := messages.Serialize(v)
		require.NoError(t, err)
		want, err := r.c.deserialize(rec, nil)
		require.NoError(t, err)
		eq, ok := goja.AssertFunction(r.run(sameSet))
		require.True(t, ok)
		res, err := eq(goja.Undefined(), got, want)
		require.NoError(t, err)
		assert.True(t, res.ToBoolean(), "value %d: %#v", i, v)
	}
	slow := []any{
		map[string]any{"l": []int{1}},
		map[string]any{"t": time.Second},
		map[string]any{"\xed\xa0\x80": 1},
		map[string]int{"i": 1},
		(*flatAll)(nil),
		&withMethod{},
		1,
	}
	for i, v := range slow {
		r := newCodecRealm(t)
		_, ok := r.c.fromGoFast(v)
		assert.False(t, ok, "value %d (%T) is left to the Record path", i, v)
	}
}
