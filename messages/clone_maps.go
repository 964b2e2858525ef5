package messages

import (
	"reflect"
	"unsafe"
)

// strWordMap copies the entries of src, a map with string keys and values
// of one pointer word (a pointer or a map: see copyPlan.strWord), into out,
// a new map of the same type sized for them.
//
// It reads and writes both maps as map[string]unsafe.Pointer. Go lays out
// every map with string keys and one-word pointer values alike (the same
// slot size and offsets, the same string hash, the value a pointer the
// collector traces), so the range loop and the assignment work on them as
// on maps of their own type, without reflection per entry, which was a
// third of the copy of a map of structs. Neither map grows: out was made
// with room for every entry. A string key adds no level of nesting (its
// plan's depth is 0), so the keys need no check of their own.
func (c *cloner) strWordMap(cp *copyPlan, out, src unsafe.Pointer) bool {
	from := *(*map[string]unsafe.Pointer)(unsafe.Pointer(&src))
	to := *(*map[string]unsafe.Pointer)(unsafe.Pointer(&out))
	c.mem.reserve(min(len(from), idReserveMax))
	for k, v := range from {
		var p unsafe.Pointer
		var ok bool
		if cp.elem.kind == cPtr {
			p, ok = c.pointer(cp.elem, v)
		} else {
			p, ok = c.goMap(cp.elem, v)
		}
		if !ok {
			return false
		}
		to[k] = p
	}
	return true
}

// strSliceMap copies the entries of src, a map with string keys and slice
// values (see copyPlan.strSlice), into out, a new map of the same type
// sized for them, as strWordMap does: both maps are read and written as
// map[string]sliceHeader, laid out as every map with string keys and
// slice values is (a slice header's first word is the pointer the
// collector traces), and each slice is copied by its plan.
func (c *cloner) strSliceMap(cp *copyPlan, out, src unsafe.Pointer) bool {
	from := *(*map[string]sliceHeader)(unsafe.Pointer(&src))
	to := *(*map[string]sliceHeader)(unsafe.Pointer(&out))
	for k, v := range from {
		s, ok := c.slice(cp.elem, v)
		if !ok {
			return false
		}
		to[k] = s
	}
	return true
}

// strFlatKind names the value type a map with string keys and flat values
// is read and written as by strFlatMap: one laid out as the map's values
// are, so that both maps can be read and written as maps of that type, as
// strWordMap does. Only the values' size and pointers matter: a flat value
// is its own copy, bit for bit, so the value type's own meaning does not.
type strFlatKind uint8

const (
	strFlatNone   strFlatKind = iota
	strFlatString             // a string kind: map[string]string
	strFlat8                  // 8 bytes without pointers: map[string]uint64
	strFlat4                  // map[string]uint32
	strFlat2                  // map[string]uint16
	strFlat1                  // map[string]uint8
)

// strFlatOf returns how a map with string keys and values of plan ep is
// copied by strFlatMap, or strFlatNone. The values must be flat with no
// float32 the record path would quiet, and either strings or free of
// pointers and 1, 2, 4 or 8 bytes long (a value of up to 8 bytes sits
// right after the 16-byte key in a map's slot, whatever its alignment).
func strFlatOf(ep *copyPlan) strFlatKind {
	if ep.kind != cFlat || len(ep.fixAddr) > 0 {
		return strFlatNone
	}
	if ep.t.Kind() == reflect.String {
		return strFlatString
	}
	if !pointerFree(ep.t) {
		return strFlatNone
	}
	switch ep.t.Size() {
	case 8:
		return strFlat8
	case 4:
		return strFlat4
	case 2:
		return strFlat2
	case 1:
		return strFlat1
	}
	return strFlatNone
}

// pointerFree reports whether values of t hold no pointer (a string does).
func pointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return t.Len() == 0 || pointerFree(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}

// strFlatMap copies the entries of src, a map with string keys and flat
// values (see strFlatOf), into out, a new map of the same type sized for
// them: a loop as a hand-written copy is, on the maps read as maps of the
// stand-in value type. The values need no copy of their own; only their
// nesting is checked, as for each entry of goMap's general path.
func (c *cloner) strFlatMap(cp *copyPlan, out, src unsafe.Pointer) bool {
	if mapLen(src) > 0 && c.depth+cp.elem.depth > maxContainerDepth {
		return false
	}
	switch cp.strFlat {
	case strFlatString:
		copyEntries[string](out, src)
	case strFlat8:
		copyEntries[uint64](out, src)
	case strFlat4:
		copyEntries[uint32](out, src)
	case strFlat2:
		copyEntries[uint16](out, src)
	default:
		copyEntries[uint8](out, src)
	}
	return true
}

// copyEntries copies every entry of src into out, both read as
// map[string]V.
func copyEntries[V any](out, src unsafe.Pointer) {
	from := *(*map[string]V)(unsafe.Pointer(&src))
	to := *(*map[string]V)(unsafe.Pointer(&out))
	for k, v := range from {
		to[k] = v
	}
}

// mapLen is len of the map whose pointer is m.
func mapLen(m unsafe.Pointer) int {
	return len(*(*map[struct{}]struct{})(unsafe.Pointer(&m)))
}

// mapScratch is what goMap's entry by entry copy works in: a key and a
// value of the map's types, and the iterator. A copy plan keeps them in a
// pool (copyPlan.scratches), so that copying a map allocates only the map.
type mapScratch struct {
	key, val reflect.Value
	it       reflect.MapIter
}

// scratch returns a mapScratch for cp, a map's plan.
func (cp *copyPlan) scratch() *mapScratch {
	if sc, ok := cp.scratches.Get().(*mapScratch); ok {
		return sc
	}
	return &mapScratch{key: reflect.New(cp.key.t).Elem(), val: reflect.New(cp.elem.t).Elem()}
}

// release empties sc, so that the pool keeps nothing of the copied map
// alive, and gives it back.
func (sc *mapScratch) release(cp *copyPlan) {
	sc.it.Reset(reflect.Value{})
	sc.key.SetZero()
	sc.val.SetZero()
	cp.scratches.Put(sc)
}
