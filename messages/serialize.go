package messages

import (
	"math"
	"reflect"
	"strconv"
	"unsafe"
)

// Serialize is StructuredSerializeWithTransfer: it records v (any cloneable
// value, see the package documentation) in a new Record, with the objects
// of transfer moved into it.
//
// The transfer list is checked first: a nil entry, an entry listed twice or
// an already detached one is a *DataCloneError with Path "transfer[i]".
// Then v is serialized: an *ArrayBuffer of the list found in v becomes a
// reference to its transfer slot, any other *ArrayBuffer is copied, and any
// other Transferable found in v must be in the list (it becomes external
// slot k, counting the non-ArrayBuffer entries in list order). Only when
// all of that succeeded is every *ArrayBuffer of the list detached, its
// bytes moved (not copied) into the record, whether or not v refers to it.
// External transferables are not touched: their owner transfers them.
// When Serialize fails, nothing is detached.
func Serialize(v any, transfer ...Transferable) (*Record, error) {
	ts, err := newTransferSet(transfer)
	if err != nil {
		return nil, err
	}
	r := recordPool.Get().(*Record)
	var hint *plan
	if v != nil {
		hint = planFor(reflect.TypeOf(v))
		if n := int(hint.hintNodes.Load()); n > cap(r.nodes) {
			r.nodes = make([]node, 0, n)
			r.strs = make([]string, 0, hint.hintStrs.Load())
			r.ifaces = make([]any, 0, hint.hintIfaces.Load())
		}
	}
	e := newEncoder(r, ts)
	if err := e.anyValue(v, true); err != nil {
		releaseRecord(r)
		return nil, err
	}
	e.finish()
	if hint != nil && len(r.nodes) <= 1<<16 {
		hint.hintNodes.Store(int32(len(r.nodes)))
		hint.hintStrs.Store(int32(len(r.strs)))
		hint.hintIfaces.Store(int32(len(r.ifaces)))
	}
	ts.detachAll(r)
	r.size += nodeOverhead * len(r.nodes)
	return r, nil
}

// encoder walks a value and appends its nodes to a record.
type encoder struct {
	r       *Record
	nodes   []node // the record's slices, kept here while encoding (fewer write barriers)
	strs    []string
	ifaces  []any
	ts      *transferSet
	mem     map[memKey]uint32 // identity map: object -> object id
	first   memKey            // the first object, kept out of the map until a second one
	firstID uint32
	nfirst  bool
	depth   int
	typeErr *DataCloneError // the last error made by planErr
}

type memKey struct {
	p  unsafe.Pointer
	id uint32 // plan id: &s and &s.First differ by type
}

func newEncoder(r *Record, ts *transferSet) encoder {
	return encoder{r: r, ts: ts, nodes: r.nodes, strs: r.strs, ifaces: r.ifaces, mem: r.scratchMem}
}

// finish stores the encoder's slices in the record.
func (e *encoder) finish() {
	e.r.nodes, e.r.strs, e.r.ifaces = e.nodes, e.strs, e.ifaces
	if e.r.private {
		e.r.scratchMem = e.mem
	} else {
		// A pooled record may lend its scratch map to Serialize: empty it,
		// so that a queued record does not keep the sender's objects alive.
		clear(e.r.scratchMem)
	}
}

func (e *encoder) push(n node) { e.nodes = append(e.nodes, n) }

func (e *encoder) str(s string) uint64 {
	e.strs = append(e.strs, s)
	e.r.size += len(s)
	return uint64(len(e.strs) - 1)
}

func (e *encoder) box(v any) uint32 {
	e.ifaces = append(e.ifaces, v)
	return uint32(len(e.ifaces))
}

// blob copies b into the record.
func (e *encoder) blob(b []byte) uint64 {
	c := make([]byte, len(b))
	copy(c, b)
	return e.ownBlob(c)
}

// ownBlob stores b, which the record now owns.
func (e *encoder) ownBlob(b []byte) uint64 {
	e.r.blobs = append(e.r.blobs, b)
	e.r.size += len(b)
	return uint64(len(e.r.blobs) - 1)
}

// seen looks p up in the identity map and, when found, pushes a reference.
func (e *encoder) seen(p unsafe.Pointer, id uint32) bool {
	if e.nfirst && e.first == (memKey{p, id}) {
		e.push(node{kind: kRef, x: uint64(e.firstID)})
		return true
	}
	if e.mem == nil {
		return false
	}
	if obj, ok := e.mem[memKey{p, id}]; ok {
		e.push(node{kind: kRef, x: uint64(obj)})
		return true
	}
	return false
}

// remember gives p the next object id.
func (e *encoder) remember(p unsafe.Pointer, id uint32) {
	if !e.nfirst && e.mem == nil {
		e.first, e.firstID, e.nfirst = memKey{p, id}, uint32(e.r.nobj), true
		e.r.nobj++
		return
	}
	if e.mem == nil {
		e.mem = make(map[memKey]uint32)
	}
	e.mem[memKey{p, id}] = uint32(e.r.nobj)
	e.r.nobj++
}

