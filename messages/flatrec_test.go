package messages_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/entangle-go/entangle/internal/flatrec"
	"github.com/entangle-go/entangle/internal/twin"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type flatName string

// flatAll has a field of every kind a flat type may hold.
type flatAll struct {
	B   bool
	I   int
	I8  int8
	I16 int16
	I32 int32
	I64 int64
	U   uint
	U8  uint8
	U16 uint16
	U32 uint32
	U64 uint64
	F32 float32
	F64 float64
	S   string
	N   flatName
}

type flatOne struct{ I int }

// flatNested holds structs by value, nested and embedded: their nodes are
// constant bytes between its fields'.
type flatNested struct {
	FlatBase
	In   flatOne
	S    string
	Deep struct {
		A flatOne
		B bool
		F float32
	}
	U uint16
}

// FlatBase is embedded in flatNested (an embedded type must be exported
// for the record path to keep it).
type FlatBase struct{ I int }

// tooDeep nests structs deeper than a flat type may.
type tooDeep struct {
	L struct {
		L struct {
			L struct{ L struct{ L struct{ I int } } }
		}
	}
}

type (
	notFlatSlice  struct{ B []byte }
	notFlatNested struct{ In *flatOne }
	notFlatPtr    struct{ P *int }
	notFlatAny    struct{ V any }
	notFlatPriv   struct{ i int } // the record path refuses its unexported field
)

func init() {
	messages.RegisterType(flatAll{})
	messages.RegisterType(flatOne{})
	messages.RegisterType(flatNested{})
	messages.RegisterType(tooDeep{})
	messages.RegisterType(notFlatSlice{})
	messages.RegisterType(notFlatNested{})
	messages.RegisterType(notFlatPtr{})
	messages.RegisterType(notFlatAny{})
	messages.RegisterType(notFlatPriv{})
}

// recordBytes is what a value's trip to another node carried before the
// shortcut: Serialize, then MarshalBinary.
func recordBytes(t testing.TB, v any) []byte {
	t.Helper()
	r, err := messages.Serialize(v)
	require.NoError(t, err)
	defer r.Release()
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	return b
}

// fullDecode is the receiving side's full path: DecodeRecord, then
// Deserialize.
func fullDecode(b []byte, opts ...messages.DecodeOption) (any, error) {
	r, err := messages.DecodeRecord(b, opts...)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	return messages.Deserialize(r)
}

func flatSamples() []any {
	nan32 := math.Float32frombits(0x7fc00001)
	return []any{
		&flatOne{I: 42},
		flatOne{I: -1},
		&flatOne{I: math.MinInt64},
		&flatAll{},
		&flatAll{B: true, I: math.MaxInt64, I8: math.MinInt8, I16: math.MaxInt16, I32: math.MinInt32, I64: -5,
			U: math.MaxUint64, U8: 255, U16: 1, U32: math.MaxUint32, U64: 1 << 63,
			F32: 1.5, F64: math.Inf(-1), S: "héllo\xff", N: "named"},
		flatAll{F32: nan32, F64: math.NaN(), S: string(make([]byte, 300))},
		flatAll{F32: float32(math.Copysign(0, -1)), F64: math.Copysign(0, -1)},
		&flatNested{},
		nestedFromBytes([]byte("a nested value, from some bytes")),
	}
}

// The shortcut writes exactly the bytes of Serialize and MarshalBinary,
// and reads them back into exactly what DecodeRecord and Deserialize make.
func TestFlatRecordMatchesTheFullPath(t *testing.T) {
	for _, v := range flatSamples() {
		require.True(t, flatrec.Flat(v), "%T is flat", v)
		want := recordBytes(t, v)
		got, ok := flatrec.Append([]byte("head"), v)
		require.True(t, ok)
		assert.Equal(t, "head", string(got[:4]), "appends to what the buffer held")
		assert.Equal(t, want, got[4:], "%#v", v)

		full, err := fullDecode(want)
		require.NoError(t, err)
		back, ok := flatrec.Decode(want, flatrec.LimitsOf(nil))
		if a, isAll := v.(flatAll); isAll && a.F32 != a.F32 {
			// A float32 NaN is left to the full path.
			assert.False(t, ok)
			continue
		}
		require.True(t, ok, "%#v", v)
		assert.Empty(t, twin.Diff(back, full), "%#v", v)
	}
}

