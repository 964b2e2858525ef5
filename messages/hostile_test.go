package messages_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hand-made records in the binary format (see doc.go and binary_encode.go):
// the version byte, the type table, the transferred buffers, the number of
// external slots, then the nodes. The numbers below are the format's node
// kinds, type-table operations and built-in type ids.
const (
	hNull, hBool, hInt, hString, hPacked, hTime = 2, 3, 4, 8, 10, 12
	hSlice, hStruct, hPointer, hSet             = 15, 18, 19, 22
	hArrayBuffer, hTransferred, hTypedArray     = 23, 24, 25
	hExternal, hProto, hRef                     = 27, 28, 30
	hTyped                                      = 0x80

	opProto, opSlice, opArray, opMap, opStruct = 2, 3, 4, 5, 7

	idBool, idInt8, idUint64, idString, idSliceAny = 1, 3, 11, 16, 20
	firstTableID                                   = 64
)

// hostile is a record under construction.
type hostile struct {
	types [][]byte
	xfer  [][]byte
	ext   int
	nodes [][]byte
}

func uv(b []byte, x uint64) []byte { return binary.AppendUvarint(b, x) }

func str(b []byte, s string) []byte { return append(uv(b, uint64(len(s))), s...) }

func (h hostile) bytes() []byte {
	b := []byte{1}
	b = uv(b, uint64(len(h.types)))
	for _, t := range h.types {
		b = append(b, t...)
	}
	b = uv(b, uint64(len(h.xfer)))
	for _, x := range h.xfer {
		b = str(b, string(x))
	}
	b = uv(b, uint64(h.ext))
	b = uv(b, uint64(len(h.nodes)))
	for _, n := range h.nodes {
		b = append(b, n...)
	}
	return b
}

func arrayType(n, elem uint64) []byte { return uv(uv([]byte{opArray}, n), elem) }

func structType(fields ...string) []byte { // fields: name, then type id as a decimal digit string pairs
	b := uv([]byte{opStruct}, uint64(len(fields)/2))
	for i := 0; i < len(fields); i += 2 {
		b = str(b, fields[i])
		b = str(b, "")
		b = uv(b, uint64(fields[i+1][0]))
		b = append(b, 0)
	}
	return b
}

func nested(depth int) [][]byte {
	var nodes [][]byte
	for range depth {
		nodes = append(nodes, []byte{hSlice, 1})
	}
	return append(nodes, []byte{hNull})
}

