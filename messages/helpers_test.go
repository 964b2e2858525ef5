package messages_test

import (
	"encoding"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"time"

	"github.com/entangle-go/entangle/messages"
	"google.golang.org/protobuf/proto"
)

// fakePort is an external transferable, like a ports.MessagePort.
type fakePort struct {
	id       int
	detached bool
}

func (p *fakePort) Detached() bool { return p.detached }

// cloneEqual compares an original value with its clone: same types, same
// contents (NaN equals NaN, -0 differs from +0), the same aliasing (a
// bijection between the original's and the clone's objects) and no shared
// mutable memory (except the buffers in shared, which were transferred).
// It returns "" or the first difference.
func cloneEqual(orig, clone any, shared ...*messages.ArrayBuffer) string {
	s := &eqState{fwd: map[ident]ident{}, back: map[ident]ident{}, shared: map[*messages.ArrayBuffer]bool{}}
	for _, b := range shared {
		s.shared[b] = true
	}
	if err := s.eq(reflect.ValueOf(&orig).Elem(), reflect.ValueOf(&clone).Elem(), "root"); err != nil {
		return err.Error()
	}
	return ""
}

type ident struct {
	p uintptr
	t reflect.Type
}

type eqState struct {
	fwd, back map[ident]ident
	shared    map[*messages.ArrayBuffer]bool
}

// pair records that original object a became clone b; it reports whether
// the pair was seen before (and fails on an inconsistent mapping).
func (s *eqState) pair(a, b reflect.Value, path string) (bool, error) {
	ia, ib := ident{a.Pointer(), a.Type()}, ident{b.Pointer(), b.Type()}
	if got, ok := s.fwd[ia]; ok {
		if got != ib {
			return true, fmt.Errorf("%s: aliasing not preserved", path)
		}
		return true, nil
	}
	if _, ok := s.back[ib]; ok {
		return true, fmt.Errorf("%s: two originals became one clone", path)
	}
	s.fwd[ia], s.back[ib] = ib, ia
	return false, nil
}

var (
	objectPtr    = reflect.TypeFor[*messages.Object]()
	mapPtr       = reflect.TypeFor[*messages.Map]()
	setPtr       = reflect.TypeFor[*messages.Set]()
	abPtr        = reflect.TypeFor[*messages.ArrayBuffer]()
	taPtr        = reflect.TypeFor[*messages.TypedArray]()
	dvPtr        = reflect.TypeFor[*messages.DataView]()
	bigPtr       = reflect.TypeFor[*big.Int]()
	timeType     = reflect.TypeFor[time.Time]()
	protoMsg     = reflect.TypeFor[proto.Message]()
	binMarshaler = reflect.TypeFor[encoding.BinaryMarshaler]()
)

