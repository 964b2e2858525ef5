package messages

import (
	"encoding"
	"encoding/gob"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"

	"google.golang.org/protobuf/proto"
)

// A plan is everything the codec needs to know about one Go type, computed
// once per type and cached, so that reflection setup is paid once.
type plan struct {
	id      uint32 // built-in id or dynamic plan id (>= firstDynamicID)
	t       reflect.Type
	kind    planKind
	natural bool            // t is the natural type of the node kind the plan emits
	err     *DataCloneError // the type cannot be cloned (path relative to t)
	elemErr *DataCloneError // pSlice, pArray, pMap: the element or key type cannot be cloned
	isErr   bool            // t implements error

	elem, key *plan
	fields    []fieldPlan
	n         int          // array length
	packed    reflect.Kind // pPacked: element kind
	ifaceErr  bool         // pIface: an *Error fits in the position
	keyCheck  bool         // pMap: keys may be incomparable at run time
	method    uint8        // pBinary: marshalBinary or marshalGob

	// sizes of the last record with this root type: capacity hints
	hintNodes, hintStrs, hintIfaces atomic.Int32
}

type fieldPlan struct {
	index    int
	name     string
	tag      string
	embedded bool
	plan     *plan
}

type planKind uint8

const (
	pErr planKind = iota
	pBool
	pInt
	pUint
	pFloat
	pComplex
	pString
	pBytes  // slice of uint8-kind elements
	pPacked // slice or array of bool or number elements
	pSlice
	pArray
	pMap
	pStruct
	pPtr
	pIface
	pTime
	pBigInt
	pBigIntPtr
	pUndefined
	pObject
	pObjectPtr
	pJSMap
	pJSMapPtr
	pJSSet
	pJSSetPtr
	pRegExp
	pError
	pErrorPtr
	pAB
	pABPtr
	pTA
	pTAPtr
	pDV
	pDVPtr
	pProto
	pBinary
	pExternal
	pBlobPtr
	pFilePtr
)

const (
	marshalBinary uint8 = iota
	marshalGob
)

// specialKinds are the plan kinds of types with a fixed encoding.
var specialKinds = map[uint32]planKind{
	idTime: pTime, idBigInt: pBigInt, idBigIntPtr: pBigIntPtr, idUndefined: pUndefined,
	idObject: pObject, idObjectPtr: pObjectPtr, idMap: pJSMap, idMapPtr: pJSMapPtr, idSet: pJSSet,
	idSetPtr: pJSSetPtr, idRegExp: pRegExp, idErrorValue: pError, idErrorPtr: pErrorPtr,
	idArrayBuffer: pAB, idArrayBufferPtr: pABPtr, idTypedArray: pTA, idTypedArrayPtr: pTAPtr,
	idDataView: pDV, idDataViewPtr: pDVPtr, idBlobPtr: pBlobPtr, idFilePtr: pFilePtr,
}

var planNatural = map[planKind]uint32{
	pBool: idBool, pInt: idInt, pUint: idUint, pFloat: idFloat64, pComplex: idComplex128,
	pString: idString, pBytes: idBytes, pSlice: idSliceAny, pMap: idMapStringAny, pTime: idTime,
	pBigIntPtr: idBigIntPtr, pUndefined: idUndefined, pObjectPtr: idObjectPtr, pJSMapPtr: idMapPtr,
	pJSSetPtr: idSetPtr, pRegExp: idRegExp, pErrorPtr: idErrorPtr, pABPtr: idArrayBufferPtr,
	pTAPtr: idTypedArrayPtr, pDVPtr: idDataViewPtr, pBlobPtr: idBlobPtr, pFilePtr: idFilePtr,
}

var (
	plansMu    sync.Mutex
	plansByTyp sync.Map                // reflect.Type -> *plan
	plansByID  atomic.Pointer[[]*plan] // id -> plan
)

func init() {
	list := make([]*plan, firstDynamicID)
	plansByID.Store(&list)
	for _, t := range builtinTypes {
		if t != nil {
			planFor(t)
		}
	}
}