// TestDecodeHostileRecords feeds records built to break the decoder: each
// must be refused with an error matching ErrDataClone (and the expected
// cause), without a panic and without allocating much more than the input.
func TestDecodeHostileRecords(t *testing.T) {
	big := arrayType(1<<26, idUint64) // [1<<26]uint64: 512 MiB
	tests := []struct {
		name  string
		in    []byte
		cause error // ErrCorruptRecord, ErrLimitExceeded, or nil for another DataCloneError
		opts  []messages.DecodeOption
	}{
		{name: "13 bytes naming a 512 MiB array type", cause: messages.ErrLimitExceeded,
			in: hostile{types: [][]byte{big}, nodes: [][]byte{{hNull | hTyped, firstTableID}}}.bytes()},
		{name: "a 512 MiB struct none of whose fields are recorded", cause: messages.ErrLimitExceeded,
			in: hostile{types: [][]byte{big, structType("A", string(rune(firstTableID))), structType()},
				nodes: [][]byte{{hStruct | hTyped, firstTableID + 1, firstTableID + 2}}}.bytes()},
		{name: "a pointer to a 512 MiB array", cause: messages.ErrLimitExceeded,
			in: hostile{types: [][]byte{big, {6, firstTableID}}, nodes: [][]byte{{hPointer | hTyped, firstTableID + 1}, {hNull}}}.bytes()},
		{name: "an array type larger than the limits", cause: messages.ErrLimitExceeded,
			in: hostile{types: [][]byte{arrayType(1<<31-1, idUint64)}, nodes: [][]byte{{hNull | hTyped, firstTableID}}}.bytes()},
		{name: "a slice of 2^32 elements", cause: messages.ErrCorruptRecord,
			in: hostile{nodes: [][]byte{uv([]byte{hSlice}, 1<<32)}}.bytes()},
		{name: "a packed slice longer than the input", cause: messages.ErrCorruptRecord,
			in: hostile{types: [][]byte{{opSlice, idBool}}, nodes: [][]byte{uv([]byte{hPacked | hTyped, firstTableID, 1}, 1<<40)}}.bytes()},
		{name: "a string longer than the input", cause: messages.ErrCorruptRecord,
			in: hostile{nodes: [][]byte{uv([]byte{hString}, 1<<20)}}.bytes()},
		{name: "a type entry referring to itself", cause: messages.ErrCorruptRecord,
			in: hostile{types: [][]byte{{opSlice, firstTableID}}, nodes: [][]byte{{hNull | hTyped, firstTableID}}}.bytes()},
		{name: "a map type with a slice key", cause: messages.ErrCorruptRecord,
			in: hostile{types: [][]byte{{opMap, idSliceAny, idString}}, nodes: [][]byte{{hNull | hTyped, firstTableID}}}.bytes()},
		{name: "an unexported struct field name", cause: messages.ErrCorruptRecord,
			in: hostile{types: [][]byte{structType("a", string(rune(idString)))}, nodes: [][]byte{{hNull | hTyped, firstTableID}}}.bytes()},
		{name: "a struct field named twice", cause: messages.ErrCorruptRecord,
			in: hostile{types: [][]byte{structType("A", string(rune(idString)), "A", string(rune(idString)))},
				nodes: [][]byte{{hNull | hTyped, firstTableID}}}.bytes()},
		{name: "nested deeper than the default limit", cause: messages.ErrLimitExceeded,
			in: hostile{nodes: nested(messages.DefaultMaxDepth)}.bytes()},
		{name: "nested deeper than WithMaxDepth", cause: messages.ErrLimitExceeded, opts: []messages.DecodeOption{messages.WithMaxDepth(5)},
			in: hostile{nodes: nested(5)}.bytes()},
		{name: "more nodes than WithMaxElements", cause: messages.ErrLimitExceeded, opts: []messages.DecodeOption{messages.WithMaxElements(3)},
			in: hostile{nodes: [][]byte{{hSlice, 3}, {hNull}, {hNull}, {hNull}}}.bytes()},
		{name: "a transfer slot that does not exist", cause: messages.ErrCorruptRecord,
			in: hostile{nodes: [][]byte{{hTransferred, 0}}}.bytes()},
		{name: "an external slot that does not exist", cause: messages.ErrCorruptRecord,
			in: hostile{ext: 1, nodes: [][]byte{{hExternal, 1}}}.bytes()},
		{name: "an external slot and no object to adopt",
			in: hostile{ext: 1, nodes: [][]byte{{hExternal, 0}}}.bytes()},
		{name: "a reference to an object not seen yet", cause: messages.ErrCorruptRecord,
			in: hostile{nodes: [][]byte{{hRef, 0}}}.bytes()},
		{name: "a view whose buffer is the view itself",
			in: hostile{nodes: [][]byte{{hTypedArray, 1, 0, 0}, {hRef, 0}}}.bytes()},
		{name: "a view past the end of its buffer",
			in: hostile{nodes: [][]byte{{hTypedArray, 1, 100, 1}, {hArrayBuffer, 4, 1, 2, 3, 4}}}.bytes()},
		{name: "a typed array of an unknown element kind", cause: messages.ErrCorruptRecord,
			in: hostile{nodes: [][]byte{{hTypedArray, 99, 0, 0}, {hArrayBuffer, 0}}}.bytes()},
		{name: "a time with a nanosecond count over a second", cause: messages.ErrCorruptRecord,
			in: hostile{nodes: [][]byte{str(uv(uv([]byte{hTime}, 0), 2e9), "UTC")}}.bytes()},
		{name: "a packed bool that is neither 0 nor 1", cause: messages.ErrCorruptRecord,
			in: hostile{types: [][]byte{{opSlice, idBool}}, nodes: [][]byte{{hPacked | hTyped, firstTableID, 1, 1, 2}}}.bytes()},
		{name: "an int8 out of range",
			in: hostile{nodes: [][]byte{binary.AppendVarint([]byte{hInt | hTyped, idInt8}, 300)}}.bytes()},
		{name: "a bad protobuf payload",
			in: hostile{nodes: [][]byte{str(str([]byte{hProto}, "google.protobuf.StringValue"), "\xff\xff")}}.bytes()},
		{name: "an unknown protobuf message",
			in: hostile{nodes: [][]byte{str(str([]byte{hProto}, "no.such.Message"), "")}}.bytes()},
		{name: "a protobuf type entry of an unknown message",
			in: hostile{types: [][]byte{str([]byte{opProto}, "no.such.Message")}, nodes: [][]byte{{hNull | hTyped, firstTableID}}}.bytes()},
		{name: "a Set whose entry is a slice (not comparable)",
			in: hostile{nodes: [][]byte{{hSet, 1}, {hSlice, 0}}}.bytes()},
		{name: "an unknown node kind", cause: messages.ErrCorruptRecord, in: hostile{nodes: [][]byte{{63}}}.bytes()},
		{name: "an unknown type entry", cause: messages.ErrCorruptRecord,
			in: hostile{types: [][]byte{{99}}, nodes: [][]byte{{hNull}}}.bytes()},
		{name: "a node count larger than the input", cause: messages.ErrCorruptRecord,
			in: append(uv([]byte{1, 0, 0, 0}, 1000), hNull)},
		{name: "a node count over WithMaxElements", cause: messages.ErrLimitExceeded,
			in: append(uv([]byte{1, 0, 0, 0}, 1<<30), hNull)},
		{name: "nodes left over after the value", cause: messages.ErrCorruptRecord,
			in: hostile{nodes: [][]byte{{hNull}, {hNull}}}.bytes()},
		{name: "bytes left over after the record", cause: messages.ErrCorruptRecord,
			in: append(hostile{nodes: [][]byte{{hNull}}}.bytes(), 0)},
		{name: "an unknown format version", in: []byte{0, 0, 0, 0, 1, hNull}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := decodeAndDeserialize(tc.in, tc.opts...)
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			assert.ErrorIs(t, err, messages.ErrDataClone)
			if tc.cause != nil {
				assert.ErrorIs(t, err, tc.cause)
			}
			assert.True(t, len(err.Error()) > len("messages: ") && err.Error()[:10] == "messages: ", err.Error())
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "allocated for %d bytes of input", len(tc.in))
		})
	}
}

