package messages_test

import (
	"errors"
	"io"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// Helpers of the jsrec tests: node constructors, a replay of a node list
// into a Writer (what a realm's serializer does), and a Reader drain.

func jU() jsrec.Node          { return jsrec.Node{Kind: jsrec.Undefined, ID: -1} }
func jNull() jsrec.Node       { return jsrec.Node{Kind: jsrec.Null, ID: -1} }
func jB(b bool) jsrec.Node    { return jsrec.Node{Kind: jsrec.Bool, Bool: b, ID: -1} }
func jN(f float64) jsrec.Node { return jsrec.Node{Kind: jsrec.Number, Num: f, ID: -1} }
func jS(s string) jsrec.Node  { return jsrec.Node{Kind: jsrec.String, Str: s, ID: -1} }
func jRef(id int) jsrec.Node  { return jsrec.Node{Kind: jsrec.Ref, ID: id} }
func jObj(id, count int) jsrec.Node {
	return jsrec.Node{Kind: jsrec.Object, Count: count, ID: id}
}
func jArr(id, length, count int) jsrec.Node {
	return jsrec.Node{Kind: jsrec.Array, Length: length, Count: count, ID: id}
}
func jDense(id, n int) jsrec.Node {
	return jsrec.Node{Kind: jsrec.Array, Length: n, Count: n, Dense: true, ID: id}
}
func jAB(id int, b ...byte) jsrec.Node {
	return jsrec.Node{Kind: jsrec.ArrayBuffer, Bytes: b, ID: id}
}

// replay writes a pre-order node list (as a Reader yields it) into w. IDs
// in the list are mapped to the Writer's IDs.
type replay struct {
	w   jsrec.Writer
	ns  []jsrec.Node
	i   int
	ids map[int]int
	ext int
}

func writeNodes(ns []jsrec.Node) (*messages.Record, error) {
	p := &replay{w: jsrec.NewWriter(), ns: ns, ids: map[int]int{}}
	p.one()
	p.w.SetTransferred(nil, p.ext)
	rec, err := p.w.Finish()
	if err != nil {
		return nil, err
	}
	return rec.(*messages.Record), nil
}

func (p *replay) one() {
	n := p.ns[p.i]
	p.i++
	w := p.w
	id := -1
	switch n.Kind {
	case jsrec.Undefined:
		w.Undefined()
	case jsrec.Null:
		w.Null()
	case jsrec.Bool:
		w.Bool(n.Bool)
	case jsrec.Number:
		w.Number(n.Num)
	case jsrec.BigInt:
		w.BigInt(n.Big)
	case jsrec.String:
		w.String(n.Str)
	case jsrec.Boxed:
		var v any
		switch n.Box {
		case jsrec.Bool:
			v = n.Bool
		case jsrec.Number:
			v = n.Num
		case jsrec.String:
			v = n.Str
		case jsrec.BigInt:
			v = n.Big
		}
		id = w.Boxed(v)
	case jsrec.Date:
		id = w.Date(n.Num)
	case jsrec.RegExp:
		id = w.RegExp(n.Str, n.Flags)
	case jsrec.ArrayBuffer:
		id = w.ArrayBuffer(append([]byte{}, n.Bytes...))
	case jsrec.TypedArray:
		id = w.BeginTypedArray(n.Elem, n.Offset, n.Length)
		p.ids[n.ID] = id
		p.one()
		w.End()
	case jsrec.DataView:
		id = w.BeginDataView(n.Offset, n.Length)
		p.ids[n.ID] = id
		p.one()
		w.End()
	case jsrec.Array:
		id = w.BeginArray(n.Length)
		p.ids[n.ID] = id
		for i := 0; i < n.Count; i++ {
			if n.Dense {
				w.Key(strconv.Itoa(i))
			} else {
				w.Key(p.ns[p.i].Str)
				p.i++
			}
			p.one()
		}
		w.End()
	case jsrec.Object:
		id = w.BeginObject()
		p.ids[n.ID] = id
		for i := 0; i < n.Count; i++ {
			w.Key(p.ns[p.i].Str)
			p.i++
			p.one()
		}
		w.End()
	case jsrec.Map, jsrec.Set:
		c := n.Count
		if n.Kind == jsrec.Map {
			id, c = w.BeginMap(), 2*c
		} else {
			id = w.BeginSet()
		}
		p.ids[n.ID] = id
		for i := 0; i < c; i++ {
			p.one()
		}
		w.End()
	case jsrec.Error:
		id = w.BeginError(n.Str, n.Message, n.Stack, n.HasMessage, n.HasCause)
		p.ids[n.ID] = id
		if n.HasCause {
			p.one()
		}
		w.End()
	case jsrec.Blob:
		id = w.Blob(n.Str, n.Bytes)
	case jsrec.File:
		id = w.File(n.Str, n.Bytes, n.Name, n.Num)
	case jsrec.Ref:
		w.Ref(p.ids[n.ID])
	case jsrec.External:
		w.External(n.Slot)
		p.ext = max(p.ext, n.Slot+1)
	}
	if n.ID >= 0 && n.Kind != jsrec.Ref {
		p.ids[n.ID] = id
	}
}

// readNodes drains a Reader of rec.
func readNodes(t *testing.T, rec *messages.Record) ([]jsrec.Node, error) {
	t.Helper()
	rd, err := jsrec.NewReader(rec)
	if err != nil {
		return nil, err
	}
	defer rd.Release()
	var out []jsrec.Node
	for {
		n, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, n)
		require.Less(t, len(out), 1<<16, "a Reader that never ends")
	}
}

// normNode is a Node made comparable: -0, NaN and big integers by value.
type normNode struct {
	jsrec.Node
	NumBits uint64
	BigStr  string
}

func norm(ns []jsrec.Node) []normNode {
	out := make([]normNode, len(ns))
	for i, n := range ns {
		out[i].NumBits = math.Float64bits(n.Num)
		if math.IsNaN(n.Num) {
			out[i].NumBits = 1
		}
		if n.Big != nil {
			out[i].BigStr = n.Big.String()
		}
		n.Num, n.Big = 0, nil
		if len(n.Bytes) == 0 {
			n.Bytes = nil
		}
		out[i].Node = n
	}
	return out
}