// maxContainerDepth is the deepest nesting of containers Serialize
// accepts. A value inside the deepest container is one level further down,
// and the parts of a complex number, an Error or a RegExp one more, so any
// record Serialize makes decodes within DefaultMaxDepth.
const maxContainerDepth = DefaultMaxDepth - 2

// enter counts one level of nesting for a node with children.
func (e *encoder) enter() error {
	e.depth++
	if e.depth > maxContainerDepth {
		return &DataCloneError{Reason: "value nested deeper than " + strconv.Itoa(DefaultMaxDepth) +
			" levels (slices have no identity, so a cycle through slices never ends)", Err: ErrLimitExceeded}
	}
	return nil
}

func (e *encoder) leave() { e.depth-- }

// anyValue serializes v at an interface position. errOK says whether an
// *Error fits there, so that an uncloneable Go error may become one.
func (e *encoder) anyValue(v any, errOK bool) error {
	switch x := v.(type) {
	case nil:
		e.push(node{kind: kNull})
	case string:
		if e.r.private { // only MarshalBinary reads strs; private records are never marshaled
			e.push(node{kind: kString, box: e.box(v)})
			return nil
		}
		e.push(node{kind: kString, x: e.str(x), box: e.box(v)})
	case float64:
		e.push(node{kind: kFloat, x: math.Float64bits(x), box: e.box(v)})
	case int:
		e.push(node{kind: kInt, x: uint64(x), box: e.box(v)})
	case bool:
		e.push(node{kind: kBool, x: b2u(x)})
	case int64:
		e.push(node{kind: kInt, typ: idInt64, x: uint64(x), box: e.box(v)})
	case []any:
		if x == nil {
			e.push(node{kind: kNull, typ: idSliceAny})
			return nil
		}
		return e.sliceAny(x, 0)
	case map[string]any:
		if x == nil {
			e.push(node{kind: kNull, typ: idMapStringAny})
			return nil
		}
		return e.mapAny(x, 0)
	case *Object:
		return e.object(x, idObjectPtr, true)
	case []byte:
		if x == nil {
			e.push(node{kind: kNull, typ: idBytes})
			return nil
		}
		e.push(node{kind: kBytes, x: e.blob(x)})
	case *ArrayBuffer:
		return e.arrayBuffer(x, idArrayBufferPtr, true)
	case UndefinedType:
		e.push(node{kind: kUndefined})
	default:
		return e.anySlow(v, errOK)
	}
	return nil
}

func (e *encoder) anySlow(v any, errOK bool) error {
	p := planFor(reflect.TypeOf(v))
	if p.err != nil {
		if errOK && p.isErr {
			return e.goError(v.(error), p)
		}
		return e.planErr(p)
	}
	typ := p.id
	if p.natural {
		if isNil(v) {
			// A node kind's natural type is implied only by a value of
			// that kind; a typed nil needs its type recorded.
			e.push(node{kind: kNull, typ: p.id})
			return nil
		}
		typ = idNone
	}
	if errOK && p.isErr {
		return e.errorValueOrError(p, v, typ)
	}
	return e.value(p, reflect.ValueOf(v), typ, v)
}

// goError records an error value whose type cannot be cloned as the web's
// Error: name "Error", message err.Error().
func (e *encoder) goError(err error, p *plan) (rerr error) {
	if rv := reflect.ValueOf(err); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return e.planErr(p)
	}
	msg, ok := errorString(err)
	if !ok {
		return &DataCloneError{Type: p.t, Reason: "its Error method panicked"}
	}
	e.r.nobj++
	e.push(node{kind: kError, n: 3})
	e.push(node{kind: kString, x: e.str("Error")})
	e.errorMessage(msg)
	e.push(node{kind: kString, x: e.str("")})
	return nil
}

// isNil reports whether v holds a nil pointer, map or slice.
func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

func errorString(err error) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return err.Error(), true
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func (e *encoder) sliceAny(s []any, typ uint32) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.push(node{kind: kSlice, typ: typ, n: uint32(len(s))})
	for i, v := range s {
		if err := e.anyValue(v, true); err != nil {
			return prependPath(err, "["+strconv.Itoa(i)+"]")
		}
	}
	e.leave()
	return nil
}

func (e *encoder) mapAny(m map[string]any, typ uint32) error {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&m))
	if e.seen(p, idMapStringAny) {
		return nil
	}
	e.remember(p, idMapStringAny)
	if err := e.enter(); err != nil {
		return err
	}
	at := len(e.nodes)
	e.push(node{kind: kGoMap, typ: typ})
	n := 0
	for k, v := range m {
		e.push(node{kind: kString, x: e.str(k)})
		if err := e.anyValue(v, true); err != nil {
			return prependPath(err, "["+strconv.Quote(k)+"]")
		}
		n++
	}
	e.nodes[at].n = uint32(n)
	e.leave()
	return nil
}