// planFor returns the plan of t, building it (and the plans it needs) the
// first time.
func planFor(t reflect.Type) *plan {
	if p, ok := plansByTyp.Load(t); ok {
		return p.(*plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	if p, ok := plansByTyp.Load(t); ok {
		return p.(*plan)
	}
	b := &planBuilder{inProgress: map[reflect.Type]*plan{}}
	p := b.build(t)
	b.settle()
	list := append([]*plan(nil), *plansByID.Load()...)
	for _, q := range b.order {
		if q.id != idNone && q.id < firstDynamicID {
			list[q.id] = q
			continue
		}
		q.id = uint32(len(list))
		list = append(list, q)
	}
	for _, q := range b.order {
		q.natural = q.kind == pProto || q.kind == pExternal || (q.id != idNone && planNatural[q.kind] == q.id)
	}
	plansByID.Store(&list)
	for _, q := range b.order {
		plansByTyp.Store(q.t, q)
	}
	return p
}

// planByID returns the plan with the given id, or nil.
func planByID(id uint32) *plan {
	list := *plansByID.Load()
	if int(id) < len(list) {
		return list[id]
	}
	return nil
}

type planBuilder struct {
	inProgress map[reflect.Type]*plan
	order      []*plan
}

func (b *planBuilder) build(t reflect.Type) *plan {
	if p, ok := plansByTyp.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := b.inProgress[t]; ok {
		return p
	}
	p := &plan{t: t, isErr: t.Implements(errorType)}
	if id, ok := builtinIDs[t]; ok {
		p.id = id
	}
	b.inProgress[t] = p
	b.order = append(b.order, p)
	b.fill(p)
	return p
}

var (
	protoMessageType = typeOf[proto.Message]()
	binMarshaler     = typeOf[encoding.BinaryMarshaler]()
	binUnmarshaler   = typeOf[encoding.BinaryUnmarshaler]()
	gobEncoder       = typeOf[gob.GobEncoder]()
	gobDecoder       = typeOf[gob.GobDecoder]()
	errorPtrType     = typeOf[*Error]()
)

func (b *planBuilder) fill(p *plan) {
	t := p.t
	if k, ok := specialKinds[p.id]; ok {
		p.kind = k
		return
	}
	switch t.Kind() {
	case reflect.Func:
		p.err = cloneErr(t, "func values cannot be cloned")
		return
	case reflect.Chan:
		p.err = cloneErr(t, "channels cannot be cloned")
		return
	case reflect.UnsafePointer:
		p.err = cloneErr(t, "unsafe.Pointer values cannot be cloned")
		return
	case reflect.Uintptr:
		p.err = cloneErr(t, "uintptr values cannot be cloned")
		return
	}
	if t.Implements(transferableType) && t.Kind() != reflect.Interface {
		p.kind = pExternal
		return
	}
	if t.Implements(protoMessageType) && t.Kind() == reflect.Pointer {
		p.kind = pProto
		return
	}
	if t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(protoMessageType) {
		p.err = cloneErr(t, "protobuf messages must be referenced through a pointer (*"+t.String()+")")
		return
	}
	if m, ok := marshalMethod(t); ok {
		p.kind, p.method = pBinary, m
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		p.kind = pBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = pInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		p.kind = pUint
	case reflect.Float32, reflect.Float64:
		p.kind = pFloat
	case reflect.Complex64, reflect.Complex128:
		p.kind = pComplex
	case reflect.String:
		p.kind = pString
	case reflect.Interface:
		p.kind = pIface
		p.ifaceErr = errorPtrType.Implements(t)
	case reflect.Slice:
		switch ek := t.Elem().Kind(); {
		case ek == reflect.Uint8:
			p.kind = pBytes
		case packable(ek) && !hasMarshaler(t.Elem()):
			p.kind, p.packed = pPacked, ek
		default:
			p.kind = pSlice
			p.elem = b.build(t.Elem())
		}
	case reflect.Array:
		p.n = t.Len()
		if ek := t.Elem().Kind(); packable(ek) && !hasMarshaler(t.Elem()) {
			p.kind, p.packed = pPacked, ek
		} else {
			p.kind = pArray
			p.elem = b.build(t.Elem())
		}
	case reflect.Map:
		p.kind = pMap
		p.key = b.build(t.Key())
		p.elem = b.build(t.Elem())
		p.keyCheck = mayPanicOnHash(t.Key())
	case reflect.Pointer:
		p.kind = pPtr
		p.elem = b.build(t.Elem())
	case reflect.Struct:
		p.kind = pStruct
		b.fillStruct(p)
	default:
		p.err = cloneErr(t, "values of kind "+t.Kind().String()+" cannot be cloned")
	}
}

func (b *planBuilder) fillStruct(p *plan) {
	t := p.t
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name == "_" {
			continue // blank fields are padding: never read, never set
		}
		if !f.IsExported() {
			if f.Type.Size() == 0 {
				continue // zero-size markers (noCopy, _ [0]func()) hold nothing to lose
			}
			if p.err == nil {
				p.err = &DataCloneError{Path: "." + f.Name, Type: t, Reason: "unexported field " + f.Name +
					" would be lost (implement encoding.BinaryMarshaler and BinaryUnmarshaler to clone " + t.String() + ")"}
			}
			continue
		}
		p.fields = append(p.fields, fieldPlan{index: i, name: f.Name, tag: string(f.Tag), embedded: f.Anonymous, plan: b.build(f.Type)})
	}
}

// settle propagates static errors from fields (and pointees) to the
// structs and pointers that hold them, until nothing changes, so that
// recursive types get them too.
func (b *planBuilder) settle() {
	for changed := true; changed; {
		changed = false
		for _, p := range b.order {
			if p.err != nil {
				continue
			}
			switch p.kind {
			case pStruct:
				for _, f := range p.fields {
					if f.plan.err != nil {
						e := *f.plan.err
						e.Path = "." + f.name + e.Path
						p.err, changed = &e, true
						break
					}
				}
			case pPtr:
				if p.elem.err != nil {
					e := *p.elem.err
					p.err, changed = &e, true
				}
			case pSlice, pArray, pMap:
				if p.elemErr == nil {
					p.elemErr = firstErr(p.elem, p.key)
					changed = changed || p.elemErr != nil
				}
			}
		}
	}
}

// firstErr returns the static error of the first of the plans (nil ones
// allowed) that has one, itself or in its element types.
func firstErr(plans ...*plan) *DataCloneError {
	for _, q := range plans {
		switch {
		case q == nil:
		case q.err != nil:
			return q.err
		case q.elemErr != nil:
			return q.elemErr
		}
	}
	return nil
}

func packable(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	}
	return false
}

