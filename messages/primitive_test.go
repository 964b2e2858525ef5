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
