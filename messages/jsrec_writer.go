package messages

import (
	"math/big"
	"strconv"

	"github.com/entangle-go/entangle/internal/jsrec"
)

// A JavaScript realm serializes its values through jsrec: this package
// gives it a Writer that builds a Record and a Reader that walks any Record
// as JavaScript-level nodes.
func init() {
	jsrec.NewWriter = func() jsrec.Writer { return newJSWriter() }
	jsrec.NewReader = func(rec any) (jsrec.Reader, error) {
		r, ok := rec.(*Record)
		if !ok || r == nil {
			return nil, &DataCloneError{Reason: "jsrec: not a *messages.Record"}
		}
		return newJSReader(r)
	}
}

// xferIDBase is the first Writer ID of a transferred ArrayBuffer (slot k
// has ID xferIDBase+k). Other identity-bearing values get their record
// object ids, the numbering Deserialize uses for references; records never
// have this many objects (DefaultMaxElements is smaller).
const xferIDBase = 1 << 30

// jsWriter implements jsrec.Writer. The first error sticks: later calls do
// nothing and Finish returns it.
type jsWriter struct {
	r        *Record
	stack    []wframe
	err      error
	root     bool // the root value was written
	done     bool // Finish or Abort was called
	maxXfer  int  // highest transfer slot named, -1 none
	maxExt   int  // highest external slot named, -1 none
	xferSeen map[int]bool
	stackBuf [4]wframe // room for shallow values without allocating
}

// wframe is an open container.
type wframe struct {
	at       int  // its node
	kind     kind // its node's kind
	children int  // nodes written as its direct children
	fixed    int  // kTypedArray, kDataView, kError, kErrorCause: children required; -1 any number
	keyed    bool // kJSArray, kObject: children alternate Key and value
	lastKey  string
}

func newJSWriter() *jsWriter {
	w := &jsWriter{r: recordPool.Get().(*Record), maxXfer: -1, maxExt: -1}
	w.stack = w.stackBuf[:0]
	return w
}

func (w *jsWriter) fail(err *DataCloneError) {
	if w.err != nil {
		return
	}
	err.Path = w.path() + err.Path
	w.err = err
}

func misuse(reason string) *DataCloneError {
	return &DataCloneError{Reason: "jsrec.Writer misuse: " + reason}
}

// path says where the value being written sits, as error paths do.
func (w *jsWriter) path() string {
	s := ""
	for i := range w.stack {
		f := &w.stack[i]
		switch f.kind {
		case kJSArray, kObject:
			s += "[" + strconv.Quote(f.lastKey) + "]"
		case kMap:
			s += ".get(#" + strconv.Itoa(f.children/2) + ")"
		case kSet:
			s += ".keys()[" + strconv.Itoa(f.children) + "]"
		case kTypedArray, kDataView:
			s += ".buffer"
		case kErrorCause:
			s += ".cause"
		}
	}
	return s
}

// start checks that a value may come next and counts it as a child of the
// open container; it reports whether to write it.
func (w *jsWriter) start() bool {
	if w.err != nil || w.done {
		return false
	}
	if len(w.stack) == 0 {
		if w.root {
			w.fail(misuse("a second value at the root"))
			return false
		}
		w.root = true
		return w.room()
	}
	f := &w.stack[len(w.stack)-1]
	switch {
	case f.keyed && f.children%2 == 0:
		w.fail(misuse("a value where a property key is expected (call Key first)"))
		return false
	case f.fixed >= 0 && f.children >= f.fixed:
		w.fail(misuse("too many children for a " + f.kind.String()))
		return false
	}
	f.children++
	return w.room()
}

// room checks the element and byte limits.
func (w *jsWriter) room() bool {
	if len(w.r.nodes) >= DefaultMaxElements {
		w.fail(limitErr("value has more than " + strconv.Itoa(DefaultMaxElements) + " elements"))
		return false
	}
	if w.r.size > DefaultMaxBytes {
		w.fail(limitErr("value is larger than " + strconv.Itoa(DefaultMaxBytes) + " bytes"))
		return false
	}
	return true
}

func (w *jsWriter) push(n node) {
	w.r.nodes = append(w.r.nodes, n)
}

// object pushes an identity-bearing node and returns its id.
func (w *jsWriter) object(n node) int {
	id := w.r.nobj
	w.r.nobj++
	w.push(n)
	return id
}

