package messages

import (
	"encoding"
	"encoding/gob"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"
)

// value serializes v, of type p.t, through its plan. typ is the type id to
// record (non-zero only at interface positions), box the interface value v
// came from (nil when unknown), reused for scalars.
func (e *encoder) value(p *plan, v reflect.Value, typ uint32, box any) error {
	if p.err != nil {
		return e.planErr(p)
	}
	var b uint32
	switch p.kind {
	case pBool:
		e.push(node{kind: kBool, typ: typ, x: b2u(v.Bool())})
	case pInt:
		if box != nil {
			b = e.box(box)
		}
		e.push(node{kind: kInt, typ: typ, x: uint64(v.Int()), box: b})
	case pUint:
		if box != nil {
			b = e.box(box)
		}
		e.push(node{kind: kUint, typ: typ, x: v.Uint(), box: b})
	case pFloat:
		if box != nil {
			b = e.box(box)
		}
		e.push(node{kind: kFloat, typ: typ, x: math.Float64bits(v.Float()), box: b})
	case pComplex:
		if box != nil {
			b = e.box(box)
		}
		c := v.Complex()
		e.push(node{kind: kComplex, typ: typ, n: 2, box: b})
		e.push(node{kind: kFloat, x: math.Float64bits(real(c))})
		e.push(node{kind: kFloat, x: math.Float64bits(imag(c))})
	case pString:
		if box != nil {
			b = e.box(box)
		}
		e.push(node{kind: kString, typ: typ, x: e.str(v.String()), box: b})
	case pBytes:
		if v.IsNil() {
			e.push(node{kind: kNull, typ: typ})
			return nil
		}
		e.push(node{kind: kBytes, typ: typ, x: e.blob(v.Bytes())})
	case pPacked:
		if v.Kind() == reflect.Slice && v.IsNil() {
			e.push(node{kind: kNull, typ: typ})
			return nil
		}
		if v.Len() > math.MaxUint32 {
			return cloneErr(p.t, "slice too long")
		}
		e.push(node{kind: kPacked, typ: typ, flags: uint8(p.packed), n: uint32(v.Len()), x: e.ownBlob(packValues(v, p.packed))})
	case pSlice:
		if v.Len() == 0 && p.elemErr != nil {
			return e.emptyErr(p)
		}
		if v.IsNil() {
			e.push(node{kind: kNull, typ: typ})
			return nil
		}
		if p.id == idSliceAny {
			return e.sliceAny(v.Interface().([]any), typ)
		}
		return e.list(p, v, kSlice, typ)
	case pArray:
		if p.n == 0 && p.elemErr != nil {
			return e.emptyErr(p)
		}
		return e.list(p, v, kArray, typ)
	case pMap:
		return e.goMap(p, v, typ)
	case pStruct:
		if err := e.enter(); err != nil {
			return err
		}
		e.push(node{kind: kStruct, typ: typ, x: uint64(p.id), n: uint32(len(p.fields))})
		for i := range p.fields {
			f := &p.fields[i]
			if err := e.value(f.plan, v.Field(f.index), 0, nil); err != nil {
				return prependPath(err, "."+f.name)
			}
		}
		e.leave()
	case pPtr:
		if v.IsNil() {
			e.push(node{kind: kNull, typ: typ})
			return nil
		}
		ptr := v.UnsafePointer()
		if e.seen(ptr, p.id) {
			return nil
		}
		e.remember(ptr, p.id)
		if err := e.enter(); err != nil {
			return err
		}
		e.push(node{kind: kPointer, typ: typ})
		if err := e.value(p.elem, v.Elem(), 0, nil); err != nil {
			return err
		}
		e.leave()
	case pIface:
		if v.IsNil() {
			e.push(node{kind: kNull})
			return nil
		}
		return e.anyValue(v.Interface(), p.ifaceErr)
	default:
		return e.special(p, v, typ)
	}
	return nil
}

// special serializes the types with fixed encodings.
func (e *encoder) special(p *plan, v reflect.Value, typ uint32) error {
	switch p.kind {
	case pTime:
		e.timeValue(v.Interface().(time.Time), typ)
	case pBigInt:
		b := v.Interface().(big.Int) //nolint:govet // read-only copy
		return e.bigInt(&b, typ, false)
	case pBigIntPtr:
		return e.bigInt(v.Interface().(*big.Int), typ, true)
	case pUndefined:
		e.push(node{kind: kUndefined, typ: typ})
	case pObject:
		o := v.Interface().(Object)
		return e.object(&o, typ, false)
	case pObjectPtr:
		return e.object(v.Interface().(*Object), typ, true)
	case pJSMap:
		m := v.Interface().(Map)
		return e.jsMap(&m, typ, false)
	case pJSMapPtr:
		return e.jsMap(v.Interface().(*Map), typ, true)
	case pJSSet:
		s := v.Interface().(Set)
		return e.jsSet(&s, typ, false)
	case pJSSetPtr:
		return e.jsSet(v.Interface().(*Set), typ, true)
	case pRegExp:
		e.regExp(v.Interface().(RegExp), typ)
	case pError:
		x := v.Interface().(Error)
		return e.errorValue(&x, typ, false)
	case pErrorPtr:
		return e.errorValue(v.Interface().(*Error), typ, true)
	case pAB:
		b := v.Interface().(ArrayBuffer)
		return e.arrayBuffer(&b, typ, false)
	case pABPtr:
		return e.arrayBuffer(v.Interface().(*ArrayBuffer), typ, true)
	case pTA:
		a := v.Interface().(TypedArray)
		return e.typedArray(&a, typ, false)
	case pTAPtr:
		return e.typedArray(v.Interface().(*TypedArray), typ, true)
	case pDV:
		d := v.Interface().(DataView)
		return e.dataView(&d, typ, false)
	case pDVPtr:
		return e.dataView(v.Interface().(*DataView), typ, true)
	case pProto:
		return e.protoMessage(p, v, typ)
	case pBinary:
		return e.marshaled(p, v, typ)
	case pExternal:
		return e.external(p, v, typ)
	case pBlobPtr:
		return e.blobValue(v.Interface().(*Blob), nil, typ)
	case pFilePtr:
		f := v.Interface().(*File)
		if f == nil {
			return e.blobValue(nil, nil, typ)
		}
		return e.blobValue(&f.Blob, f, typ)
	default:
		return cloneErr(p.t, "values of this type cannot be cloned")
	}
	return nil
}

