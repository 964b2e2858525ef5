package messages

import (
	"maps"
	"reflect"
	"unsafe"
)

// Most maps are copied without reflection per entry: both maps are read
// and written as maps of stand-in types laid out as theirs, so that a
// range loop and an assignment copy them as on maps of their own type.
// Go lays out every map whose keys and values have the same sizes,
// alignments and pointer words alike (the same slots and offsets; keys and
// values are stored in the slots up to 128 bytes), and hashes every key of
// one of these shapes with the same function: strings (named ones too) by
// their bytes, and integers of 4 and 8 bytes as memory, whether the map
// type was compiled or made by package reflect. Writes go through the
// stand-in type, whose pointer words are where the real type's are, so the
// collector sees them. Neither map grows: out was made with room for every
// entry. On the general path (goMap) reflection was a third of the copy of
// a map of structs.

// keyShape is the stand-in type a map's keys are read as.
type keyShape uint8

const (
	keyShapeNone keyShape = iota
	keyStr                // any string kind: string
	key8                  // an 8-byte integer kind: uint64
	key4                  // a 4-byte integer kind: uint32
)

// keyShapeOf returns the stand-in for keys of plan kp, or keyShapeNone.
// Floats are not among them (their hash is not their bits': each NaN gets a
// random one, -0 that of +0), nor structs or arrays, nor integers of 1 and
// 2 bytes.
func keyShapeOf(kp *copyPlan) keyShape {
	switch kp.t.Kind() {
	case reflect.String:
		return keyStr
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64:
		if kp.t.Size() == 8 {
			return key8
		}
	case reflect.Int32, reflect.Uint32:
		return key4
	}
	return keyShapeNone
}

// valShape is how a map's values are read and copied.
type valShape uint8

const (
	valNone   valShape = iota
	valWord            // a pointer or a map: one pointer word, copied by its plan
	valSlice           // a slice: its header, the slice copied by its plan
	valString          // a string kind: shared, as every flat value is (this and below: flat)
	val8               // flat, 8 bytes long and aligned, no pointers: uint64
	val4               // uint32
	val2               // uint16
	val1               // uint8
)

// flat reports whether values of this shape are flat: their own copies,
// bit for bit.
func (s valShape) flat() bool { return s >= valString }

// valShapeOf returns how values of plan ep are copied, or valNone. A flat
// value (its own copy, bit for bit) qualifies with no float32 the record
// path would quiet, as a string or free of pointers and as long as its
// alignment: only its size and pointers matter, not its meaning.
func valShapeOf(ep *copyPlan) valShape {
	switch ep.kind {
	case cPtr, cMap:
		return valWord
	case cSlice:
		return valSlice
	case cFlat:
	default:
		return valNone
	}
	if len(ep.fixAddr) > 0 {
		return valNone
	}
	if ep.t.Kind() == reflect.String {
		return valString
	}
	if !pointerFree(ep.t) || uintptr(ep.t.Align()) != ep.t.Size() {
		return valNone
	}
	switch ep.t.Size() {
	case 8:
		return val8
	case 4:
		return val4
	case 2:
		return val2
	case 1:
		return val1
	}
	return valNone
}

// pointerFree reports whether values of t hold no pointer (a string does).
func pointerFree(t reflect.Type) bool {
	switch k := t.Kind(); k {
	case reflect.Array:
		return t.Len() == 0 || pointerFree(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	default:
		return packable(k) || k == reflect.Uintptr
	}
}

// typedMap copies the entries of src, a map whose plan has a key and a
// value shape, into out, a new map of the same type sized for them.
func (c *cloner) typedMap(cp *copyPlan, out, src unsafe.Pointer) bool {
	switch cp.mapKey {
	case keyStr:
		return copyMapAs[string](c, cp, out, src)
	case key8:
		return copyMapAs[uint64](c, cp, out, src)
	}
	return copyMapAs[uint32](c, cp, out, src)
}

// copyMapAs is typedMap with keys read as K. The keys are flat scalars,
// which add no level of nesting (their plans' depth is 0); a value is
// checked for its nesting as on goMap's general path: by the copy of its
// pointer, map or slice, or here for a flat one.
func copyMapAs[K comparable](c *cloner, cp *copyPlan, out, src unsafe.Pointer) bool {
	switch cp.mapVal {
	case valWord:
		return wordEntries[K](c, cp, out, src)
	case valSlice:
		return sliceEntries[K](c, cp, out, src)
	}
	if mapLen(src) > 0 && c.depth+cp.elem.depth > maxContainerDepth {
		return false
	}
	switch cp.mapVal {
	case valString:
		copyEntries[K, string](out, src)
	case val8:
		copyEntries[K, uint64](out, src)
	case val4:
		copyEntries[K, uint32](out, src)
	case val2:
		copyEntries[K, uint16](out, src)
	default:
		copyEntries[K, uint8](out, src)
	}
	return true
}

// wordEntries copies entries whose values are pointers or maps, each
// copied by its plan (so shared ones stay shared).
func wordEntries[K comparable](c *cloner, cp *copyPlan, out, src unsafe.Pointer) bool {
	from := *(*map[K]unsafe.Pointer)(unsafe.Pointer(&src))
	to := *(*map[K]unsafe.Pointer)(unsafe.Pointer(&out))
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

// sliceEntries copies entries whose values are slices, each copied by its
// plan (a slice header's first word is the pointer the collector traces).
func sliceEntries[K comparable](c *cloner, cp *copyPlan, out, src unsafe.Pointer) bool {
	from := *(*map[K]sliceHeader)(unsafe.Pointer(&src))
	to := *(*map[K]sliceHeader)(unsafe.Pointer(&out))
	for k, v := range from {
		s, ok := c.slice(cp.elem, v)
		if !ok {
			return false
		}
		to[k] = s
	}
	return true
}

// copyEntries copies every entry of src into out, both read as map[K]V:
// flat values, their own copies.
func copyEntries[K comparable, V any](out, src unsafe.Pointer) {
	from := *(*map[K]V)(unsafe.Pointer(&src))
	to := *(*map[K]V)(unsafe.Pointer(&out))
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

// cloneFlatMap returns a copy of src, a map of one group of slots
// (internal/mapgroup) whose plan has a key shape and a flat value shape:
// the runtime's own clone of the map read as its stand-in type, which
// copies the group as it is, with no hashing and no insertion, as
// maps.Clone does for a map of a compiled type.
func cloneFlatMap(cp *copyPlan, src unsafe.Pointer) unsafe.Pointer {
	switch cp.mapKey {
	case keyStr:
		return cloneFlatAs[string](cp, src)
	case key8:
		return cloneFlatAs[uint64](cp, src)
	}
	return cloneFlatAs[uint32](cp, src)
}

// cloneFlatAs is cloneFlatMap with keys read as K.
func cloneFlatAs[K comparable](cp *copyPlan, src unsafe.Pointer) unsafe.Pointer {
	switch cp.mapVal {
	case valString:
		return cloneAs[K, string](src)
	case val8:
		return cloneAs[K, uint64](src)
	case val4:
		return cloneAs[K, uint32](src)
	case val2:
		return cloneAs[K, uint16](src)
	}
	return cloneAs[K, uint8](src)
}

// cloneAs is maps.Clone of src read as a map[K]V.
func cloneAs[K comparable, V any](src unsafe.Pointer) unsafe.Pointer {
	m := maps.Clone(*(*map[K]V)(unsafe.Pointer(&src)))
	return *(*unsafe.Pointer)(unsafe.Pointer(&m))
}
