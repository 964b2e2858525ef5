package messages_test

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

func bigOf(s string) *big.Int {
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return b
}

// jsCases are JavaScript values as node lists, written with a Writer and
// read back with a Reader.
func jsCases() map[string][]jsrec.Node {
	loneHigh := "\xed\xa0\x80"          // U+D800 alone, WTF-8
	mixed := "a\xed\xb0\x80b\U0001F600" // a lone low surrogate, then a pair
	return map[string][]jsrec.Node{
		"undefined":                  {jU()},
		"null":                       {jNull()},
		"bool":                       {jB(true)},
		"minus zero":                 {jN(math.Copysign(0, -1))},
		"NaN":                        {jN(math.NaN())},
		"big BigInt":                 {{Kind: jsrec.BigInt, Big: bigOf("-123456789012345678901234567890"), ID: -1}},
		"lone surrogates":            {jArr(0, 2, 2), jS("0"), jS(loneHigh), jS("1"), jS(mixed)},
		"cyclic array":               {jArr(0, 1, 1), jS("0"), jRef(0)},
		"shared object":              {jArr(0, 2, 2), jS("0"), jObj(1, 0), jS("1"), jRef(1)},
		"holes and extra properties": {jArr(0, 5, 3), jS("1"), jN(1), jS("3"), jN(3), jS("foo"), jS("bar")},
		"wrappers": {jArr(0, 4, 4),
			jS("0"), {Kind: jsrec.Boxed, Box: jsrec.Bool, Bool: true, ID: 1},
			jS("1"), {Kind: jsrec.Boxed, Box: jsrec.Number, Num: -1.5, ID: 2},
			jS("2"), {Kind: jsrec.Boxed, Box: jsrec.String, Str: "s", ID: 3},
			jS("3"), {Kind: jsrec.Boxed, Box: jsrec.BigInt, Big: bigOf("1267650600228229401496703205376"), ID: 4}},
		"dates": {jArr(0, 4, 4),
			jS("0"), {Kind: jsrec.Date, Num: 8.64e15, ID: 1},
			jS("1"), {Kind: jsrec.Date, Num: -8.64e15, ID: 2},
			jS("2"), {Kind: jsrec.Date, Num: math.NaN(), ID: 3},
			jS("3"), jRef(1)},
		"regexp":                     {{Kind: jsrec.RegExp, Str: "a+b", Flags: "gi", ID: 0}},
		"error with itself as cause": {{Kind: jsrec.Error, Str: "TypeError", Message: "m", HasMessage: true, Stack: "at x", HasCause: true, ID: 0}, jRef(0)},
		"error without cause":        {{Kind: jsrec.Error, Str: "RangeError", Message: "r", HasMessage: true, ID: 0}},
		"blob and file": {jObj(0, 2),
			jS("b"), {Kind: jsrec.Blob, Str: "text/plain", Bytes: []byte("hi"), ID: 1},
			jS("f"), {Kind: jsrec.File, Str: "image/png", Bytes: []byte{1, 2}, Name: "a.png", Num: 1700000000000, ID: 2}},
		"views sharing a buffer": {jObj(0, 2),
			jS("a"), {Kind: jsrec.TypedArray, Elem: uint8(messages.Uint16), Offset: 2, Length: 3, ID: 1}, jAB(2, 1, 2, 3, 4, 5, 6, 7, 8),
			jS("b"), {Kind: jsrec.DataView, Offset: 4, Length: 4, ID: 3}, jRef(2)},
		"map and set": {jArr(0, 2, 2),
			jS("0"), {Kind: jsrec.Map, Count: 2, ID: 1}, jObj(2, 0), jS("v"), jN(1), jRef(2),
			jS("1"), {Kind: jsrec.Set, Count: 2, ID: 3}, jRef(1), jRef(3)},
		"externals": {jArr(0, 2, 2), jS("0"), {Kind: jsrec.External, Slot: 1, ID: -1}, jS("1"), {Kind: jsrec.External, Slot: 0, ID: -1}},
	}
}

