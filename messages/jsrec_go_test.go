package messages_test

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// Records a realm writes, deserialized into Go values.

func TestJSRecordsIntoGo(t *testing.T) {
	when := time.UnixMilli(1700000000123).UTC()
	for name, c := range map[string]struct {
		nodes []jsrec.Node
		check func(t *testing.T, v any)
	}{
		"holes become Undefined, extra properties are dropped": {
			[]jsrec.Node{jArr(0, 3, 2), jS("1"), jN(1), jS("x"), jN(2)},
			func(t *testing.T, v any) { assert.Equal(t, []any{messages.Undefined, 1.0, messages.Undefined}, v) }},
		"a cyclic array stays a cycle": {
			[]jsrec.Node{jArr(0, 1, 1), jS("0"), jRef(0)},
			func(t *testing.T, v any) {
				s := v.([]any)
				inner := s[0].([]any)
				assert.Same(t, &s[0], &inner[0])
			}},
		"a shared array is one slice": {
			[]jsrec.Node{jObj(0, 2), jS("a"), jArr(1, 1, 1), jS("0"), jN(1), jS("b"), jRef(1)},
			func(t *testing.T, v any) {
				o := v.(*messages.Object)
				a, _ := o.Get("a")
				b, _ := o.Get("b")
				assert.Same(t, &a.([]any)[0], &b.([]any)[0])
			}},
		"wrappers become their primitives": {
			[]jsrec.Node{jArr(0, 4, 4),
				jS("0"), {Kind: jsrec.Boxed, Box: jsrec.Bool, Bool: true, ID: 1},
				jS("1"), {Kind: jsrec.Boxed, Box: jsrec.Number, Num: 2, ID: 2},
				jS("2"), {Kind: jsrec.Boxed, Box: jsrec.String, Str: "s", ID: 3},
				jS("3"), {Kind: jsrec.Boxed, Box: jsrec.BigInt, Big: big.NewInt(-3), ID: 4}},
			func(t *testing.T, v any) { assert.Equal(t, []any{true, 2.0, "s", big.NewInt(-3)}, v) }},
		"dates become UTC times, an invalid one the zero time": {
			[]jsrec.Node{jArr(0, 2, 2), jS("0"), {Kind: jsrec.Date, Num: 1700000000123, ID: 1}, jS("1"), {Kind: jsrec.Date, Num: math.NaN(), ID: 2}},
			func(t *testing.T, v any) {
				s := v.([]any)
				assert.Equal(t, when, s[0])
				assert.Equal(t, time.UTC, s[0].(time.Time).Location())
				assert.True(t, s[1].(time.Time).IsZero())
			}},
		"blob and file": {
			[]jsrec.Node{jArr(0, 2, 2), jS("0"), {Kind: jsrec.Blob, Str: "t", Bytes: []byte("ab"), ID: 1},
				jS("1"), {Kind: jsrec.File, Str: "u", Bytes: []byte("c"), Name: "n", Num: 1700000000123, ID: 2}},
			func(t *testing.T, v any) {
				s := v.([]any)
				b := s[0].(*messages.Blob)
				assert.Equal(t, []byte("ab"), b.Bytes())
				assert.Equal(t, "t", b.Type())
				assert.Equal(t, 2, b.Size())
				f := s[1].(*messages.File)
				assert.Equal(t, "n", f.Name())
				assert.Equal(t, "u", f.Type())
				assert.Equal(t, when, f.LastModified())
			}},
		"error with a cause": {
			[]jsrec.Node{{Kind: jsrec.Error, Str: "Strange", Message: "m", HasMessage: true, HasCause: true, ID: 0}, jRef(0)},
			func(t *testing.T, v any) {
				e := v.(*messages.Error)
				assert.Equal(t, "Error", e.Name)
				assert.Same(t, e, e.Cause)
			}},
		"regexp object shared": {
			[]jsrec.Node{jArr(0, 2, 2), jS("0"), {Kind: jsrec.RegExp, Str: "a", Flags: "g", ID: 1}, jS("1"), jRef(1)},
			func(t *testing.T, v any) {
				r := messages.RegExp{Source: "a", Flags: "g"}
				assert.Equal(t, []any{r, r}, v)
			}},
		"lone surrogate string": {
			[]jsrec.Node{jS("\xed\xa0\x80")},
			func(t *testing.T, v any) { assert.Equal(t, "\xed\xa0\x80", v) }},
	} {
		t.Run(name, func(t *testing.T) {
			rec, err := writeNodes(c.nodes)
			require.NoError(t, err)
			b, err := rec.MarshalBinary()
			require.NoError(t, err)
			v, err := messages.Deserialize(rec)
			require.NoError(t, err)
			c.check(t, v)
			dec, err := messages.DecodeRecord(b)
			require.NoError(t, err)
			v, err = messages.Deserialize(dec)
			require.NoError(t, err)
			c.check(t, v)
		})
	}
}