func hasMarshaler(t reflect.Type) bool {
	_, ok := marshalMethod(t)
	return ok || t.Implements(transferableType)
}

// marshalMethod reports whether t opted in to cloning through
// MarshalBinary/UnmarshalBinary (preferred) or GobEncode/GobDecode. Methods
// promoted from an embedded field do not count: they would marshal only the
// embedded part.
func marshalMethod(t reflect.Type) (uint8, bool) {
	pt := reflect.PointerTo(t)
	if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
		return 0, false
	}
	if (t.Implements(binMarshaler) || pt.Implements(binMarshaler)) && pt.Implements(binUnmarshaler) &&
		!promoted(t, "MarshalBinary") && !promoted(t, "UnmarshalBinary") {
		return marshalBinary, true
	}
	if (t.Implements(gobEncoder) || pt.Implements(gobEncoder)) && pt.Implements(gobDecoder) &&
		!promoted(t, "GobEncode") && !promoted(t, "GobDecode") {
		return marshalGob, true
	}
	return 0, false
}

// promoted reports whether struct t has method name only through an
// embedded field. A method t declares itself (on T or *T) shadows the
// embedded one and counts as t's own.
func promoted(t reflect.Type, name string) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for _, mt := range []reflect.Type{t, reflect.PointerTo(t)} {
		if m, ok := mt.MethodByName(name); ok {
			// The compiler makes wrappers for promoted methods, and for
			// methods of T seen from *T; only a method of T's own method
			// set, or a pointer method declared on *T, has source.
			return !declared(m.Func)
		}
	}
	return false
}

// declared reports whether the method value f has source code, as opposed
// to a wrapper the compiler generated.
func declared(f reflect.Value) bool {
	fn := runtime.FuncForPC(f.Pointer())
	if fn == nil {
		return false
	}
	file, _ := fn.FileLine(fn.Entry())
	return file != "<autogenerated>"
}

// mayPanicOnHash reports whether values of t can be incomparable at run
// time (t holds an interface somewhere).
func mayPanicOnHash(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Array:
		return mayPanicOnHash(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if mayPanicOnHash(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}