func (s *eqState) eq(a, b reflect.Value, path string) error {
	if a.Kind() == reflect.Interface {
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: nil-ness differs", path)
			}
			return nil
		}
		a, b = a.Elem(), b.Elem()
	}
	if a.Type() != b.Type() {
		return fmt.Errorf("%s: type %v became %v", path, a.Type(), b.Type())
	}
	t := a.Type()
	switch {
	case t == timeType:
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		if !ta.Equal(tb) || ta.Location().String() != tb.Location().String() {
			return fmt.Errorf("%s: time %v became %v", path, ta, tb)
		}
		return nil
	case t.Kind() != reflect.Pointer && t.Implements(binMarshaler) && a.CanInterface():
		ma, _ := a.Interface().(encoding.BinaryMarshaler).MarshalBinary()
		mb, _ := b.Interface().(encoding.BinaryMarshaler).MarshalBinary()
		if string(ma) != string(mb) {
			return fmt.Errorf("%s: marshaled value differs", path)
		}
		return nil
	case t.Kind() == reflect.Pointer && !a.IsNil() && !b.IsNil() && t.Implements(protoMsg):
		if a.Pointer() == b.Pointer() {
			return fmt.Errorf("%s: protobuf message shared", path)
		}
		if !proto.Equal(a.Interface().(proto.Message), b.Interface().(proto.Message)) {
			return fmt.Errorf("%s: protobuf messages differ", path)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return fmt.Errorf("%s: %v became %v", path, a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return fmt.Errorf("%s: %v became %v", path, a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if a.Uint() != b.Uint() {
			return fmt.Errorf("%s: %v became %v", path, a.Uint(), b.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if !sameFloat(a.Float(), b.Float()) {
			return fmt.Errorf("%s: %v became %v", path, a.Float(), b.Float())
		}
	case reflect.Complex64, reflect.Complex128:
		if !sameFloat(real(a.Complex()), real(b.Complex())) || !sameFloat(imag(a.Complex()), imag(b.Complex())) {
			return fmt.Errorf("%s: %v became %v", path, a.Complex(), b.Complex())
		}
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Errorf("%s: %q became %q", path, a.String(), b.String())
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Errorf("%s: slice nil-ness or length differs", path)
		}
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return fmt.Errorf("%s: slice shares memory", path)
		}
		for i := 0; i < a.Len(); i++ {
			if err := s.eq(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if err := s.eq(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if err := s.eq(a.Field(i), b.Field(i), path+"."+t.Field(i).Name); err != nil {
				return err
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return fmt.Errorf("%s: map nil-ness differs", path)
		}
		if a.IsNil() {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			return fmt.Errorf("%s: map shared", path)
		}
		if seen, err := s.pair(a, b, path); seen || err != nil {
			return err
		}
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: map length %d became %d", path, a.Len(), b.Len())
		}
		for it := a.MapRange(); it.Next(); {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() {
				return fmt.Errorf("%s: key %v missing", path, it.Key())
			}
			if err := s.eq(it.Value(), bv, fmt.Sprintf("%s[%v]", path, it.Key())); err != nil {
				return err
			}
		}
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			return fmt.Errorf("%s: pointer nil-ness differs", path)
		}
		if a.IsNil() {
			return nil
		}
		if ab, ok := a.Interface().(*messages.ArrayBuffer); ok && s.shared[ab] {
			if seen, err := s.pair(a, b, path); seen || err != nil {
				return err
			}
			return nil
		}
		if a.Pointer() == b.Pointer() {
			return fmt.Errorf("%s: pointer shared", path)
		}
		if seen, err := s.pair(a, b, path); seen || err != nil {
			return err
		}
		return s.eqPointee(a, b, path)
	default:
		return fmt.Errorf("%s: cannot compare kind %v", path, t.Kind())
	}
	return nil
}

func (s *eqState) eqPointee(a, b reflect.Value, path string) error {
	switch x := a.Interface().(type) {
	case *messages.Object:
		y := b.Interface().(*messages.Object)
		if fmt.Sprint(x.Keys()) != fmt.Sprint(y.Keys()) {
			return fmt.Errorf("%s: keys %v became %v", path, x.Keys(), y.Keys())
		}
		for _, k := range x.Keys() {
			va, _ := x.Get(k)
			vb, _ := y.Get(k)
			if err := s.eq(reflect.ValueOf(&va).Elem(), reflect.ValueOf(&vb).Elem(), path+"."+k); err != nil {
				return err
			}
		}
		return nil
	case *messages.Map:
		y := b.Interface().(*messages.Map)
		ka, kb := x.Keys(), y.Keys()
		if len(ka) != len(kb) {
			return fmt.Errorf("%s: Map size differs", path)
		}
		for i := range ka {
			if err := s.eq(reflect.ValueOf(&ka[i]).Elem(), reflect.ValueOf(&kb[i]).Elem(), fmt.Sprintf("%s.keys()[%d]", path, i)); err != nil {
				return err
			}
			va, _ := x.Get(ka[i])
			vb, _ := y.Get(kb[i])
			if err := s.eq(reflect.ValueOf(&va).Elem(), reflect.ValueOf(&vb).Elem(), fmt.Sprintf("%s.get(%d)", path, i)); err != nil {
				return err
			}
		}
		return nil
	case *messages.Blob:
		y := b.Interface().(*messages.Blob)
		if string(x.Bytes()) != string(y.Bytes()) || x.Type() != y.Type() {
			return fmt.Errorf("%s: Blob differs", path)
		}
		return nil // immutable: the bytes may be shared
	case *messages.File:
		y := b.Interface().(*messages.File)
		if string(x.Bytes()) != string(y.Bytes()) || x.Type() != y.Type() || x.Name() != y.Name() ||
			!x.LastModified().Equal(y.LastModified()) {
			return fmt.Errorf("%s: File differs", path)
		}
		return nil
	case *messages.Set:
		y := b.Interface().(*messages.Set)
		va, vb := x.Values(), y.Values()
		if len(va) != len(vb) {
			return fmt.Errorf("%s: Set size differs", path)
		}
		for i := range va {
			if err := s.eq(reflect.ValueOf(&va[i]).Elem(), reflect.ValueOf(&vb[i]).Elem(), fmt.Sprintf("%s.values()[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case *messages.ArrayBuffer:
		y := b.Interface().(*messages.ArrayBuffer)
		if x.Detached() != y.Detached() || string(x.Bytes()) != string(y.Bytes()) {
			return fmt.Errorf("%s: ArrayBuffer differs", path)
		}
		if x.ByteLength() > 0 && &x.Bytes()[0] == &y.Bytes()[0] {
			return fmt.Errorf("%s: ArrayBuffer shares memory", path)
		}
		return nil
	case *messages.TypedArray:
		y := b.Interface().(*messages.TypedArray)
		if x.Kind() != y.Kind() || x.ByteOffset() != y.ByteOffset() || x.Length() != y.Length() {
			return fmt.Errorf("%s: typed array differs", path)
		}
		return s.eq(reflect.ValueOf(x.Buffer()), reflect.ValueOf(y.Buffer()), path+".buffer")
	case *messages.DataView:
		y := b.Interface().(*messages.DataView)
		if x.ByteOffset() != y.ByteOffset() || x.ByteLength() != y.ByteLength() {
			return fmt.Errorf("%s: DataView differs", path)
		}
		return s.eq(reflect.ValueOf(x.Buffer()), reflect.ValueOf(y.Buffer()), path+".buffer")
	case *big.Int:
		if x.Cmp(b.Interface().(*big.Int)) != 0 {
			return fmt.Errorf("%s: big.Int differs", path)
		}
		return nil
	}
	return s.eq(a.Elem(), b.Elem(), path)
}

func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

// roundTrips clones v every way the package offers: StructuredClone,
// Serialize+Deserialize, and through the binary form.
func roundTrips(v any) (map[string]any, error) {
	out := map[string]any{}
	c, err := messages.StructuredClone(v)
	if err != nil {
		return nil, fmt.Errorf("StructuredClone: %w", err)
	}
	out["StructuredClone"] = c
	r, err := messages.Serialize(v)
	if err != nil {
		return nil, fmt.Errorf("Serialize: %w", err)
	}
	if out["Deserialize"], err = messages.Deserialize(r); err != nil {
		return nil, fmt.Errorf("Deserialize: %w", err)
	}
	b, err := r.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("MarshalBinary: %w", err)
	}
	r2, err := messages.DecodeRecord(b)
	if err != nil {
		return nil, fmt.Errorf("DecodeRecord: %w", err)
	}
	if out["binary"], err = messages.Deserialize(r2); err != nil {
		return nil, fmt.Errorf("Deserialize(decoded): %w", err)
	}
	return out, nil
}

var (
	_ = objectPtr
	_ = mapPtr
	_ = setPtr
	_ = abPtr
	_ = taPtr
	_ = dvPtr
	_ = bigPtr
)

// recordClone is the record path: Serialize then Deserialize.
func recordClone(v any) (any, error) {
	r, err := messages.Serialize(v)
	if err != nil {
		return nil, err
	}
	return messages.Deserialize(r)
}
