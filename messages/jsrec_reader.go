package messages

import (
	"io"
	"strconv"

	"github.com/entangle-go/entangle/internal/jsrec"
)

// jsReader implements jsrec.Reader over any Record: the nodes of
// JavaScript values as they are, Go values mapped as the package
// documentation's table says. Reader IDs are its own numbering: every node
// that is an object in JavaScript gets a fresh one, and record object ids
// (pointers included) map to them, so references resolve.
type jsReader struct {
	r        *Record
	nodes    []node
	pos      int
	stack    []rframe
	rootDone bool
	released bool
	err      error       // the first error (or io.EOF), returned again by Next
	recID    int         // the next record object id
	res      []rres      // record object id -> what a reference to it reads as
	nextID   int         // the next Reader ID
	pending  []int       // record object ids of pointers waiting for their pointee
	xferIDs  []int       // transfer slot -> Reader ID, -1 before its first use
	bufLen   map[int]int // Reader ID of an ArrayBuffer -> its length
	ends     []int32     // node -> index after its subtree (records with Go maps)
	names    map[uint64][]string
	stackBuf [4]rframe // room for shallow values without allocating
	resBuf   [4]rres
}

// rres is what a reference to one record object reads as.
type rres struct {
	set  bool
	id   int         // a Reader ID, or -1 for a primitive
	prim *jsrec.Node // the primitive to read again (a *big.Int, a pointee number)
}

type rframeKind uint8

const (
	fValues  rframeKind = iota // left record values
	fEntries                   // left key (kString)/value pairs
	fStruct                    // field names, then record values
	fPacked                    // elements of a packed payload
	fBuffer                    // a fresh ArrayBuffer (of a []byte)
	fView                      // a view's buffer, checked
	fCause                     // an Error's cause
)

type rframe struct {
	kind    rframeKind
	left    int
	idx     int
	keyNext bool
	key     string
	names   []string
	data    []byte
	pk      uint8 // fPacked: reflect.Kind of the elements
	width   int   // fPacked: element width; fView: element size
	off     int   // fView
	length  int   // fView: elements (TypedArray) or bytes (DataView, width 1)
}

func newJSReader(r *Record) (*jsReader, error) {
	if len(r.nodes) == 0 {
		return nil, &DataCloneError{Reason: "empty record"}
	}
	if len(r.xfer) > 0 && !r.claimed.CompareAndSwap(false, true) {
		return nil, &DataCloneError{Reason: "the record's transferred ArrayBuffers were already handed out"}
	}
	rd := &jsReader{r: r, nodes: r.nodes}
	rd.stack = rd.stackBuf[:0]
	if n := min(r.nobj, len(r.nodes)); n <= len(rd.resBuf) {
		rd.res = rd.resBuf[:n]
	} else {
		rd.res = make([]rres, n)
	}
	if len(r.xfer) > 0 {
		rd.xferIDs = make([]int, len(r.xfer))
	}
	for i := range rd.xferIDs {
		rd.xferIDs[i] = -1
	}
	for i := range r.nodes {
		if r.nodes[i].kind == kGoMap {
			rd.ends = subtreeEnds(r.nodes)
			break
		}
	}
	return rd, nil
}

func (rd *jsReader) Release() {
	if !rd.released {
		rd.released = true
		rd.r.Release()
	}
}

func (rd *jsReader) Next() (jsrec.Node, error) {
	if rd.err != nil {
		return jsrec.Node{}, rd.err
	}
	n, err := rd.step()
	if err != nil {
		rd.err = err
	}
	return n, err
}

// step reads the next node.
func (rd *jsReader) step() (jsrec.Node, error) {
	for {
		if len(rd.stack) == 0 {
			if rd.rootDone {
				if rd.pos != len(rd.nodes) {
					return jsrec.Node{}, corrupt("nodes after the end of the value")
				}
				return jsrec.Node{}, io.EOF
			}
			rd.rootDone = true
			return rd.value()
		}
		f := &rd.stack[len(rd.stack)-1]
		switch f.kind {
		case fValues, fCause:
			if f.left == 0 {
				rd.pop()
				continue
			}
			f.left--
			f.idx++
			return rd.value()
		case fEntries:
			if f.left == 0 {
				rd.pop()
				continue
			}
			if f.keyNext {
				n, err := rd.next()
				if err != nil {
					return jsrec.Node{}, err
				}
				if n.kind != kString {
					return jsrec.Node{}, rd.at(corrupt("a property key must be a string"))
				}
				s, err := rd.str(n)
				f.keyNext, f.key = false, s
				return jsrec.Node{Kind: jsrec.String, Str: s, ID: -1}, err
			}
			f.keyNext = true
			f.left--
			return rd.value()
		case fStruct:
			if f.idx == len(f.names) {
				rd.pop()
				continue
			}
			if f.keyNext {
				f.keyNext = false
				return jsrec.Node{Kind: jsrec.String, Str: f.names[f.idx], ID: -1}, nil
			}
			f.keyNext = true
			f.idx++
			return rd.value()
		case fPacked:
			if f.idx == f.left {
				rd.pop()
				continue
			}
			f.idx++
			return rd.packedElem(f)
		case fBuffer:
			data := f.data
			rd.pop()
			id := rd.fresh()
			rd.noteBuffer(id, len(data))
			return jsrec.Node{Kind: jsrec.ArrayBuffer, Bytes: data, ID: id}, nil
		case fView:
			view := *f
			rd.pop()
			out, err := rd.value()
			if err == nil {
				err = rd.checkView(&view, out)
			}
			return out, err
		}
	}
}

func (rd *jsReader) pop() { rd.stack = rd.stack[:len(rd.stack)-1] }

