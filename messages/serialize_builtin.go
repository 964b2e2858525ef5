package messages

import (
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"
	"unsafe"
)

// Serialization of the types with fixed encodings: the web's dynamic values,
// ArrayBuffers and views, errors, times and big integers.

func (e *encoder) object(o *Object, id uint32, byRef bool) error {
	if o == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	p := unsafe.Pointer(o)
	if byRef {
		if e.seen(p, idObjectPtr) {
			return nil
		}
		e.remember(p, idObjectPtr)
		id = 0
	} else {
		e.r.nobj++
	}
	if err := e.enter(); err != nil {
		return err
	}
	at := len(e.nodes)
	e.push(node{kind: kObject, typ: id})
	n := 0
	for i := 0; i < len(o.keys); i++ {
		v := o.vals[i]
		if _, dead := v.(tombstone); dead {
			continue
		}
		k := o.keys[i]
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

func (e *encoder) ordered(o *ordered, kd kind, ptr unsafe.Pointer, ptrID, id uint32, byRef bool) error {
	if byRef {
		if e.seen(ptr, ptrID) {
			return nil
		}
		e.remember(ptr, ptrID)
		id = 0
	} else {
		e.r.nobj++
	}
	if err := e.enter(); err != nil {
		return err
	}
	at := len(e.nodes)
	e.push(node{kind: kd, typ: id})
	n := 0
	for i := 0; i < len(o.keys); i++ {
		if !o.live[i] {
			continue
		}
		if err := e.anyValue(o.keys[i], true); err != nil {
			return prependPath(err, ".keys()["+strconv.Itoa(n)+"]")
		}
		if kd == kMap {
			if err := e.anyValue(o.vals[i], true); err != nil {
				return prependPath(err, ".get("+keyString(o.keys[i])+")")
			}
		}
		n++
	}
	e.nodes[at].n = uint32(n)
	e.leave()
	return nil
}

func (e *encoder) jsMap(m *Map, id uint32, byRef bool) error {
	if m == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	return e.ordered(&m.o, kMap, unsafe.Pointer(m), idMapPtr, id, byRef)
}

func (e *encoder) jsSet(s *Set, id uint32, byRef bool) error {
	if s == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	return e.ordered(&s.o, kSet, unsafe.Pointer(s), idSetPtr, id, byRef)
}

func (e *encoder) arrayBuffer(b *ArrayBuffer, id uint32, byRef bool) error {
	if b == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	if byRef {
		id = 0
		if slot, ok := e.ts.abSlot(b); ok {
			e.push(node{kind: kTransferred, x: uint64(slot)})
			return nil
		}
		if e.seen(unsafe.Pointer(b), idArrayBufferPtr) {
			return nil
		}
	}
	if b.detached {
		return cloneErr(reflect.TypeFor[*ArrayBuffer](), "a detached ArrayBuffer cannot be cloned")
	}
	if byRef {
		e.remember(unsafe.Pointer(b), idArrayBufferPtr)
	} else {
		e.r.nobj++
	}
	e.push(node{kind: kArrayBuffer, typ: id, x: e.blob(b.data)})
	return nil
}

func (e *encoder) view(ptr unsafe.Pointer, ptrID, id uint32, byRef bool, kd kind, ek ElementKind,
	buf *ArrayBuffer, off, length, byteLen int) error {
	if byRef {
		if e.seen(ptr, ptrID) {
			return nil
		}
	}
	if why := viewProblem(buf, off, byteLen); why != "" {
		return cloneErr(builtinTypes[ptrID], why)
	}
	if byRef {
		e.remember(ptr, ptrID)
		id = 0
	} else {
		e.r.nobj++
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.push(node{kind: kd, typ: id, flags: uint8(ek), x: uint64(off), n: uint32(length)})
	err := e.arrayBuffer(buf, 0, true)
	e.leave()
	return prependPath(err, ".buffer")
}

func (e *encoder) typedArray(a *TypedArray, id uint32, byRef bool) error {
	if a == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	if !a.kind.Valid() || a.length > math.MaxUint32 {
		return cloneErr(reflect.TypeFor[*TypedArray](), "a typed array of an invalid kind or length cannot be cloned")
	}
	return e.view(unsafe.Pointer(a), idTypedArrayPtr, id, byRef, kTypedArray, a.kind, a.buf, a.offset, a.length, a.ByteLength())
}

func (e *encoder) dataView(v *DataView, id uint32, byRef bool) error {
	if v == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	if v.length > math.MaxUint32 {
		return cloneErr(reflect.TypeFor[*DataView](), "a DataView longer than 4 GiB cannot be cloned")
	}
	return e.view(unsafe.Pointer(v), idDataViewPtr, id, byRef, kDataView, 0, v.buf, v.offset, v.length, v.length)
}

func (e *encoder) errorValue(x *Error, id uint32, byRef bool) error {
	if x == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	if byRef {
		if e.seen(unsafe.Pointer(x), idErrorPtr) {
			return nil
		}
		e.remember(unsafe.Pointer(x), idErrorPtr)
		id = 0
	} else {
		e.r.nobj++
	}
	if x.Cause != nil {
		return e.errorCause(x, id)
	}
	e.push(node{kind: kError, typ: id, n: 3})
	e.push(node{kind: kString, x: e.str(errorName(x.Name))})
	e.errorMessage(x.Message)
	e.push(node{kind: kString, x: e.str(x.Stack)})
	return nil
}

// errorMessage records an Error's message: an empty one as none (an
// undefined node), which gives a JavaScript Error no own message property.
func (e *encoder) errorMessage(msg string) {
	if msg == "" {
		e.push(node{kind: kUndefined})
		return
	}
	e.push(node{kind: kString, x: e.str(msg)})
}

func (e *encoder) regExp(x RegExp, id uint32) {
	e.push(node{kind: kRegExp, typ: id, n: 2})
	e.push(node{kind: kString, x: e.str(x.Source)})
	e.push(node{kind: kString, x: e.str(x.Flags)})
}

func (e *encoder) timeValue(t time.Time, id uint32) {
	e.r.times = append(e.r.times, t.Round(0))
	e.r.size += 16
	e.push(node{kind: kTime, typ: id, x: uint64(len(e.r.times) - 1)})
}

func (e *encoder) bigInt(b *big.Int, id uint32, byRef bool) error {
	if b == nil {
		e.push(node{kind: kNull, typ: id})
		return nil
	}
	if byRef {
		if e.seen(unsafe.Pointer(b), idBigIntPtr) {
			return nil
		}
		e.remember(unsafe.Pointer(b), idBigIntPtr)
		id = 0
	} else {
		e.r.nobj++
	}
	var sign uint8
	if b.Sign() < 0 {
		sign = 1
	}
	e.push(node{kind: kBigInt, typ: id, flags: sign, x: e.ownBlob(b.Bytes())})
	return nil
}

// keyString formats a map key for an error path: keys of string kind
// quoted, as in ["name"], others as by valueString.
func keyString(k any) string {
	s, ok := k.(string)
	if !ok {
		if rv := reflect.ValueOf(k); rv.Kind() == reflect.String {
			s, ok = rv.String(), true
		}
	}
	if !ok {
		return valueString(k)
	}
	if len(s) > 64 {
		s = s[:61] + "..."
	}
	return strconv.Quote(s)
}