func TestGoBlobFileAndCauseClone(t *testing.T) {
	f := messages.NewFile([]byte("data"), "f.txt", "text/plain", time.UnixMilli(42))
	b := messages.NewBlob([]byte("x"), "")
	e := &messages.Error{Name: "TypeError", Message: "outer", Cause: messages.NewError("RangeError", "inner")}
	in := []any{f, f, b, e}
	check := func(t *testing.T, v any) {
		s := v.([]any)
		require.Len(t, s, 4)
		assert.Same(t, s[0], s[1])
		g := s[0].(*messages.File)
		assert.NotSame(t, f, g)
		assert.Equal(t, "f.txt", g.Name())
		assert.Equal(t, []byte("data"), g.Bytes())
		assert.Equal(t, time.UnixMilli(42).UTC(), g.LastModified())
		assert.Equal(t, "x", string(s[2].(*messages.Blob).Bytes()))
		assert.Equal(t, &messages.Error{Name: "TypeError", Message: "outer", Cause: &messages.Error{Name: "RangeError", Message: "inner"}}, s[3])
	}
	v, err := messages.StructuredClone(in)
	require.NoError(t, err)
	check(t, v)
	rec, err := messages.Serialize(in)
	require.NoError(t, err)
	raw, err := rec.MarshalBinary()
	require.NoError(t, err)
	v, err = messages.Deserialize(rec)
	require.NoError(t, err)
	check(t, v)
	dec, err := messages.DecodeRecord(raw)
	require.NoError(t, err)
	v, err = messages.Deserialize(dec)
	require.NoError(t, err)
	check(t, v)

	// A cause that cannot be cloned makes the error clone as any such
	// error does: an *Error of its name and message, without the cause.
	v, err = messages.StructuredClone(&messages.Error{Name: "TypeError", Message: "m", Cause: func() {}})
	require.NoError(t, err)
	assert.Equal(t, &messages.Error{Name: "Error", Message: "TypeError: m"}, v)
}

func TestJSWriterMisuse(t *testing.T) {
	for name, write := range map[string]func(w jsrec.Writer){
		"End without Begin":            func(w jsrec.Writer) { w.End() },
		"open containers at Finish":    func(w jsrec.Writer) { w.BeginObject() },
		"nothing written":              func(w jsrec.Writer) {},
		"two roots":                    func(w jsrec.Writer) { w.Null(); w.Null() },
		"Ref to an unknown ID":         func(w jsrec.Writer) { w.BeginArray(1); w.Key("0"); w.Ref(5); w.End() },
		"Ref to an unknown buffer":     func(w jsrec.Writer) { w.Ref(1 << 30) },
		"external slot out of range":   func(w jsrec.Writer) { w.External(1); w.SetTransferred(nil, 1) },
		"transfer slot without bytes":  func(w jsrec.Writer) { w.TransferredArrayBuffer(0) },
		"value where a key is due":     func(w jsrec.Writer) { w.BeginObject(); w.Null(); w.End() },
		"key without a value":          func(w jsrec.Writer) { w.BeginObject(); w.Key("k"); w.End() },
		"key outside an object":        func(w jsrec.Writer) { w.BeginMap(); w.Key("k"); w.End() },
		"typed array without a buffer": func(w jsrec.Writer) { w.BeginTypedArray(uint8(messages.Uint8), 0, 0); w.End() },
		"typed array of a bad kind":    func(w jsrec.Writer) { w.BeginTypedArray(200, 0, 0); w.ArrayBuffer(nil); w.End() },
		"error cause missing":          func(w jsrec.Writer) { w.BeginError("Error", "", "", false, true); w.End() },
		"error with two causes": func(w jsrec.Writer) {
			w.BeginError("Error", "", "", false, true)
			w.Null()
			w.Null()
			w.End()
		},
		"a wrapper of another type": func(w jsrec.Writer) { w.Boxed(1) },
	} {
		t.Run(name, func(t *testing.T) {
			w := jsrec.NewWriter()
			assert.NotPanics(t, func() { write(w) })
			rec, err := w.Finish()
			assert.Nil(t, rec)
			assert.ErrorIs(t, err, messages.ErrDataClone)
			_, err = w.Finish()
			assert.Error(t, err, "Finish twice")
		})
	}
	w := jsrec.NewWriter()
	w.Null()
	w.Abort()
	_, err := w.Finish()
	assert.Error(t, err, "Finish after Abort")
}

func TestJSWriterLimits(t *testing.T) {
	for name, c := range map[string]struct {
		write func(w jsrec.Writer)
		path  string
	}{
		"depth": {func(w jsrec.Writer) {
			for i := 0; i < messages.DefaultMaxDepth; i++ {
				w.BeginArray(1)
				w.Key("0")
			}
		}, `["0"]["0"]`},
		"elements": {func(w jsrec.Writer) {
			w.BeginSet()
			for i := 0; i < messages.DefaultMaxElements; i++ {
				w.Null()
			}
			w.End()
		}, ".keys()["},
		"bytes of the last value": {func(w jsrec.Writer) {
			w.String(strings.Repeat("x", messages.DefaultMaxBytes+1))
		}, "larger than"},
		"bytes": {func(w jsrec.Writer) {
			w.BeginObject()
			w.Key("big")
			w.String(strings.Repeat("x", messages.DefaultMaxBytes+1))
			w.Key("next")
			w.Null()
			w.End()
		}, `["next"]`},
	} {
		t.Run(name, func(t *testing.T) {
			w := jsrec.NewWriter()
			c.write(w)
			_, err := w.Finish()
			assert.ErrorIs(t, err, messages.ErrDataClone)
			assert.ErrorIs(t, err, messages.ErrLimitExceeded)
			assert.Contains(t, err.Error(), c.path)
		})
	}
}

func TestJSReaderRelease(t *testing.T) {
	rec, err := writeNodes([]jsrec.Node{jN(1)})
	require.NoError(t, err)
	rd, err := jsrec.NewReader(rec)
	require.NoError(t, err)
	n, err := rd.Next()
	require.NoError(t, err)
	assert.Equal(t, 1.0, n.Num)
	rd.Release()
	rd.Release() // once only
	_, err = jsrec.NewReader("not a record")
	assert.ErrorIs(t, err, messages.ErrDataClone)
}
