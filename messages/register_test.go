package messages_test

import (
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type Shape interface{ Area() float64 }

type Square struct{ Side float64 }

func (s Square) Area() float64 { return s.Side * s.Side }

type Box[T any] struct{ Item T }

type Inventory struct {
	Owner  string
	Shapes []Shape
	Extra  any
	ByName map[string]*Square
}

func init() {
	messages.Register("test.Shape", (*Shape)(nil)) // an interface type, through a pointer
	messages.Register("test.Square", Square{})
	messages.Register("test.Box[int]", Box[int]{})
	messages.Register("test.Inventory", &Inventory{})
}

// Registered types cross the binary form (MarshalBinary, then
// UnmarshalBinary into a zero Record) with their Go types, wherever they
// sit: at the root, behind pointers, in slices and maps held in an any,
// inside []any and map[string]any, as interface element types.
func TestRegisterRoundTripsThroughBinary(t *testing.T) {
	sq := &Square{2}
	tests := []struct {
		name string
		in   any
	}{
		{"struct at the root", Square{3}},
		{"pointer at the root", &Square{4}},
		{"slice of a registered type", []Square{{1}, {2}}},
		{"map of a registered pointer type", map[string]*Square{"a": sq, "b": sq}},
		{"inside []any", []any{Square{5}, &Square{6}, "x"}},
		{"inside map[string]any", map[string]any{"s": Square{7}}},
		{"slice of a registered interface type", []Shape{Square{8}, nil}},
		{"generic instance", Box[int]{Item: 9}},
		{"nested registered types in any fields", &Inventory{Owner: "o", Shapes: []Shape{Square{1}},
			Extra: Box[int]{Item: 2}, ByName: map[string]*Square{"sq": sq}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := messages.Serialize(tc.in)
			require.NoError(t, err)
			b, err := r.MarshalBinary()
			require.NoError(t, err)
			var got messages.Record
			require.NoError(t, got.UnmarshalBinary(b))
			out, err := messages.Deserialize(&got)
			require.NoError(t, err)
			assert.Equal(t, tc.in, out)
			assert.Empty(t, cloneEqual(tc.in, out))
		})
	}
	t.Run("aliases survive the binary form", func(t *testing.T) {
		r, err := messages.Serialize(map[string]*Square{"a": sq, "b": sq})
		require.NoError(t, err)
		b, err := r.MarshalBinary()
		require.NoError(t, err)
		var got messages.Record
		require.NoError(t, got.UnmarshalBinary(b))
		out, err := messages.Deserialize(&got)
		require.NoError(t, err)
		m := out.(map[string]*Square)
		assert.Same(t, m["a"], m["b"])
	})
}

func TestTypeName(t *testing.T) {
	assert.Equal(t, "test.Square", messages.TypeName(Square{}))
	assert.Equal(t, "", messages.TypeName(&Square{}), "pointer types are unnamed")
	assert.Equal(t, "github.com/entangle-go/entangle/messages_test.Point", messages.TypeName(Point{}))
	assert.Equal(t, "", messages.TypeName(nil))
	assert.Equal(t, "", messages.TypeName([]int{}))
}