func (rd *jsReader) push(f rframe) { rd.stack = append(rd.stack, f) }

func (rd *jsReader) fresh() int {
	id := rd.nextID
	rd.nextID++
	return id
}

func (rd *jsReader) noteBuffer(id, n int) {
	if rd.bufLen == nil {
		rd.bufLen = map[int]int{}
	}
	rd.bufLen[id] = n
}

func (rd *jsReader) next() (*node, error) {
	if rd.pos >= len(rd.nodes) {
		return nil, corrupt("truncated")
	}
	n := &rd.nodes[rd.pos]
	rd.pos++
	return n, nil
}

// path says where the value being read sits.
func (rd *jsReader) path() string {
	s := ""
	for i := range rd.stack {
		f := &rd.stack[i]
		switch f.kind {
		case fValues, fPacked:
			s += "[" + strconv.Itoa(f.idx-1) + "]"
		case fEntries:
			s += "[" + strconv.Quote(f.key) + "]"
		case fStruct:
			if f.idx > 0 {
				s += "." + f.names[f.idx-1]
			}
		case fView, fBuffer:
			s += ".buffer"
		case fCause:
			s += ".cause"
		}
	}
	return s
}

// at gives err the path of the value being read.
func (rd *jsReader) at(err *DataCloneError) error {
	err.Path = rd.path() + err.Path
	return err
}

func (rd *jsReader) str(n *node) (string, error) {
	if n.x >= uint64(len(rd.r.strs)) {
		if n.box != 0 && int(n.box) <= len(rd.r.ifaces) {
			if s, ok := rd.r.ifaces[n.box-1].(string); ok {
				return s, nil
			}
		}
		return "", corrupt("string index out of range")
	}
	return rd.r.strs[n.x], nil
}

// stringChild reads a child that must be a string.
func (rd *jsReader) stringChild() (string, error) {
	n, err := rd.next()
	if err != nil {
		return "", err
	}
	if n.kind != kString {
		return "", corrupt("expected a string node")
	}
	return rd.str(n)
}

// messageChild reads an Error's message child: a string, or undefined for
// none (DecodeRecord rewrites an older record's empty string, which meant
// none, as undefined).
func (rd *jsReader) messageChild() (msg string, has bool, err error) {
	n, err := rd.next()
	if err != nil {
		return "", false, err
	}
	switch n.kind {
	case kUndefined:
		return "", false, nil
	case kString:
		msg, err = rd.str(n)
		return msg, err == nil, err
	}
	return "", false, corrupt("expected a string or undefined node for an error's message")
}

func (rd *jsReader) blob(x uint64) ([]byte, error) {
	if x >= uint64(len(rd.r.blobs)) {
		return nil, corrupt("payload index out of range")
	}
	return rd.r.blobs[x], nil
}

// value reads the next value: pointers are passed through, their ids
// bound to what their pointee reads as.
func (rd *jsReader) value() (jsrec.Node, error) {
	n, err := rd.next()
	if err != nil {
		return jsrec.Node{}, err
	}
	for n.kind == kPointer {
		rd.pending = append(rd.pending, rd.recID)
		rd.recID++
		if n, err = rd.next(); err != nil {
			return jsrec.Node{}, err
		}
	}
	own := -1
	if hasIdentity(n.kind) {
		own = rd.recID
		rd.recID++
	}
	out, err := rd.convert(n)
	if err != nil {
		if e, ok := err.(*DataCloneError); ok {
			return jsrec.Node{}, rd.at(e)
		}
		return jsrec.Node{}, err
	}
	if err := rd.bind(own, &out); err != nil {
		return jsrec.Node{}, err
	}
	return out, nil
}

// bind records what references to the record objects own and the pending
// pointers read as.
func (rd *jsReader) bind(own int, out *jsrec.Node) error {
	if own < 0 && len(rd.pending) == 0 {
		return nil // nothing refers to it
	}
	var v rres
	switch {
	case out.Kind == jsrec.Ref:
		v = rres{set: true, id: out.ID}
	case out.ID >= 0:
		v = rres{set: true, id: out.ID}
	default:
		c := *out
		v = rres{set: true, id: -1, prim: &c}
	}
	for _, rid := range rd.pending {
		if rid >= len(rd.res) {
			return corrupt("more objects than the record counts")
		}
		rd.res[rid] = v
	}
	rd.pending = rd.pending[:0]
	if own >= 0 {
		if own >= len(rd.res) {
			return corrupt("more objects than the record counts")
		}
		rd.res[own] = v
	}
	return nil
}

// ref reads a reference to record object x.
func (rd *jsReader) ref(x uint64) (jsrec.Node, error) {
	if x >= uint64(len(rd.res)) || !rd.res[x].set {
		return jsrec.Node{}, corrupt("reference to an unknown object")
	}
	v := rd.res[x]
	if v.prim != nil {
		return *v.prim, nil
	}
	return jsrec.Node{Kind: jsrec.Ref, ID: v.id}, nil
}

func (rd *jsReader) checkView(f *rframe, buf jsrec.Node) error {
	id := buf.ID
	n, ok := rd.bufLen[id]
	if !ok || (buf.Kind != jsrec.ArrayBuffer && buf.Kind != jsrec.Ref) {
		return rd.at(corrupt("a view's buffer must be an ArrayBuffer"))
	}
	if end := uint64(f.off) + uint64(f.length)*uint64(f.width); end > uint64(n) || f.off%f.width != 0 {
		return rd.at(&DataCloneError{Reason: "a view does not fit its buffer"})
	}
	return nil
}

func notJS(what string) *DataCloneError {
	return &DataCloneError{Reason: what + " cannot become a JavaScript value"}
}
