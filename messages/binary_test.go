package messages_test

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func marshal(t *testing.T, v any, transfer ...messages.Transferable) []byte {
	t.Helper()
	r, err := messages.Serialize(v, transfer...)
	require.NoError(t, err)
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	return b
}

func TestBinaryVersionByte(t *testing.T) {
	b := marshal(t, "x")
	assert.Equal(t, byte(3), b[0])
	for _, version := range []byte{1, 2} {
		// Versions 2 and 3 only add kinds and an error's undefined
		// message: an older record reads as before.
		b[0] = version
		r1, err := messages.DecodeRecord(b)
		require.NoError(t, err)
		v, err := messages.Deserialize(r1)
		require.NoError(t, err)
		assert.Equal(t, "x", v)
	}
	b[0] = 4
	_, err := messages.DecodeRecord(b)
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.Contains(t, err.Error(), "unsupported record format version 4")
	var r messages.Record
	assert.ErrorIs(t, r.UnmarshalBinary(b), messages.ErrDataClone)
}

func TestBinaryRoundTripIsStable(t *testing.T) {
	in := map[string]any{"a": []any{1.5, "x", messages.Undefined}, "b": &Item{Name: "n", Tags: Tags{"t"}}}
	b1 := marshal(t, []any{in})
	r, err := messages.DecodeRecord(b1)
	require.NoError(t, err)
	b2, err := r.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, len(b1), len(b2), "a decoded record marshals to the same size")
	var r2 messages.Record
	require.NoError(t, r2.UnmarshalBinary(b2))
	v, err := messages.Deserialize(&r2)
	require.NoError(t, err)
	assert.Empty(t, cloneEqual([]any{in}, v))
	assert.Equal(t, r.ByteSize(), r2.ByteSize())
}

func TestDecodeLimits(t *testing.T) {
	deep := any("leaf")
	for range 50 {
		deep = []any{deep}
	}
	wide := make([]any, 1000)
	b := marshal(t, []any{deep, wide})
	tests := []struct {
		name string
		opt  messages.DecodeOption
		ok   bool
		msg  string // what the error says
	}{
		{"defaults", nil, true, ""},
		{"depth ok", messages.WithMaxDepth(60), true, ""},
		{"too deep", messages.WithMaxDepth(10), false, "nested deeper than 10 levels (WithMaxDepth)"},
		{"too big", messages.WithMaxBytes(len(b) - 1), false, "exceeds the limit of " + strconv.Itoa(len(b)-1) + " (WithMaxBytes)"},
		{"bytes ok", messages.WithMaxBytes(len(b)), true, ""},
		{"too many elements", messages.WithMaxElements(500), false, "more than 500 elements (WithMaxElements)"},
		{"zero means default", messages.WithMaxDepth(0), true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []messages.DecodeOption
			if tc.opt != nil {
				opts = append(opts, tc.opt)
			}
			_, err := messages.DecodeRecord(b, opts...)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, messages.ErrDataClone)
			assert.ErrorIs(t, err, messages.ErrLimitExceeded)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestDecodeAllocationBudget(t *testing.T) {
	// A struct node with no fields decodes into a huge zero value: the
	// budget stops it (16 x MaxBytes).
	type Huge struct{ Data [1 << 16]byte }
	type Small struct{}
	messages.Register("test.HugeOrSmall", Small{})
	b := marshal(t, make([]Small, 100))
	_ = b
	var list []any
	for range 100 {
		list = append(list, Small{})
	}
	b = marshal(t, list)
	restore := messages.SwapRegistration("test.HugeOrSmall", Huge{})
	defer restore()
	r, err := messages.DecodeRecord(b, messages.WithMaxBytes(len(b)))
	require.NoError(t, err)
	_, err = messages.Deserialize(r)
	assert.ErrorIs(t, err, messages.ErrLimitExceeded)
}

func TestDecodeCorruptInput(t *testing.T) {
	good := marshal(t, map[string]any{"k": []any{1, "two", 3.5, messages.NewObject()}})
	_, err := messages.DecodeRecord(good)
	require.NoError(t, err)
	cases := map[string][]byte{
		"empty":            {},
		"version only":     {1},
		"trailing garbage": append(bytes.Clone(good), 0),
		"bad kind":         {1, 0, 0, 0, 1, 63},
		"two roots":        {1, 0, 0, 0, 2, 2, 2},
		"huge count":       {1, 0, 0, 0, 1, 15, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"ref to nothing":   {1, 0, 0, 0, 1, 30, 0},
		"bad bool":         {1, 0, 0, 0, 1, 3, 7},
		"huge string":      {1, 0, 0, 0, 1, 8, 0xff, 0xff, 0xff, 0xff, 0x0f},
	}
	for i := 1; i < len(good); i++ {
		cases["truncated "+string(rune('A'+i%26))+string(rune('a'+i/26))] = good[:i]
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := messages.DecodeRecord(b)
			assert.ErrorIs(t, err, messages.ErrDataClone)
		})
	}
}

func TestUnregisteredTypeName(t *testing.T) {
	type Unregistered struct{ A int }
	b := marshal(t, Unregistered{A: 1})
	_, err := messages.DecodeRecord(b)
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.Contains(t, err.Error(), `"github.com/entangle-go/entangle/messages_test.Unregistered" is not registered`)
	// In a typed position no registration is needed.
	b = marshal(t, &Pair{A: &Point{1, 2}})
	_, err = messages.DecodeRecord(b)
	assert.NoError(t, err)
}

func TestRegister(t *testing.T) {
	type Reg struct{ V string }
	messages.Register("test.Reg", Reg{})
	messages.Register("test.Reg", &Reg{}) // identical again: no-op
	assert.Equal(t, "test.Reg", messages.TypeName(Reg{}))
	assert.Panics(t, func() { messages.Register("test.Reg", Point{}) }, "name taken by another type")
	assert.Panics(t, func() { messages.Register("test.Other", Reg{}) }, "type registered under another name")
	assert.Panics(t, func() { messages.Register("", Reg{}) })
	assert.Panics(t, func() { messages.Register("x", nil) })
	assert.Panics(t, func() { messages.Register("x", []int{}) }, "unnamed")
	assert.Panics(t, func() { messages.Register("x", messages.NewObject()) }, "built-in")

	b := marshal(t, []any{Reg{V: "v"}, &Reg{V: "p"}, []Reg{{V: "s"}}})
	r, err := messages.DecodeRecord(b)
	require.NoError(t, err)
	v, err := messages.Deserialize(r)
	require.NoError(t, err)
	assert.Equal(t, []any{Reg{V: "v"}, &Reg{V: "p"}, []Reg{{V: "s"}}}, v)
}

func TestProtobufMessages(t *testing.T) {
	st, err := structpb.NewStruct(map[string]any{"a": 1.0, "b": []any{"x", true}})
	require.NoError(t, err)
	ts := timestamppb.Now()
	type envelope struct {
		Payload *structpb.Struct
		Any     any
		Again   *timestamppb.Timestamp
	}
	messages.RegisterType(envelope{})
	in := &envelope{Payload: st, Any: ts, Again: ts}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		c := out.(*envelope)
		assert.Empty(t, cloneEqual(in, out), how)
		assert.Same(t, c.Any, c.Again, how)
	}
	// A message name unknown to the receiver.
	b := marshal(t, wrapperspb.String("x"))
	i := bytes.Index(b, []byte("google.protobuf.StringValue"))
	require.Positive(t, i)
	copy(b[i:], "google.protobuf.StringValuX")
	_, err = messages.DecodeRecord(b)
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.Contains(t, err.Error(), "not known on this node")
	// Protobuf struct values (not pointers) are refused.
	_, err = messages.StructuredClone(struct{ V structpb.Value }{})
	assert.ErrorIs(t, err, messages.ErrDataClone)
}

