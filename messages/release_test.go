package messages_test

import (
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values deserialized from a record share nothing with it: releasing the
// record and reusing its memory for other values leaves them intact.
func TestRecordReleaseLeavesResultsIntact(t *testing.T) {
	type item struct {
		Name  string
		Bytes []byte
		Tags  []string
	}
	in := map[string]any{"a": &item{Name: "x", Bytes: []byte{1, 2, 3}, Tags: []string{"t"}}, "n": 7, "s": "str"}
	rec, err := messages.Serialize(in)
	require.NoError(t, err)
	out, err := messages.Deserialize(rec)
	require.NoError(t, err)
	rec.Release()
	for i := 0; i < 50; i++ {
		r, err := messages.Serialize(map[string]any{"a": &item{Name: "other", Bytes: []byte{9, 9, 9}, Tags: []string{"u", "v"}}, "n": i, "s": "zzz"})
		require.NoError(t, err)
		_, err = messages.Deserialize(r)
		require.NoError(t, err)
		r.Release()
	}
	assert.Equal(t, in, out)
}

// Releasing a record that carried a transferred buffer leaves the
// receiver's buffer with its bytes.
func TestRecordReleaseAfterTransfer(t *testing.T) {
	buf := messages.NewArrayBuffer([]byte{4, 5, 6})
	rec, err := messages.Serialize(buf, buf)
	require.NoError(t, err)
	out, err := messages.Deserialize(rec)
	require.NoError(t, err)
	rec.Release()
	r, err := messages.Serialize(messages.NewArrayBuffer([]byte{7, 7, 7}))
	require.NoError(t, err)
	r.Release()
	assert.Equal(t, []byte{4, 5, 6}, out.(*messages.ArrayBuffer).Bytes())
	var nilRec *messages.Record
	assert.NotPanics(t, nilRec.Release, "releasing nil does nothing")
}

// Decoded records come from the same pool as serialized ones: a record
// decoded into memory that held other values rebuilds exactly its own.
func TestDecodedRecordsReuseReleasedMemory(t *testing.T) {
	values := []any{int64(-5), true, "s", 7, map[string]any{"k": []any{uint8(1), nil}}, messages.Undefined, 2.5}
	encoded := make([][]byte, len(values))
	for i, v := range values {
		r, err := messages.Serialize(v)
		require.NoError(t, err)
		encoded[i], err = r.MarshalBinary()
		require.NoError(t, err)
		r.Release()
	}
	for round := 0; round < 20; round++ {
		for i, b := range encoded {
			r, err := messages.DecodeRecord(b)
			require.NoError(t, err)
			out, err := messages.Deserialize(r)
			require.NoError(t, err)
			r.Release()
			require.Equal(t, values[i], out, "round %d, value %d", round, i)
		}
	}
}
