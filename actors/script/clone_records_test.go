package script

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

func strNode(s string) jsrec.Node  { return jsrec.Node{Kind: jsrec.String, Str: s, ID: -1} }
func numNode(f float64) jsrec.Node { return jsrec.Node{Kind: jsrec.Number, Num: f, ID: -1} }

// Records that only Go senders write: dense arrays, objects from structs,
// errors with a stack.
func TestDeserializeGoShapes(t *testing.T) {
	cases := []struct {
		name  string
		nodes []jsrec.Node
		check string
	}{
		{"dense array", []jsrec.Node{{Kind: jsrec.Array, Dense: true, Count: 3, Length: 3, ID: 0}, numNode(1), strNode("a"), {Kind: jsrec.Ref, ID: 0}},
			`Array.isArray(v) && v.length === 3 && v[0] === 1 && v[1] === 'a' && v[2] === v`},
		{"struct", []jsrec.Node{{Kind: jsrec.Object, Count: 2, ID: 0}, strNode("Name"), strNode("x\xED\xA0\x80"), strNode("\xED\xA0\x80k"), numNode(2)},
			`v.Name === 'x\uD800' && v['\uD800k'] === 2 && Object.keys(v).join() === 'Name,\uD800k'`},
		{"error with stack", []jsrec.Node{{Kind: jsrec.Error, Str: "Weird", Message: "m", HasMessage: true, Stack: "at go", ID: 0}},
			`v instanceof Error && v.name === 'Error' && v.message === 'm' && v.stack === 'at go'`},
		{"error with an empty message", []jsrec.Node{{Kind: jsrec.Error, Str: "TypeError", HasMessage: true, ID: 0}},
			`v instanceof TypeError && Object.getOwnPropertyDescriptor(v, 'message').value === '' && !Object.getOwnPropertyDescriptor(v, 'message').enumerable`},
		{"error without a message", []jsrec.Node{{Kind: jsrec.Error, Str: "Error", ID: 0}},
			`v instanceof Error && !Object.prototype.hasOwnProperty.call(v, 'message') && v.message === ''`},
		{"boxed", []jsrec.Node{{Kind: jsrec.Array, Dense: true, Count: 2, Length: 2, ID: 0},
			{Kind: jsrec.Boxed, Box: jsrec.BigInt, Big: big.NewInt(5), ID: 1}, {Kind: jsrec.Boxed, Box: jsrec.String, Str: "s", ID: 2}},
			`typeof v[0] === 'object' && v[0].valueOf() === 5n && v[1] instanceof String`},
		{"empty buffer and blob", []jsrec.Node{{Kind: jsrec.Array, Dense: true, Count: 2, Length: 2, ID: 0},
			{Kind: jsrec.ArrayBuffer, ID: 1}, {Kind: jsrec.File, Str: "t/x", Name: "n", Num: 3, ID: 2}},
			`v[0].byteLength === 0 && v[1] instanceof File && v[1].name === 'n' && v[1].lastModified === 3 && v[1].type === 't/x'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newCodecRealm(t)
			v, err := r.c.deserialize(replayRec(t, tc.nodes...), nil)
			require.NoError(t, err)
			require.NoError(t, r.rt.Set("v", v))
			assert.True(t, r.run(tc.check).ToBoolean(), tc.check)
		})
	}
}

func TestDeserializeBadRecords(t *testing.T) {
	cases := []struct {
		name  string
		nodes []jsrec.Node
	}{
		{"empty", nil},
		{"forward ref", []jsrec.Node{{Kind: jsrec.Ref, ID: 3}}},
		{"key not a string", []jsrec.Node{{Kind: jsrec.Object, Count: 1, ID: 0}, numNode(1), numNode(2)}},
		{"float16", []jsrec.Node{{Kind: jsrec.TypedArray, Elem: uint8(messages.Float16), Length: 1, ID: 0}, {Kind: jsrec.ArrayBuffer, Bytes: []byte{0, 0}, ID: 1}}},
		{"view over a number", []jsrec.Node{{Kind: jsrec.DataView, ID: 0}, numNode(1)}},
		{"view out of range", []jsrec.Node{{Kind: jsrec.DataView, Offset: 4, Length: 4, ID: 0}, {Kind: jsrec.ArrayBuffer, Bytes: []byte{0}, ID: 1}}},
		{"bad regexp", []jsrec.Node{{Kind: jsrec.RegExp, Str: "(", ID: 0}}},
		{"port without ports", []jsrec.Node{{Kind: jsrec.External, Slot: 0}}},
		{"unknown kind", []jsrec.Node{{Kind: 99}}},
		{"truncated", []jsrec.Node{{Kind: jsrec.Set, Count: 2, ID: 0}, numNode(1)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newCodecRealm(t)
			_, err := r.c.deserialize(replayRec(t, tc.nodes...), nil)
			require.Error(t, err)
		})
	}
}

// FuzzDeserialize: no sequence of nodes makes deserialize panic.
func FuzzDeserialize(f *testing.F) {
	f.Add([]byte{11, 2, 0, 1, 6, 0, 0, 4, 1, 0})
	f.Add([]byte{13, 1, 0, 19, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var nodes []jsrec.Node
		for i := 0; i+2 < len(b) && len(nodes) < 64; i += 3 {
			n := jsrec.Node{Kind: jsrec.Kind(b[i]%22 + 1), Count: int(b[i+1] % 4), Length: int(b[i+1] % 5),
				ID: int(b[i+2]%8) - 1, Elem: b[i+2] % 14, Offset: int(b[i+1] % 3), Str: "k", Box: jsrec.Kind(b[i+1]%7 + 1),
				Dense: b[i+2]&0x10 != 0, HasCause: b[i+2]&0x20 != 0, Slot: int(b[i+1] % 2), Big: big.NewInt(1)}
			if n.Kind == jsrec.ArrayBuffer || n.Kind == jsrec.Blob {
				n.Bytes = make([]byte, int(b[i+1]%9))
			}
			nodes = append(nodes, n)
		}
		r := newCodecRealm(t)
		_, _ = r.c.deserialize(replayRec(t, nodes...), nil)
	})
}

// fromGo follows the table of internal/jsrec's Reader.
func TestFromGo(t *testing.T) {
	type point struct {
		X, Y int
		Name string
	}
	cases := []struct {
		name  string
		v     any
		check string
	}{
		{"struct", point{1, 2, "p"}, `v.X === 1 && v.Y === 2 && v.Name === 'p' && Object.keys(v).join() === 'X,Y,Name'`},
		{"small int", int64(1 << 53), `v === 2 ** 53`},
		{"big int", int64(1<<53 + 1), `v === 2n ** 53n + 1n`},
		{"float", 1.5, `v === 1.5`},
		{"slice", []int{1, 2, 3}, `Array.isArray(v) && v.join() === '1,2,3'`},
		{"bytes", []byte{1, 2}, `v instanceof Uint8Array && v[1] === 2`},
		{"time", time.UnixMilli(1234), `v instanceof Date && v.getTime() === 1234`},
		{"map", map[string]int{"a": 1}, `v.a === 1`},
		{"big.Int", big.NewInt(-7), `v === -7n`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newCodecRealm(t)
			v, err := r.c.fromGo(tc.v)
			require.NoError(t, err)
			require.NoError(t, r.rt.Set("v", v))
			assert.True(t, r.run(tc.check).ToBoolean(), tc.check)
		})
	}
}