func TestJSWriterReaderRoundTrip(t *testing.T) {
	for name, want := range jsCases() {
		t.Run(name, func(t *testing.T) {
			rec, err := writeNodes(want)
			require.NoError(t, err)
			assert.Positive(t, rec.ByteSize())
			b, err := rec.MarshalBinary()
			require.NoError(t, err)
			ext := rec.ExternalCount() // read before the Reader releases rec
			got, err := readNodes(t, rec)
			require.NoError(t, err)
			assert.Equal(t, norm(want), norm(got), "in memory")

			dec, err := messages.DecodeRecord(b)
			require.NoError(t, err)
			assert.Equal(t, ext, dec.ExternalCount())
			got, err = readNodes(t, dec)
			require.NoError(t, err)
			assert.Equal(t, norm(want), norm(got), "through MarshalBinary and DecodeRecord")
		})
	}
}

func TestJSWriterTransferredBuffers(t *testing.T) {
	build := func() *messages.Record {
		w := jsrec.NewWriter()
		w.BeginArray(2)
		w.Key("0")
		id := w.TransferredArrayBuffer(0)
		w.Key("1")
		w.Ref(id)
		w.End()
		w.SetTransferred([][]byte{{9, 8, 7}}, 0)
		rec, err := w.Finish()
		require.NoError(t, err)
		return rec.(*messages.Record)
	}
	want := []jsrec.Node{jArr(0, 2, 2), jS("0"), jAB(1, 9, 8, 7), jS("1"), jRef(1)}

	rec := build()
	b, err := rec.MarshalBinary()
	require.NoError(t, err)
	got, err := readNodes(t, rec)
	require.NoError(t, err)
	assert.Equal(t, norm(want), norm(got))

	dec, err := messages.DecodeRecord(b)
	require.NoError(t, err)
	_, err = jsrec.NewReader(dec)
	require.NoError(t, err)
	_, err = jsrec.NewReader(dec)
	assert.ErrorIs(t, err, messages.ErrDataClone, "the moved bytes are handed out once")

	v, err := messages.Deserialize(build())
	require.NoError(t, err)
	s := v.([]any)
	require.Len(t, s, 2)
	assert.Same(t, s[0], s[1])
	assert.Equal(t, []byte{9, 8, 7}, s[0].(*messages.ArrayBuffer).Bytes())
}

type jsInner struct{ X int }

type jsOuter struct {
	Name  string
	Edge  int64
	Past  int64
	U     uint64
	P, Q  *jsInner
	Tags  []string
	Raw   []byte
	Ints  []int
	M     map[string]int
	When  time.Time
	Big   *big.Int
	Again *big.Int
}

type jsCycle struct{ Next *jsCycle }

type jsInts struct{ A, B *int }

