package script

import (
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// A test double of internal/jsrec, installed by TestMain only while package
// messages does not implement it: a Writer that keeps the nodes in a list
// and a Reader that replays them, obeying the contract in jsrec.go.

var (
	fakeMu      sync.Mutex
	fakeRecords = map[*messages.Record]*fakeRecord{}
)

type fakeRecord struct {
	nodes []jsrec.Node
	xfer  [][]byte
	ext   int
}

type fakeOpen struct {
	at       int // index of the container's node
	children int
	keys     int
}

type fakeWriter struct {
	rec     fakeRecord
	open    []fakeOpen
	nextID  int
	pending bool // a Key was written and its value not yet
	err     error
}

func installFakeJSRec() {
	jsrec.NewWriter = func() jsrec.Writer { return &fakeWriter{rec: fakeRecord{nodes: make([]jsrec.Node, 0, 8)}} }
	jsrec.NewReader = func(rec any) (jsrec.Reader, error) {
		r, _ := rec.(*messages.Record)
		fakeMu.Lock()
		fr, ok := fakeRecords[r]
		delete(fakeRecords, r)
		fakeMu.Unlock()
		if !ok {
			return nil, fmt.Errorf("fake jsrec: unknown record")
		}
		return &fakeReader{rec: fr}, nil
	}
}

func (w *fakeWriter) add(n jsrec.Node, withID bool) int {
	n.ID = -1
	if withID {
		n.ID = w.nextID
		w.nextID++
	}
	if len(w.open) > 0 {
		w.open[len(w.open)-1].children++
		w.pending = false
	}
	w.rec.nodes = append(w.rec.nodes, n)
	return n.ID
}

func (w *fakeWriter) begin(n jsrec.Node) int {
	id := w.add(n, true)
	w.open = append(w.open, fakeOpen{at: len(w.rec.nodes) - 1})
	return id
}

func (w *fakeWriter) Undefined()        { w.add(jsrec.Node{Kind: jsrec.Undefined}, false) }
func (w *fakeWriter) Null()             { w.add(jsrec.Node{Kind: jsrec.Null}, false) }
func (w *fakeWriter) Bool(b bool)       { w.add(jsrec.Node{Kind: jsrec.Bool, Bool: b}, false) }
func (w *fakeWriter) Number(f float64)  { w.add(jsrec.Node{Kind: jsrec.Number, Num: f}, false) }
func (w *fakeWriter) BigInt(b *big.Int) { w.add(jsrec.Node{Kind: jsrec.BigInt, Big: b}, false) }
func (w *fakeWriter) String(s string)   { w.add(jsrec.Node{Kind: jsrec.String, Str: s}, false) }

func (w *fakeWriter) Boxed(v any) int {
	n := jsrec.Node{Kind: jsrec.Boxed}
	switch x := v.(type) {
	case bool:
		n.Box, n.Bool = jsrec.Bool, x
	case float64:
		n.Box, n.Num = jsrec.Number, x
	case string:
		n.Box, n.Str = jsrec.String, x
	case *big.Int:
		n.Box, n.Big = jsrec.BigInt, x
	default:
		w.err = fmt.Errorf("fake jsrec: Boxed(%T)", v)
	}
	return w.add(n, true)
}

func (w *fakeWriter) Date(ms float64) int { return w.add(jsrec.Node{Kind: jsrec.Date, Num: ms}, true) }
func (w *fakeWriter) RegExp(source, flags string) int {
	return w.add(jsrec.Node{Kind: jsrec.RegExp, Str: source, Flags: flags}, true)
}
func (w *fakeWriter) ArrayBuffer(b []byte) int {
	return w.add(jsrec.Node{Kind: jsrec.ArrayBuffer, Bytes: b}, true)
}
func (w *fakeWriter) TransferredArrayBuffer(slot int) int {
	return w.add(jsrec.Node{Kind: jsrec.ArrayBuffer, Slot: slot, Length: -1}, true)
}
func (w *fakeWriter) BeginTypedArray(elem uint8, byteOffset, length int) int {
	return w.begin(jsrec.Node{Kind: jsrec.TypedArray, Elem: elem, Offset: byteOffset, Length: length})
}
func (w *fakeWriter) BeginDataView(byteOffset, byteLength int) int {
	return w.begin(jsrec.Node{Kind: jsrec.DataView, Offset: byteOffset, Length: byteLength})
}
func (w *fakeWriter) BeginArray(length int) int {
	return w.begin(jsrec.Node{Kind: jsrec.Array, Length: length})
}
func (w *fakeWriter) BeginObject() int { return w.begin(jsrec.Node{Kind: jsrec.Object}) }
func (w *fakeWriter) Key(k string) {
	if len(w.open) == 0 || w.pending {
		w.err = fmt.Errorf("fake jsrec: Key outside an Array or Object, or twice")
	}
	w.rec.nodes = append(w.rec.nodes, jsrec.Node{Kind: jsrec.String, Str: k, ID: -1})
	if len(w.open) > 0 {
		w.open[len(w.open)-1].keys++
	}
	w.pending = true
}
func (w *fakeWriter) BeginMap() int { return w.begin(jsrec.Node{Kind: jsrec.Map}) }
func (w *fakeWriter) BeginSet() int { return w.begin(jsrec.Node{Kind: jsrec.Set}) }
func (w *fakeWriter) BeginError(name, message, stack string, hasCause bool) int {
	return w.begin(jsrec.Node{Kind: jsrec.Error, Str: name, Message: message, Stack: stack, HasCause: hasCause})
}
func (w *fakeWriter) Blob(typ string, b []byte) int {
	return w.add(jsrec.Node{Kind: jsrec.Blob, Str: typ, Bytes: b}, true)
}
func (w *fakeWriter) File(typ string, b []byte, name string, lastModified float64) int {
	return w.add(jsrec.Node{Kind: jsrec.File, Str: typ, Bytes: b, Name: name, Num: lastModified}, true)
}
func (w *fakeWriter) Ref(id int) {
	if id < 0 || id >= w.nextID {
		w.err = fmt.Errorf("fake jsrec: Ref(%d) names no node", id)
	}
	w.add(jsrec.Node{Kind: jsrec.Ref}, false)
	w.rec.nodes[len(w.rec.nodes)-1].ID = id
}
func (w *fakeWriter) External(slot int) {
	w.add(jsrec.Node{Kind: jsrec.External, Slot: slot}, false)
}

func (w *fakeWriter) End() {
	if len(w.open) == 0 {
		w.err = fmt.Errorf("fake jsrec: End without Begin")
		return
	}
	top := w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	n := &w.rec.nodes[top.at]
	switch n.Kind {
	case jsrec.Array, jsrec.Object:
		n.Count = top.keys
		if top.children != top.keys {
			w.err = fmt.Errorf("fake jsrec: %d keys, %d values", top.keys, top.children)
		}
	case jsrec.Map:
		n.Count = top.children / 2
	case jsrec.Set:
		n.Count = top.children
	case jsrec.Error:
		if n.HasCause != (top.children == 1) || top.children > 1 {
			w.err = fmt.Errorf("fake jsrec: Error with %d children", top.children)
		}
	case jsrec.TypedArray, jsrec.DataView:
		if top.children != 1 {
			w.err = fmt.Errorf("fake jsrec: a view with %d children", top.children)
		}
	}
}

func (w *fakeWriter) SetTransferred(buffers [][]byte, externals int) {
	w.rec.xfer, w.rec.ext = buffers, externals
}

func (w *fakeWriter) Finish() (any, error) {
	if w.err != nil {
		return nil, &messages.DataCloneError{Reason: w.err.Error()}
	}
	if len(w.open) != 0 {
		return nil, &messages.DataCloneError{Reason: "fake jsrec: unclosed container"}
	}
	rec := new(messages.Record)
	fakeMu.Lock()
	fakeRecords[rec] = &w.rec
	fakeMu.Unlock()
	return rec, nil
}

func (w *fakeWriter) Abort() { w.rec = fakeRecord{} }

type fakeReader struct {
	rec *fakeRecord
	at  int
}

func (r *fakeReader) Next() (jsrec.Node, error) {
	if r.at >= len(r.rec.nodes) {
		return jsrec.Node{}, io.EOF
	}
	n := r.rec.nodes[r.at]
	r.at++
	if n.Kind == jsrec.ArrayBuffer && n.Length == -1 {
		if n.Slot >= len(r.rec.xfer) {
			return jsrec.Node{}, &messages.DataCloneError{Reason: "fake jsrec: no such transfer slot"}
		}
		n.Bytes, n.Length, n.Slot = r.rec.xfer[n.Slot], 0, 0
	} else if n.Bytes != nil {
		n.Bytes = append([]byte(nil), n.Bytes...)
	}
	return n, nil
}

func (r *fakeReader) Release() {}
