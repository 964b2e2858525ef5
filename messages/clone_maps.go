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

// flatMap copies m, a map whose keys and values are their own copies (see
// copyPlan.flatMap), with the runtime's own map copy (what maps.Clone
// does): its table is copied as memory, without hashing a key again, and
// nothing of it is copied deeper. It takes what goMap's entry by entry
// copy would: the same nesting checks, and the copy remembered as m's.
func (c *cloner) flatMap(cp *copyPlan, k memoKey, m unsafe.Pointer) (unsafe.Pointer, bool) {
	if !c.enter() {
		return nil, false
	}
	if mapLen(m) > 0 && (c.depth+cp.key.depth > maxContainerDepth || c.depth+cp.elem.depth > maxContainerDepth) {
		return nil, false
	}
	cl := mapsClone(packAny(cp.rt, m))
	out := (*eface)(unsafe.Pointer(&cl)).data
	c.remember(k, out)
	c.depth--
	return out, true
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