// Only flat values take the shortcut: a nil pointer, a struct holding a
// slice, a struct, a pointer or an interface, and values that are not
// structs at all go the full path.
func TestFlatRecordTakesOnlyFlatValues(t *testing.T) {
	for _, v := range []any{
		(*flatOne)(nil), nil, 3, "s", []int{1}, map[string]any{"i": 1},
		notFlatSlice{}, &notFlatNested{}, notFlatPtr{}, &notFlatAny{}, &notFlatPriv{i: 1},
		&struct{ C complex128 }{}, &tooDeep{},
	} {
		assert.False(t, flatrec.Flat(v), "%T", v)
		b, ok := flatrec.Append(nil, v)
		assert.False(t, ok, "%T", v)
		assert.Nil(t, b)
	}
}

// What the shortcut cannot read as the full path would, it leaves to the
// full path: numbers out of a field's range, inexact float32s, booleans
// other than 0 and 1, short or long input, and limits that the full path
// would apply. It never answers for bytes it has not learnt.
func TestFlatDecodeLeavesTheRestToTheFullPath(t *testing.T) {
	flatrec.Learn(&flatAll{}) // the shortcut reads the types this process knows
	good := recordBytes(t, &flatAll{I8: 1, B: true, F32: 2})
	_, ok := flatrec.Decode(good, flatrec.LimitsOf(nil))
	require.True(t, ok)
	// The fields' nodes follow the prefix in order; the prefix is what the
	// zero value's record has before them.
	prefix := len(recordBytes(t, &flatAll{})) - (2 + 2*5 + 2*5 + 9*2 + 2*2)
	require.Positive(t, prefix)
	mutate := func(f func(p []byte) []byte) []byte {
		b := append([]byte(nil), good[:prefix]...)
		return append(b, f(append([]byte(nil), good[prefix:]...))...)
	}
	cases := map[string][]byte{
		"boolean byte 2": mutate(func(p []byte) []byte { p[1] = 2; return p }),
		"int8 out of range": mutate(func(p []byte) []byte {
			// B (2 bytes), I (2 bytes), then I8: kind byte and a varint.
			out := append([]byte(nil), p[:5]...)
			out = binary.AppendVarint(out, 300)
			return append(out, p[6:]...)
		}),
		"float32 not exact": mutate(func(p []byte) []byte {
			// B, five ints and five uints take 2 bytes each; then F32.
			binary.LittleEndian.PutUint64(p[23:], math.Float64bits(0.1))
			return p
		}),
		"a trailing byte": append(append([]byte(nil), good...), 0),
		"one byte short":  good[:len(good)-1],
		"a field's kind":  mutate(func(p []byte) []byte { p[2]++; return p }),
	}
	for name, b := range cases {
		v, ok := flatrec.Decode(b, flatrec.LimitsOf(nil))
		assert.False(t, ok, name)
		assert.Nil(t, v, name)
	}
	for name, opts := range map[string][]messages.DecodeOption{
		"depth":    {messages.WithMaxDepth(1)},
		"elements": {messages.WithMaxElements(2)},
		"bytes":    {messages.WithMaxBytes(len(good))},
	} {
		_, ok := flatrec.Decode(good, flatrec.LimitsOf(opts))
		assert.False(t, ok, name)
		_, err := fullDecode(good, opts...)
		if name != "bytes" {
			assert.ErrorIs(t, err, messages.ErrLimitExceeded, name)
		}
	}
	_, ok = flatrec.Decode([]byte{2, 0, 0, 0, 1, 0}, flatrec.LimitsOf(nil))
	assert.False(t, ok, "a record of no flat type")
}

