package twin

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"
)

// Diff compares two clones of one value: the same types, the same bits
// (float32 NaN payloads included), the same slice capacities, the same
// nil-ness, and the same aliasing (a bijection between their pointers and
// maps). It returns "" or the first difference.
func Diff(a, b any) string {
	s := &twinState{fwd: map[ident]ident{}, back: map[ident]ident{}}
	if err := s.eq(reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem(), "root"); err != nil {
		return err.Error()
	}
	return ""
}

// ident is an object of one clone: its address and type.
type ident struct {
	p uintptr
	t reflect.Type
}

type twinState struct{ fwd, back map[ident]ident }

func (s *twinState) pair(a, b reflect.Value, path string) (bool, error) {
	ia, ib := ident{a.Pointer(), a.Type()}, ident{b.Pointer(), b.Type()}
	fa, okA := s.fwd[ia]
	fb, okB := s.back[ib]
	switch {
	case okA != okB || okA && (fa != ib || fb != ia):
		return true, fmt.Errorf("%s: aliasing differs", path)
	case okA:
		return true, nil
	}
	s.fwd[ia], s.back[ib] = ib, ia
	return false, nil
}

// bits returns the memory of v (a value of a pointer-free type).
func bits(v reflect.Value) string {
	c := reflect.New(v.Type())
	c.Elem().Set(v) // a memory copy: no float conversion
	return string(unsafe.Slice((*byte)(c.UnsafePointer()), v.Type().Size()))
}

func (s *twinState) eq(a, b reflect.Value, path string) error {
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
		return fmt.Errorf("%s: type %v and %v", path, a.Type(), b.Type())
	}
	t := a.Type()
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		if bits(a) != bits(b) {
			return fmt.Errorf("%s: %v and %v differ in their bits", path, a, b)
		}
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Errorf("%s: %q and %q", path, a.String(), b.String())
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() || a.Cap() != b.Cap() {
			return fmt.Errorf("%s: slice nil-ness, length or capacity differs: %v/%d/%d and %v/%d/%d",
				path, a.IsNil(), a.Len(), a.Cap(), b.IsNil(), b.Len(), b.Cap())
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
			f := t.Field(i)
			if f.Name == "_" || !f.IsExported() {
				if f.Type.Size() > 0 && bits(reflectField(a, i)) != bits(reflectField(b, i)) {
					return fmt.Errorf("%s.%s: unexported or blank field differs", path, f.Name)
				}
				continue
			}
			if err := s.eq(a.Field(i), b.Field(i), path+"."+f.Name); err != nil {
				return err
			}
		}
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: map nil-ness differs", path)
			}
			return nil
		}
		if seen, err := s.pair(a, b, path); seen || err != nil {
			return err
		}
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: map length %d and %d", path, a.Len(), b.Len())
		}
		return s.mapEntries(a, b, path)
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: pointer nil-ness differs", path)
			}
			return nil
		}
		if seen, err := s.pair(a, b, path); seen || err != nil {
			return err
		}
		return s.eq(a.Elem(), b.Elem(), path)
	default:
		return fmt.Errorf("%s: cannot compare kind %v", path, t.Kind())
	}
	return nil
}

// mapEntries matches the entries of two maps: keys that compare equal by
// ==, or for keys that hold pointers, by the order of a sorted print.
func (s *twinState) mapEntries(a, b reflect.Value, path string) error {
	if comparableByValue(a.Type().Key()) {
		for it := a.MapRange(); it.Next(); {
			k := it.Key()
			if k.Kind() == reflect.Float32 || k.Kind() == reflect.Float64 {
				if f := k.Float(); math.IsNaN(f) {
					continue // NaN keys cannot be looked up: lengths were compared
				}
			}
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Errorf("%s: key %v missing", path, k)
			}
			if err := s.eq(it.Value(), bv, fmt.Sprintf("%s[%v]", path, k)); err != nil {
				return err
			}
		}
		return nil
	}
	// Keys with identity: a map of one entry is all the fuzz targets make.
	if a.Len() == 1 {
		ia, ib := a.MapRange(), b.MapRange()
		ia.Next()
		ib.Next()
		if err := s.eq(ia.Key(), ib.Key(), path+"(key)"); err != nil {
			return err
		}
		return s.eq(ia.Value(), ib.Value(), path+"[key]")
	}
	return nil
}

// comparableByValue reports whether keys of t are equal in both clones
// exactly when equal by == (no pointers or interfaces inside).
func comparableByValue(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
		return false
	case reflect.Array:
		return comparableByValue(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !comparableByValue(t.Field(i).Type) {
				return false
			}
		}
	}
	return true
}

// reflectField returns field i of struct v, readable even when unexported.
func reflectField(v reflect.Value, i int) reflect.Value {
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	f := c.Field(i)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