func (w *jsWriter) str(s string) node {
	w.r.strs = append(w.r.strs, s)
	w.r.size += len(s)
	return node{kind: kString, x: uint64(len(w.r.strs) - 1)}
}

func (w *jsWriter) blob(b []byte) uint64 {
	if b == nil {
		b = []byte{}
	}
	w.r.blobs = append(w.r.blobs, b)
	w.r.size += len(b)
	return uint64(len(w.r.blobs) - 1)
}

func (w *jsWriter) bigNode(b *big.Int) node {
	var sign uint8
	if b.Sign() < 0 {
		sign = 1
	}
	w.r.nobj++ // a *big.Int has identity in records
	return node{kind: kBigInt, flags: sign, x: w.blob(b.Bytes())}
}

// open pushes a container node and opens its frame.
func (w *jsWriter) open(n node, fixed int) int {
	if len(w.stack)+1 > maxContainerDepth {
		w.fail(limitErr("value nested deeper than " + strconv.Itoa(DefaultMaxDepth) + " levels"))
		return -1
	}
	id := w.object(n)
	w.stack = append(w.stack, wframe{at: len(w.r.nodes) - 1, kind: n.kind, fixed: fixed,
		keyed: n.kind == kJSArray || n.kind == kObject})
	return id
}

func (w *jsWriter) End() {
	if w.err != nil || w.done {
		return
	}
	if len(w.stack) == 0 {
		w.fail(misuse("End without an open container"))
		return
	}
	f := w.stack[len(w.stack)-1]
	switch {
	case f.fixed >= 0 && f.children != f.fixed:
		w.fail(misuse("a " + f.kind.String() + " closed with " + strconv.Itoa(f.children) +
			" children instead of " + strconv.Itoa(f.fixed)))
		return
	case f.keyed && f.children%2 != 0:
		w.fail(misuse("a property key without a value"))
		return
	}
	switch f.kind {
	case kJSArray, kObject, kMap:
		w.r.nodes[f.at].n = uint32(f.children / 2)
	case kSet:
		w.r.nodes[f.at].n = uint32(f.children)
	}
	w.stack = w.stack[:len(w.stack)-1]
}

func (w *jsWriter) SetTransferred(buffers [][]byte, externals int) {
	if w.err != nil || w.done {
		return
	}
	if externals < 0 || externals > DefaultMaxElements || len(buffers) > DefaultMaxElements {
		w.fail(misuse("too many transferred objects"))
		return
	}
	r := w.r
	for _, b := range r.xfer {
		r.size -= len(b)
	}
	r.xfer = r.xfer[:0]
	for _, b := range buffers {
		if b == nil {
			b = []byte{}
		}
		r.xfer = append(r.xfer, b)
		r.size += len(b)
	}
	r.ext = externals
}

func (w *jsWriter) Finish() (any, error) {
	if w.done {
		return nil, misuse("Finish after Finish or Abort")
	}
	err := w.err
	switch {
	case err != nil:
	case len(w.stack) > 0:
		err = misuse(strconv.Itoa(len(w.stack)) + " containers left open")
	case !w.root:
		err = misuse("no value written")
	case w.r.size-xferBytes(w.r) > DefaultMaxBytes: // moved bytes are not copies
		err = limitErr("value is larger than " + strconv.Itoa(DefaultMaxBytes) + " bytes")
	case w.maxXfer >= len(w.r.xfer):
		err = misuse("transfer slot " + strconv.Itoa(w.maxXfer) + " without transferred bytes (SetTransferred)")
	case w.maxExt >= w.r.ext:
		err = misuse("external slot " + strconv.Itoa(w.maxExt) + " beyond the external count (SetTransferred)")
	}
	w.done = true
	if err != nil {
		releaseRecord(w.r)
		w.r = nil
		return nil, err
	}
	r := w.r
	w.r = nil
	r.size += nodeOverhead * len(r.nodes)
	// Deserialize into Go allocates within the bounds a decoded record of
	// this size would have (a sparse array is small here and large in Go).
	r.budget = allocationBudget(r.size, DefaultMaxBytes)
	return r, nil
}

func (w *jsWriter) Abort() {
	if w.done {
		return
	}
	w.done = true
	releaseRecord(w.r)
	w.r = nil
}

// xferBytes is the size of r's transferred buffers.
func xferBytes(r *Record) int {
	n := 0
	for _, b := range r.xfer {
		n += len(b)
	}
	return n
}
