package messages_test

import (
	"math"
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsPrimitive(t *testing.T) {
	type celsius float64
	tests := []struct {
		name string
		v    any
		want bool
	}{
		{"nil", nil, true},
		{"undefined", messages.Undefined, true},
		{"bool", true, true},
		{"string", "héllo", true},
		{"int", 42, true},
		{"int8", int8(-8), true},
		{"int64", int64(math.MinInt64), true},
		{"uint8", uint8(255), true},
		{"uint64", uint64(math.MaxUint64), true},
		{"float32", float32(1.5), true},
		{"NaN", math.NaN(), true},
		{"-0", math.Copysign(0, -1), true},
		{"complex128", complex(1, -2), true},
		{"uintptr is not cloneable", uintptr(1), false},
		{"named float", celsius(21.5), false},
		{"[]byte is mutable", []byte("x"), false},
		{"pointer", new(int), false},
		{"slice", []any{1}, false},
		{"map", map[string]any{}, false},
		{"ArrayBuffer", messages.NewArrayBuffer(nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, messages.IsPrimitive(tt.v))
			if !tt.want {
				return
			}
			// A primitive is its own structured clone.
			out, err := messages.StructuredClone(tt.v)
			require.NoError(t, err)
			if f, ok := tt.v.(float64); ok {
				assert.Equal(t, math.Float64bits(f), math.Float64bits(out.(float64)))
				return
			}
			assert.Equal(t, tt.v, out)
		})
	}
}

// primitives are values of every kind AppendPrimitive writes, with their
// edge values.
func primitives() []any {
	return []any{nil, messages.Undefined, true, false, "", "héllo\x00", 0, -1, math.MaxInt64, math.MinInt64,
		int8(-128), int16(32767), int32(-1 << 31), int64(7), uint(0), uint8(255), uint16(1), uint32(math.MaxUint32),
		uint64(math.MaxUint64), 0.0, math.Copysign(0, -1), math.NaN(), math.Inf(-1), 2.5, float32(1.5), float32(-0.1)}
}

func TestAppendPrimitiveMatchesTheRecordPath(t *testing.T) {
	for _, v := range primitives() {
		r, err := messages.Serialize(v)
		require.NoError(t, err)
		want, err := r.MarshalBinary()
		require.NoError(t, err)
		got, ok := messages.AppendPrimitive([]byte("prefix"), v)
		require.True(t, ok, "%T %v", v, v)
		assert.Equal(t, want, got[len("prefix"):], "%T %v", v, v)

		back, ok := messages.DecodePrimitive(want)
		require.True(t, ok, "%T %v", v, v)
		assertSameValue(t, v, back)
	}
}

func TestAppendPrimitiveRefusesOtherValues(t *testing.T) {
	for _, v := range []any{complex(1, 2), complex64(1), []byte{1}, uintptr(1), struct{}{}, []any{}} {
		b, ok := messages.AppendPrimitive([]byte("keep"), v)
		assert.False(t, ok, "%T", v)
		assert.Equal(t, []byte("keep"), b)
	}
}

func TestDecodePrimitiveLeavesTheRestToDecodeRecord(t *testing.T) {
	big, ok := messages.AppendPrimitive(nil, "0123456789")
	require.True(t, ok)
	for name, b := range map[string][]byte{
		"empty":           nil,
		"head only":       {3, 0, 0, 0, 1},
		"other version":   {4, 0, 0, 0, 1, 2},
		"two nodes":       {3, 0, 0, 0, 2, 2, 2},
		"type table":      {3, 1, 0, 0, 1, 2},
		"bool 2":          {3, 0, 0, 0, 1, 3, 2},
		"trailing bytes":  {3, 0, 0, 0, 1, 2, 0},
		"short string":    {3, 0, 0, 0, 1, 8, 5, 'a'},
		"int8 overflow":   {3, 0, 0, 0, 1, 4 | 0x80, 3, 0x80, 0x04},
		"typed null":      {3, 0, 0, 0, 1, 2 | 0x80, 20},
		"a slice":         {3, 0, 0, 0, 2, 15, 1, 2},
		"inexact float32": append([]byte{3, 0, 0, 0, 1, 6 | 0x80, 12}, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f),
	} {
		_, ok := messages.DecodePrimitive(b)
		assert.False(t, ok, name)
	}
	_, ok = messages.DecodePrimitive(big, messages.WithMaxBytes(len(big)-1))
	assert.False(t, ok, "over the size limit")
	v, ok := messages.DecodePrimitive(big, messages.WithMaxBytes(len(big)))
	assert.True(t, ok)
	assert.Equal(t, "0123456789", v)
}

func assertSameValue(t *testing.T, want, got any) {
	t.Helper()
	if f, ok := want.(float64); ok {
		g, ok := got.(float64)
		require.True(t, ok, "want float64, got %T", got)
		assert.Equal(t, math.Float64bits(f), math.Float64bits(g))
		return
	}
	assert.Equal(t, want, got)
	assert.IsType(t, want, got)
}
