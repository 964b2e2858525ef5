package messages_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// An Error keeps whether it has an own message property, as the standard's
// serialization does ([[Message]] undefined or a string, perhaps empty):
// from a realm through the record and its binary form to a realm, while
// Go's *Error, which cannot tell, holds both as "" and sends "" as none.
// A version-2 record wrote none as the empty string, and reads so.
func TestErrorMessagePresence(t *testing.T) {
	type maker func() *messages.Record
	fromJS := func(message string, has bool) maker {
		return func() *messages.Record {
			w := jsrec.NewWriter()
			w.BeginError("TypeError", message, "", has, false)
			w.End()
			w.SetTransferred(nil, 0)
			rec, err := w.Finish()
			require.NoError(t, err)
			return rec.(*messages.Record)
		}
	}
	fromGo := func(message string) maker {
		return func() *messages.Record {
			rec, err := messages.Serialize(&messages.Error{Name: "TypeError", Message: message})
			require.NoError(t, err)
			return rec
		}
	}
	// binary marshals a record and decodes it again, with the version
	// byte set.
	binary := func(rec maker, version byte) maker {
		return func() *messages.Record {
			b, err := rec().MarshalBinary()
			require.NoError(t, err)
			b[0] = version
			out, err := messages.DecodeRecord(b)
			require.NoError(t, err)
			return out
		}
	}
	tests := []struct {
		name       string
		rec        maker
		message    string
		hasMessage bool
		goMessage  string
	}{
		{"a realm's error without a message", fromJS("", false), "", false, ""},
		{"a realm's error with an empty message", fromJS("", true), "", true, ""},
		{"a realm's error with a message", fromJS("m", true), "m", true, "m"},
		{"without a message, through the binary form", binary(fromJS("", false), 3), "", false, ""},
		{"with an empty message, through the binary form", binary(fromJS("", true), 3), "", true, ""},
		{"with an empty message, read as a version-2 record", binary(fromJS("", true), 2), "", false, ""},
		{"with a message, read as a version-2 record", binary(fromJS("m", true), 2), "m", true, "m"},
		{"Go's empty message", fromGo(""), "", false, ""},
		{"Go's message", fromGo("m"), "m", true, "m"},
		{"Go's empty message, through the binary form", binary(fromGo(""), 3), "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns, err := readNodes(t, tc.rec())
			require.NoError(t, err)
			require.Len(t, ns, 1)
			assert.Equal(t, jsrec.Error, ns[0].Kind)
			assert.Equal(t, "TypeError", ns[0].Str)
			assert.Equal(t, tc.message, ns[0].Message)
			assert.Equal(t, tc.hasMessage, ns[0].HasMessage)

			v, err := messages.Deserialize(tc.rec())
			require.NoError(t, err)
			require.IsType(t, &messages.Error{}, v)
			assert.Equal(t, &messages.Error{Name: "TypeError", Message: tc.goMessage}, v)
		})
	}
}

// A version-2 record's empty message means none however the record is
// read (DecodeRecord or UnmarshalBinary) and after it is marshaled again
// (as version 3); and a record it leaves in the pool does not change how
// later records read.
func TestErrorMessageOfOlderRecords(t *testing.T) {
	v2 := func() []byte {
		w := jsrec.NewWriter()
		w.BeginError("TypeError", "", "", true, false) // an empty string: what versions 1 and 2 wrote for none
		w.End()
		w.SetTransferred(nil, 0)
		rec, err := w.Finish()
		require.NoError(t, err)
		b, err := rec.(*messages.Record).MarshalBinary()
		require.NoError(t, err)
		b[0] = 2
		return b
	}
	hasMessage := func(rec *messages.Record) bool {
		ns, err := readNodes(t, rec)
		require.NoError(t, err)
		require.Len(t, ns, 1)
		return ns[0].HasMessage
	}

	decoded, err := messages.DecodeRecord(v2())
	require.NoError(t, err)
	assert.False(t, hasMessage(decoded), "DecodeRecord")

	var unmarshaled messages.Record
	require.NoError(t, unmarshaled.UnmarshalBinary(v2()))
	assert.False(t, hasMessage(&unmarshaled), "UnmarshalBinary")

	again, err := messages.DecodeRecord(v2())
	require.NoError(t, err)
	b, err := again.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, byte(3), b[0])
	remarshaled, err := messages.DecodeRecord(b)
	require.NoError(t, err)
	assert.False(t, hasMessage(remarshaled), "marshaled again as version 3")

	for range 20 {
		r, err := messages.DecodeRecord(v2())
		require.NoError(t, err)
		r.Release()
		w := jsrec.NewWriter()
		w.BeginError("TypeError", "", "", true, false) // a realm's new TypeError('')
		w.End()
		w.SetTransferred(nil, 0)
		rec, err := w.Finish()
		require.NoError(t, err)
		require.True(t, hasMessage(rec.(*messages.Record)), "a record made after a version-2 one was released")
	}
}
