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
	registryGen.Add(1)
	return func() {
		registry.mu.Lock()
		defer registry.mu.Unlock()
		registryGen.Add(1)
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

type packedV1 struct {
	A []int32
	B [3]uint8
	C []float32
	D []int
	E []complex64
}

type packedV2 struct {
	A []int64
	B [3]int16
	C []float64
	D []uint16
	E []complex128
}

// Packed numbers move between integer (and float, complex) kinds of any
// width across builds when every value fits, as single numbers do.
func TestPackedNumbersConvertAcrossBuilds(t *testing.T) {
	Register("test.Packed", packedV1{})
	encode := func(v packedV1) []byte {
		r, err := Serialize(v)
		require.NoError(t, err)
		b, err := r.MarshalBinary()
		require.NoError(t, err)
		return b
	}
	ok := encode(packedV1{A: []int32{-1, 1 << 30}, B: [3]uint8{0, 200, 255}, C: []float32{1.5}, D: []int{0, 65535}, E: []complex64{1 + 2i}})
	tooBig := encode(packedV1{D: []int{65536}})
	negative := encode(packedV1{D: []int{-1}})

	restore := swapRegistration("test.Packed", packedV2{})
	defer restore()
	decode := func(b []byte) (any, error) {
		r, err := DecodeRecord(b)
		require.NoError(t, err)
		return Deserialize(r)
	}
	v, err := decode(ok)
	require.NoError(t, err)
	assert.Equal(t, packedV2{A: []int64{-1, 1 << 30}, B: [3]int16{0, 200, 255}, C: []float64{1.5}, D: []uint16{0, 65535}, E: []complex128{1 + 2i}}, v)
	for name, b := range map[string][]byte{"too big": tooBig, "negative into unsigned": negative} {
		_, err := decode(b)
		var dce *DataCloneError
		require.ErrorAs(t, err, &dce, name)
		assert.Equal(t, ".D", dce.Path, name)
		assert.Contains(t, err.Error(), "integer out of range", name)
	}
}