// FuzzFlatMatchesRecord fills a flatAll from the fuzz bytes and checks
// that the shortcut writes the full path's bytes; then it reads the fuzz
// bytes, after a flat type's prefix, with both paths: where the shortcut
// answers, the full path must give the same value.
func FuzzFlatMatchesRecord(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add(recordBytes(f, &flatAll{B: true, S: "x"}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xc0, 0, 1})
	zero := recordBytes(f, &flatAll{})
	prefix := zero[:len(zero)-(2+2*5+2*5+9*2+2*2)]
	// The nested type's prefix ends where its first field's node starts:
	// the root's pointer and struct nodes, and the embedded struct's.
	nestedZero := recordBytes(f, &flatNested{})
	nestedPrefix := nestedZero[:len(nestedZero)-nestedSuffix(f)]
	for _, v := range flatSamples() {
		switch x := v.(type) {
		case *flatAll:
			f.Add(recordBytes(f, x)[len(prefix):]) // the fields' nodes alone
		case *flatNested:
			f.Add(recordBytes(f, x)[len(nestedPrefix):])
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		v := flatFromBytes(in)
		want := recordBytes(t, v)
		got, ok := flatrec.Append(nil, v)
		require.True(t, ok)
		require.Equal(t, want, got)

		n := nestedFromBytes(in)
		got, ok = flatrec.Append(nil, n)
		require.True(t, ok)
		require.Equal(t, recordBytes(t, n), got)

		for _, pre := range [][]byte{prefix, nestedPrefix} {
			b := append(append([]byte(nil), pre...), in...)
			flat, ok := flatrec.Decode(b, flatrec.LimitsOf(nil))
			full, err := fullDecode(b)
			if !ok {
				continue
			}
			require.NoError(t, err, "the shortcut read bytes the full path refuses")
			require.Empty(t, twin.Diff(flat, full))
		}
	})
}

// flatFromBytes fills a *flatAll from b, field by field.
func flatFromBytes(b []byte) *flatAll {
	next := func(n int) uint64 {
		var x uint64
		for i := 0; i < n; i++ {
			x <<= 8
			if len(b) > 0 {
				x |= uint64(b[0])
				b = b[1:]
			}
		}
		return x
	}
	v := &flatAll{
		B: next(1)&1 == 1, I: int(next(8)), I8: int8(next(1)), I16: int16(next(2)), I32: int32(next(4)), I64: int64(next(8)),
		U: uint(next(8)), U8: uint8(next(1)), U16: uint16(next(2)), U32: uint32(next(4)), U64: next(8),
		F32: math.Float32frombits(uint32(next(4))), F64: math.Float64frombits(next(8)),
	}
	n := int(next(1)) % 40
	s := make([]byte, 0, n)
	for range n {
		s = append(s, byte(next(1)))
	}
	v.S, v.N = string(s), flatName(s)
	return v
}

// The fuzz seeds that are a flatAll's field nodes read as the value they
// came from: the fuzz target's read half starts from records the shortcut
// answers for. The shortcut reads the records of types this process has
// written or learnt; the test learns flatAll itself, so that it does not
// depend on the tests that ran before it.
func TestFlatFuzzSeedsDecode(t *testing.T) {
	flatrec.Learn(&flatAll{})
	zero := recordBytes(t, &flatAll{})
	v := &flatAll{B: true, I: -3, S: "x", F32: 0.5}
	b := recordBytes(t, v)
	require.Equal(t, zero[:len(zero)-44], b[:len(zero)-44], "the prefix is the same for every value")
	got, ok := flatrec.Decode(b, flatrec.LimitsOf(nil))
	require.True(t, ok)
	assert.Equal(t, v, got)
}

// nestedFromBytes fills a *flatNested from b.
func nestedFromBytes(b []byte) *flatNested {
	a := flatFromBytes(b)
	v := &flatNested{S: a.S, U: a.U16}
	v.FlatBase.I, v.In.I, v.Deep.A.I = a.I, int(a.I64), int(a.I32)
	v.Deep.B, v.Deep.F = a.B, a.F32
	return v
}

// nestedSuffix is the length of a zero flatNested's record after its
// prefix: every node but the first struct's fields' are constant, so it
// is the record of the zero value less the bytes before the embedded
// struct's field I.
func nestedSuffix(t testing.TB) int {
	// FlatBase.I (2), In's struct node and I (constant + 2), S (2), Deep's
	// node, A's node and I (constant + 2), B (2), F (9), U (2): the record
	// of a value with only the embedded I set differs from the zero one
	// from that field's payload on, so the prefix ends one byte before it.
	zero := recordBytes(t, &flatNested{})
	one := recordBytes(t, &flatNested{FlatBase: FlatBase{I: 1}})
	for i := range zero {
		if zero[i] != one[i] {
			return len(zero) - (i - 1)
		}
	}
	t.Fatal("the embedded field's value is not in the record")
	return 0
}