// decodeAndDeserialize decodes b; when that succeeds the record must also
// marshal again, and its Deserialize error (if any) is returned.
func decodeAndDeserialize(b []byte, opts ...messages.DecodeOption) error {
	r, err := messages.DecodeRecord(b, opts...)
	if err != nil {
		return err
	}
	if _, err := r.MarshalBinary(); err != nil {
		return errors.New("a decoded record does not marshal: " + err.Error())
	}
	var r2 messages.Record
	if err := r2.UnmarshalBinary(b); err != nil && len(opts) == 0 {
		return errors.New("UnmarshalBinary disagrees with DecodeRecord: " + err.Error())
	}
	_, err = messages.Deserialize(r)
	return err
}

// The allocation budget still fits dense real records: a Set of many small
// integers costs about 16 times its bytes once built.
func TestDecodeBudgetFitsDenseRecords(t *testing.T) {
	s := messages.NewSet()
	for i := range 200_000 {
		s.Add(i % 100_000)
		s.Add(-i)
	}
	r, err := messages.Serialize(s)
	require.NoError(t, err)
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	for _, opts := range [][]messages.DecodeOption{nil, {messages.WithMaxBytes(2 * len(b))}} {
		dec, err := messages.DecodeRecord(b, opts...)
		require.NoError(t, err)
		out, err := messages.Deserialize(dec)
		require.NoError(t, err)
		assert.Equal(t, s.Len(), out.(*messages.Set).Len())
	}
}

// A record that decodes is never changed by UnmarshalBinary failing later.
func TestUnmarshalBinaryFailureLeavesRecord(t *testing.T) {
	good := marshal(t, []any{"keep", 1.5})
	var r messages.Record
	require.NoError(t, r.UnmarshalBinary(good))
	require.Error(t, r.UnmarshalBinary(good[:len(good)-1]))
	v, err := messages.Deserialize(&r)
	require.NoError(t, err)
	assert.Equal(t, []any{"keep", 1.5}, v)
	again, err := r.MarshalBinary()
	require.NoError(t, err)
	assert.True(t, bytes.Equal(good, again))
}
