package messages_test

import (
	"io"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// Node kinds of format version 2, as bytes.
const (
	hJSArray = 31 + iota
	hBoxed
	hDate
)

func TestJSKindsHostile(t *testing.T) {
	for name, c := range map[string]struct {
		in                    []byte
		decode, deser, reader error // nil: no error expected at that step
	}{
		"a JavaScript kind in a version-1 record": {in: []byte{1, 0, 0, 0, 1, hJSArray, 0, 0},
			decode: messages.ErrCorruptRecord},
		"a huge sparse array": {in: []byte{2, 0, 0, 0, 1, hJSArray, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
			deser: messages.ErrLimitExceeded},
		"an array length over 2^32-1": {in: []byte{2, 0, 0, 0, 1, hJSArray, 0, 0x80, 0x80, 0x80, 0x80, 0x10},
			decode: messages.ErrCorruptRecord},
		"array entries beyond the nodes": {in: []byte{2, 0, 0, 0, 1, hJSArray, 1, 1},
			decode: messages.ErrCorruptRecord},
		"a wrapper of null": {in: []byte{2, 0, 0, 0, 2, hBoxed, 2},
			deser: messages.ErrCorruptRecord, reader: messages.ErrCorruptRecord},
		"a truncated date": {in: []byte{2, 0, 0, 0, 1, hDate, 0, 0},
			decode: messages.ErrCorruptRecord},
	} {
		t.Run(name, func(t *testing.T) {
			rec, err := messages.DecodeRecord(c.in)
			if c.decode != nil {
				assert.ErrorIs(t, err, c.decode)
				assert.ErrorIs(t, err, messages.ErrDataClone)
				return
			}
			require.NoError(t, err)
			_, err = messages.Deserialize(rec)
			if c.deser != nil {
				assert.ErrorIs(t, err, c.deser)
			} else {
				assert.NoError(t, err)
			}
			_, err = readNodes(t, rec)
			if c.reader != nil {
				assert.ErrorIs(t, err, c.reader)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestJSWriterViewsOutOfBounds(t *testing.T) {
	rec, err := writeNodes([]jsrec.Node{{Kind: jsrec.TypedArray, Elem: uint8(messages.Float64), Offset: 8, Length: 1, ID: 0}, jAB(1, 1, 2, 3, 4, 5, 6, 7, 8)})
	require.NoError(t, err)
	_, err = messages.Deserialize(rec)
	assert.ErrorIs(t, err, messages.ErrDataClone)
	_, err = readNodes(t, rec) // last: the Reader releases rec
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.Contains(t, err.Error(), "does not fit")

	rec, err = writeNodes([]jsrec.Node{jArr(0, math.MaxUint32, 0)})
	require.NoError(t, err)
	_, err = messages.Deserialize(rec)
	assert.ErrorIs(t, err, messages.ErrLimitExceeded, "a sparse array too large for a Go slice")
	got, err := readNodes(t, rec)
	require.NoError(t, err)
	assert.Equal(t, []jsrec.Node{jArr(0, math.MaxUint32, 0)}, got, "a realm reads it as it is")
}

func TestInvalidDateThroughGo(t *testing.T) {
	rec, err := writeNodes([]jsrec.Node{{Kind: jsrec.Date, Num: math.NaN(), ID: 0}})
	require.NoError(t, err)
	v, err := messages.Deserialize(rec)
	require.NoError(t, err)
	assert.Equal(t, time.Time{}, v)
	back, err := messages.Serialize(v)
	require.NoError(t, err)
	got, err := readNodes(t, back)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, jsrec.Date, got[0].Kind)
	assert.True(t, math.IsNaN(got[0].Num), "the zero time reads as an invalid Date")
}

func TestJSArrayAsSetMemberIntoGo(t *testing.T) {
	nodes := []jsrec.Node{{Kind: jsrec.Set, Count: 1, ID: 0}, jArr(1, 0, 0)}
	rec, err := writeNodes(nodes)
	require.NoError(t, err)
	_, err = messages.Deserialize(rec)
	assert.ErrorIs(t, err, messages.ErrDataClone, "an array has no comparable Go form")
	got, err := readNodes(t, rec)
	require.NoError(t, err)
	assert.Equal(t, nodes, got)
}

func TestJSReaderEndsAndErrorsStick(t *testing.T) {
	rec, err := messages.DecodeRecord([]byte{2, 0, 0, 0, 2, hBoxed, 2})
	require.NoError(t, err)
	rd, err := jsrec.NewReader(rec)
	require.NoError(t, err)
	_, first := rd.Next()
	require.ErrorIs(t, first, messages.ErrCorruptRecord)
	_, again := rd.Next()
	assert.Equal(t, first, again)
	rd.Release()

	rec, err = writeNodes([]jsrec.Node{jN(1)})
	require.NoError(t, err)
	rd, err = jsrec.NewReader(rec)
	require.NoError(t, err)
	defer rd.Release()
	_, err = rd.Next()
	require.NoError(t, err)
	for range 2 {
		_, err = rd.Next()
		assert.ErrorIs(t, err, io.EOF)
	}
}
