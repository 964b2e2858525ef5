package messages

import (
	"encoding"
	"encoding/gob"
	"fmt"
	"reflect"
	"time"

	"google.golang.org/protobuf/proto"
)

// Deserialization helpers: packed slices, protobuf messages and the
// marshal methods of types that opt in.

func (d *decoder) timeValue(n *node) (time.Time, error) {
	if n.x >= uint64(len(d.r.times)) {
		return time.Time{}, corrupt("time index out of range")
	}
	return d.r.times[n.x], nil
}

// packed fills v from a kPacked node whose elements are of p.packed's
// number family (another build may have used another width).
func (d *decoder) packed(p *plan, v reflect.Value, n *node) error {
	data, err := d.rawBlob(n.x)
	if err != nil {
		return err
	}
	wire := reflect.Kind(n.flags)
	if uint64(n.n)*uint64(packWidth(wire)) != uint64(len(data)) {
		return corrupt("packed payload has the wrong length")
	}
	if p.t.Kind() == reflect.Array {
		if int(n.n) != p.n {
			return d.mismatch(p, n)
		}
	} else {
		if err := d.charge(int64(n.n) * int64(p.t.Elem().Size())); err != nil {
			return err
		}
		makeSlice(v, int(n.n))
	}
	if wire != p.packed {
		return convertPacked(v, wire, data)
	}
	return unpackValues(v, p.packed, data)
}

func (d *decoder) protoMessage(n *node, want reflect.Type) (proto.Message, error) {
	if n.x >= uint64(len(d.r.protos)) {
		return nil, corrupt("protobuf index out of range")
	}
	id := d.register(nil)
	e := &d.r.protos[n.x]
	var m proto.Message
	if e.msg != nil {
		if want != nil && reflect.TypeOf(e.msg) != want {
			return nil, &DataCloneError{Type: want, Reason: "the record holds protobuf message " + string(e.protoName())}
		}
		m = e.msg
		if !d.private {
			m = proto.Clone(e.msg)
		}
	} else {
		if want != nil {
			m = reflect.New(want.Elem()).Interface().(proto.Message)
			if m.ProtoReflect().Descriptor().FullName() != e.protoName() {
				return nil, &DataCloneError{Type: want, Reason: "the record holds protobuf message " + string(e.protoName())}
			}
		} else {
			m = e.mt.New().Interface()
		}
		if err := d.charge(8 * int64(len(e.data))); err != nil {
			return nil, err
		}
		if err := proto.Unmarshal(e.data, m); err != nil {
			return nil, &DataCloneError{Type: reflect.TypeOf(m), Reason: "invalid protobuf payload", Err: err}
		}
	}
	d.objs[id] = m
	return m, nil
}

func (d *decoder) unmarshal(p *plan, v reflect.Value, n *node) error {
	b, err := d.blob(n.x)
	if err != nil {
		return err
	}
	ptr := reflect.New(p.t)
	err = callUser(func() error {
		if p.method == marshalBinary {
			return ptr.Interface().(encoding.BinaryUnmarshaler).UnmarshalBinary(b)
		}
		return ptr.Interface().(gob.GobDecoder).GobDecode(b)
	})
	if err != nil {
		return &DataCloneError{Type: p.t, Reason: "unmarshaling failed", Err: err}
	}
	v.Set(ptr.Elem())
	return nil
}

// makeSlice makes settable slice v a new slice of length n (reflect.MakeSlice
// would allocate a slice header as well).
func makeSlice(v reflect.Value, n int) {
	v.SetZero()
	if n > 0 {
		v.Grow(n)
	}
	v.SetLen(n)
	if n == 0 {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0)) // empty, not nil
	}
}

// callUser runs a user method (UnmarshalBinary, MarshalBinary, ...) and
// turns a panic into an error, so that hostile bytes cannot crash the
// receiver through a fragile decoder.
func callUser(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return f()
}

// special rebuilds the types with fixed encodings.
func (d *decoder) special(p *plan, v reflect.Value, n *node) error {
	var obj any
	var err error
	want := kInvalid
	switch p.kind {
	case pTime:
		want = kTime
		if n.kind == kDate {
			want = kDate
		}
	case pBigInt, pBigIntPtr:
		want = kBigInt
	case pBlobPtr:
		want = kBlob
	case pFilePtr:
		want = kFile
	case pUndefined:
		want = kUndefined
	case pObject, pObjectPtr:
		want = kObject
	case pJSMap, pJSMapPtr:
		want = kMap
	case pJSSet, pJSSetPtr:
		want = kSet
	case pRegExp:
		want = kRegExp
		if n.kind == kJSRegExp {
			want = kJSRegExp
		}
	case pError, pErrorPtr:
		want = kError
		if n.kind == kErrorCause {
			want = kErrorCause
		}
	case pAB, pABPtr:
		want = kArrayBuffer
		if n.kind == kTransferred {
			want = kTransferred
		}
	case pTA, pTAPtr:
		want = kTypedArray
	case pDV, pDVPtr:
		want = kDataView
	case pProto:
		if n.kind != kProto {
			return d.mismatch(p, n)
		}
		m, err := d.protoMessage(n, p.t)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(m))
		return nil
	case pBinary:
		if n.kind != kBinary || n.flags != p.method {
			return d.mismatch(p, n)
		}
		return d.unmarshal(p, v, n)
	}
	if n.kind != want || want == kInvalid {
		return d.mismatch(p, n)
	}
	switch p.kind {
	case pUndefined:
		return nil
	case pRegExp:
		if n.kind == kJSRegExp {
			obj, err = d.jsRegExp()
		} else {
			obj, err = d.regExp()
		}
	default:
		nt := *n
		nt.typ = idNone
		obj, err = d.anyNode(&nt)
	}
	if err != nil {
		return err
	}
	rv := reflect.ValueOf(obj)
	if rv.Kind() == reflect.Pointer && p.t.Kind() != reflect.Pointer {
		rv = rv.Elem() // a value form: copy the new object into place
	}
	if rv.Type() != p.t {
		return d.mismatch(p, n)
	}
	v.Set(rv)
	return nil
}