// Whatever Serialize accepts decodes with the default depth limit, even
// when the deepest value has parts of its own (a complex number, an Error,
// a RegExp); one level more is refused by Serialize already, and
// StructuredClone agrees.
func TestSerializeDepthFitsDecodeLimit(t *testing.T) {
	nest := func(leaf any, n int) any {
		v := leaf
		for range n {
			v = []any{v}
		}
		return v
	}
	for _, leaf := range []any{complex(1, 2), messages.NewError("TypeError", "deep"), messages.RegExp{Source: "x"}, "s"} {
		deepest := messages.DefaultMaxDepth - 2
		b := marshal(t, nest(leaf, deepest))
		r, err := messages.DecodeRecord(b)
		require.NoError(t, err, "%T", leaf)
		_, err = messages.Deserialize(r)
		require.NoError(t, err, "%T", leaf)

		_, err = messages.Serialize(nest(leaf, deepest+1))
		assert.ErrorIs(t, err, messages.ErrLimitExceeded, "%T", leaf)
		_, err = messages.StructuredClone(nest(leaf, deepest+1))
		assert.ErrorIs(t, err, messages.ErrLimitExceeded, "%T", leaf)
		_, err = messages.StructuredClone(nest(leaf, deepest))
		assert.NoError(t, err, "%T", leaf)
	}
}

// AppendBinary writes after what b holds exactly what MarshalBinary gives,
// and on error leaves b's bytes alone.
func TestAppendBinaryAppendsTheMarshaledForm(t *testing.T) {
	r, err := messages.Serialize(map[string]any{"a": 1.5, "b": []any{"x", true}})
	require.NoError(t, err)
	want, err := r.MarshalBinary()
	require.NoError(t, err)
	prefix := []byte("head")
	got, err := r.AppendBinary(append([]byte(nil), prefix...))
	require.NoError(t, err)
	assert.Equal(t, append(append([]byte(nil), prefix...), want...), got)

	empty := &messages.Record{}
	out, err := empty.AppendBinary(prefix)
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.Nil(t, out)
	assert.Equal(t, []byte("head"), prefix)
}