func TestJSReaderOfGoValues(t *testing.T) {
	messages.RegisterType(jsOuter{})
	messages.RegisterType(jsCycle{})
	messages.RegisterType(jsInts{})
	in := &jsInner{X: 7}
	when := time.Date(2024, 5, 6, 7, 8, 9, 10_000_000, time.UTC)
	b := big.NewInt(5)
	cyc := &jsCycle{}
	cyc.Next = cyc
	seven := 7
	blob := messages.NewBlob([]byte("x"), "t")
	for name, c := range map[string]struct {
		v    any
		want []jsrec.Node
	}{
		"struct": {&jsOuter{Name: "n", Edge: 1 << 53, Past: 1<<53 + 1, U: 1<<64 - 1, P: in, Q: in, Tags: []string{"t"},
			Raw: []byte{1, 2}, Ints: []int{-(1 << 53), -(1<<53 + 1)}, M: map[string]int{"a": 1}, When: when, Big: b, Again: b},
			[]jsrec.Node{jObj(0, 13),
				jS("Name"), jS("n"),
				jS("Edge"), jN(1 << 53),
				jS("Past"), {Kind: jsrec.BigInt, Big: big.NewInt(1<<53 + 1), ID: -1},
				jS("U"), {Kind: jsrec.BigInt, Big: new(big.Int).SetUint64(1<<64 - 1), ID: -1},
				jS("P"), jObj(1, 1), jS("X"), jN(7),
				jS("Q"), jRef(1),
				jS("Tags"), jDense(2, 1), jS("t"),
				jS("Raw"), {Kind: jsrec.TypedArray, Elem: uint8(messages.Uint8), Length: 2, ID: 3}, jAB(4, 1, 2),
				jS("Ints"), jDense(5, 2), jN(-(1 << 53)), {Kind: jsrec.BigInt, Big: big.NewInt(-(1<<53 + 1)), ID: -1},
				jS("M"), jObj(6, 1), jS("a"), jN(1),
				jS("When"), {Kind: jsrec.Date, Num: float64(when.UnixMilli()), ID: 7},
				jS("Big"), {Kind: jsrec.BigInt, Big: big.NewInt(5), ID: -1},
				jS("Again"), {Kind: jsrec.BigInt, Big: big.NewInt(5), ID: -1}}},
		"cycle through a pointer": {cyc, []jsrec.Node{jObj(0, 1), jS("Next"), jRef(0)}},
		"shared pointer to int":   {jsInts{A: &seven, B: &seven}, []jsrec.Node{jObj(0, 2), jS("A"), jN(7), jS("B"), jN(7)}},
		"map with int keys":       {map[int]string{1: "a"}, []jsrec.Node{{Kind: jsrec.Map, Count: 1, ID: 0}, jN(1), jS("a")}},
		"packed bools and floats": {[]any{[]bool{true}, [2]float32{0.5, -1}}, []jsrec.Node{jDense(0, 2), jDense(1, 1), jB(true), jDense(2, 2), jN(0.5), jN(-1)}},
		"dynamic values": {[]any{messages.Undefined, nil, messages.NewError("TypeError", "t"), messages.RegExp{Source: "x", Flags: "g"}, blob, blob},
			[]jsrec.Node{jDense(0, 6), jU(), jNull(), {Kind: jsrec.Error, Str: "TypeError", Message: "t", HasMessage: true, ID: 1},
				{Kind: jsrec.RegExp, Str: "x", Flags: "g", ID: 2}, {Kind: jsrec.Blob, Str: "t", Bytes: []byte("x"), ID: 3}, jRef(3)}},
		"error with cause": {&messages.Error{Name: "Error", Message: "m", Cause: "why"},
			[]jsrec.Node{{Kind: jsrec.Error, Str: "Error", Message: "m", HasMessage: true, HasCause: true, ID: 0}, jS("why")}},
	} {
		t.Run(name, func(t *testing.T) {
			rec, err := messages.Serialize(c.v)
			require.NoError(t, err)
			b, err := rec.MarshalBinary()
			require.NoError(t, err)
			got, err := readNodes(t, rec)
			require.NoError(t, err)
			assert.Equal(t, norm(c.want), norm(got), "in memory")
			dec, err := messages.DecodeRecord(b)
			require.NoError(t, err)
			got, err = readNodes(t, dec)
			require.NoError(t, err)
			assert.Equal(t, norm(c.want), norm(got), "decoded")
		})
	}
}

func TestJSReaderRefusesWhatJSCannotHold(t *testing.T) {
	type withProto struct{ C complex64 }
	for name, c := range map[string]struct {
		v          any
		kind, path string
	}{
		"complex in a slice":    {[]any{1, complex(1, 2)}, "complex", "[1]"},
		"packed complex":        {map[string]any{"k": []complex128{1}}, "complex", `["k"]`},
		"complex field":         {withProto{}, "complex", ".C"},
		"marshaled by its type": {[]any{jsMarshaled{}}, "marshaled", "[0]"},
	} {
		t.Run(name, func(t *testing.T) {
			rec, err := messages.Serialize(c.v)
			if err != nil {
				t.Skip("not serializable:", err)
			}
			_, err = readNodes(t, rec)
			require.Error(t, err)
			assert.ErrorIs(t, err, messages.ErrDataClone)
			assert.Contains(t, err.Error(), c.kind)
			assert.Contains(t, err.Error(), c.path)
		})
	}
}

// jsMarshaled clones through its marshal methods.
type jsMarshaled struct{ x byte }

func (m jsMarshaled) MarshalBinary() ([]byte, error) { return []byte{m.x}, nil }

func (m *jsMarshaled) UnmarshalBinary(b []byte) error {
	if len(b) == 1 {
		m.x = b[0]
	}
	return nil
}
