package messages

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// swapRegistration makes name refer to the type of example, as if this
// were another build, and returns a function that undoes it.
func swapRegistration(name string, example any) (restore func()) {
	t := reflect.TypeOf(example)
	registry.mu.Lock()
	defer registry.mu.Unlock()
	old, had := registry.byName[name]
	registry.byName[name] = t
	return func() {
		registry.mu.Lock()
		defer registry.mu.Unlock()
		if had {
			registry.byName[name] = old
		} else {
			delete(registry.byName, name)
		}
	}
}

type orderV1 struct {
	ID      int
	Items   []string
	Comment string // dropped in v2
	Nested  *orderV1
}

type orderV2 struct {
	Items  []string
	ID     int64 // wider, reordered
	Rush   bool  // new in v2
	Nested *orderV2
}

// TestFieldsMatchByNameAcrossBuilds encodes with one build's type and
// decodes into another build's type registered under the same name.
func TestFieldsMatchByNameAcrossBuilds(t *testing.T) {
	Register("test.Order", orderV1{})
	in := []any{orderV1{ID: 7, Items: []string{"a"}, Comment: "drop me", Nested: &orderV1{ID: 8, Comment: "x"}}}
	r, err := Serialize(in)
	require.NoError(t, err)
	b, err := r.MarshalBinary()
	require.NoError(t, err)

	restore := swapRegistration("test.Order", orderV2{})
	defer restore()
	dec, err := DecodeRecord(b)
	require.NoError(t, err)
	v, err := Deserialize(dec)
	require.NoError(t, err)
	got := v.([]any)[0]
	assert.Equal(t, orderV2{ID: 7, Items: []string{"a"}, Nested: &orderV2{ID: 8}}, got)
}

func TestSkippedFieldKeepsObjectIDsInStep(t *testing.T) {
	type shared struct{ N int }
	type v1 struct {
		Old *shared
		New *shared
	}
	type v2 struct{ New *shared }
	Register("test.Skip", v1{})
	s := &shared{N: 1}
	r, err := Serialize(v1{Old: s, New: &shared{N: 2}})
	require.NoError(t, err)
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	restore := swapRegistration("test.Skip", v2{})
	defer restore()
	dec, err := DecodeRecord(b)
	require.NoError(t, err)
	v, err := Deserialize(dec)
	require.NoError(t, err)
	assert.Equal(t, 2, v.(v2).New.N)

	// A later reference to an object inside a skipped field is an error,
	// not a panic.
	r, err = Serialize(v1{Old: s, New: s})
	require.NoError(t, err)
	b, err = r.MarshalBinary()
	require.NoError(t, err)
	dec, err = DecodeRecord(b)
	require.NoError(t, err)
	_, err = Deserialize(dec)
	assert.ErrorIs(t, err, ErrDataClone)
}