func (e *encoder) list(p *plan, v reflect.Value, kd kind, typ uint32) error {
	n := v.Len()
	if n > math.MaxUint32 {
		return cloneErr(p.t, "slice too long")
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.push(node{kind: kd, typ: typ, n: uint32(n)})
	for i := 0; i < n; i++ {
		if err := e.value(p.elem, v.Index(i), 0, nil); err != nil {
			return prependPath(err, "["+strconv.Itoa(i)+"]")
		}
	}
	e.leave()
	return nil
}

func (e *encoder) goMap(p *plan, v reflect.Value, typ uint32) error {
	if v.Len() == 0 && p.elemErr != nil {
		return e.emptyErr(p)
	}
	if v.IsNil() {
		e.push(node{kind: kNull, typ: typ})
		return nil
	}
	if p.id == idMapStringAny {
		return e.mapAny(v.Interface().(map[string]any), typ)
	}
	ptr := v.UnsafePointer()
	if e.seen(ptr, p.id) {
		return nil
	}
	e.remember(ptr, p.id)
	if err := e.enter(); err != nil {
		return err
	}
	at := len(e.nodes)
	e.push(node{kind: kGoMap, typ: typ})
	k := reflect.New(p.t.Key()).Elem()
	val := reflect.New(p.t.Elem()).Elem()
	n := 0
	for it := v.MapRange(); it.Next(); n++ {
		k.SetIterKey(it)
		val.SetIterValue(it)
		if err := e.value(p.key, k, 0, nil); err != nil {
			return prependPath(err, "["+keyString(k.Interface())+"](key)")
		}
		if err := e.value(p.elem, val, 0, nil); err != nil {
			return prependPath(err, "["+keyString(k.Interface())+"]")
		}
	}
	e.nodes[at].n = uint32(n)
	e.leave()
	return nil
}

func (e *encoder) protoMessage(p *plan, v reflect.Value, typ uint32) error {
	if v.IsNil() {
		e.push(node{kind: kNull, typ: typ})
		return nil
	}
	ptr := v.UnsafePointer()
	if e.seen(ptr, p.id) {
		return nil
	}
	e.remember(ptr, p.id)
	m := proto.Clone(v.Interface().(proto.Message))
	e.r.protos = append(e.r.protos, protoEntry{msg: m})
	e.r.size += proto.Size(m)
	e.push(node{kind: kProto, x: uint64(len(e.r.protos) - 1)})
	return nil
}

func (e *encoder) marshaled(p *plan, v reflect.Value, typ uint32) error {
	var b []byte
	var err error
	if !v.CanAddr() && !p.t.Implements(binMarshaler) && !p.t.Implements(gobEncoder) {
		c := reflect.New(p.t).Elem()
		c.Set(v)
		v = c
	}
	if v.CanAddr() {
		v = v.Addr()
	}
	err = callUser(func() (err error) {
		if p.method == marshalBinary {
			b, err = v.Interface().(encoding.BinaryMarshaler).MarshalBinary()
		} else {
			b, err = v.Interface().(gob.GobEncoder).GobEncode()
		}
		return err
	})
	if err != nil {
		return &DataCloneError{Type: p.t, Reason: "marshaling failed", Err: err}
	}
	e.push(node{kind: kBinary, typ: typ, flags: p.method, x: e.blob(b)})
	return nil
}

func (e *encoder) external(p *plan, v reflect.Value, typ uint32) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		if v.IsNil() {
			e.push(node{kind: kNull, typ: typ})
			return nil
		}
	}
	if p.t.Comparable() {
		if slot, ok := e.ts.extSlot(v.Interface().(Transferable)); ok {
			e.push(node{kind: kExternal, x: uint64(slot)})
			return nil
		}
	}
	return cloneErr(p.t, "transferable "+p.t.String()+" must be in the transfer list")
}

// valueString formats a map key for an error path.
func valueString(k any) (s string) {
	defer func() {
		if recover() != nil {
			s = "?"
		}
	}()
	s = fmt.Sprintf("%v", k)
	if len(s) > 64 {
		s = s[:61] + "..."
	}
	return s
}
