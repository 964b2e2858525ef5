package messages

import (
	"reflect"
	"time"
	"unsafe"

	"github.com/entangle-go/entangle/internal/mapgroup"
)

// cloner copies a value straight into a new Go value, without building a
// record: what StructuredClone does when nothing is transferred. The result
// is the one Serialize+Deserialize gives (the same Go types; pointers and
// maps keep their identity, so shared ones stay shared and cycles stay
// cycles; slices have none and are copied each time they are reached;
// strings and the boxes of scalars are shared; typed nils stay typed nils;
// the same nesting limit; times lose their monotonic clock reading). On
// any value it does not handle (see copyPlan) it gives up, and
// StructuredClone takes the record path, which also produces the errors.
// FuzzCloneRoundTrip and FuzzDirectCloneMatchesRecord compare both paths.
type cloner struct {
	mem   identity // original -> copy
	depth int
	arena anyArena // where copies of []any are carved from
}

// memoKey is an object of the original: an address and its type, as the
// record path's identity map keys it (&s and &s.First differ by type).
type memoKey struct {
	p  unsafe.Pointer
	cp *copyPlan
}

// mapAnyKey stands for the type map[string]any in memo keys.
var mapAnyKey = &copyPlan{}

// cloneDirect returns the clone and true, or false when v holds anything
// the direct path does not handle.
func cloneDirect(v any) (any, bool) {
	var c cloner
	out, ok := c.anyValue(v)
	c.mem.done()
	return out, ok
}

func (c *cloner) seen(k memoKey) (unsafe.Pointer, bool) { return c.mem.seen(k) }

func (c *cloner) remember(k memoKey, obj unsafe.Pointer) { c.mem.remember(k, obj) }

// enter counts one level of nesting, as the record path does; false when
// the record path would refuse the value as too deep.
func (c *cloner) enter() bool {
	c.depth++
	return c.depth <= maxContainerDepth
}

// anyValue copies the value at an interface position.
func (c *cloner) anyValue(v any) (any, bool) {
	if sharedAsIs(v) {
		return v, true
	}
	switch x := v.(type) {
	case []any:
		if x == nil {
			return v, true
		}
		return c.sliceAny(x)
	case map[string]any:
		if x == nil {
			return v, true
		}
		return c.mapAny(x)
	}
	e := (*eface)(unsafe.Pointer(&v))
	cp := copyPlanOf(e.typ)
	switch cp.kind {
	case cNone:
		return nil, false
	case cFlat:
		if c.depth+cp.depth > maxContainerDepth {
			return nil, false
		}
		if cp.scalar || !hasNaN32(e.data, cp.fixVal) {
			return v, true // immutable in its box
		}
	case cPtr:
		p, ok := c.pointer(cp, e.data)
		return packAny(cp.rt, p), ok
	case cMap:
		m, ok := c.goMap(cp, e.data)
		return packAny(cp.rt, m), ok
	}
	n := unsafeNew(cp.rt)
	if cp.shaped { // a struct or array of one pointer: the data word is the value
		*(*unsafe.Pointer)(n) = e.data
		if !c.copyTo(cp, n, n, false) {
			return nil, false
		}
		return packAny(cp.rt, *(*unsafe.Pointer)(n)), true
	}
	if !c.copyTo(cp, n, e.data, false) {
		return nil, false
	}
	return packAny(cp.rt, n), true
}

// copyTo copies the value of type cp.t at src into dst (which may be src:
// then it is copied in place). addr says whether the record path could
// address the value (it was reached through a pointer, slice or map).
func (c *cloner) copyTo(cp *copyPlan, dst, src unsafe.Pointer, addr bool) bool {
	switch cp.kind {
	case cFlat:
		if c.depth+cp.depth > maxContainerDepth {
			return false
		}
		if dst != src {
			typedmemmove(cp.rt, dst, src)
		}
		c.fix(dst, cp, addr)
	case cStruct:
		if !c.enter() || c.depth+cp.depth > maxContainerDepth {
			return false
		}
		if dst != src {
			typedmemmove(cp.rt, dst, src)
		}
		c.fix(dst, cp, addr)
		for _, f := range cp.deep {
			if !c.copyTo(f.plan, unsafe.Add(dst, f.off), unsafe.Add(src, f.off), addr) {
				return false
			}
		}
		c.depth--
	case cArray:
		if !c.enter() {
			return false
		}
		for i := 0; i < cp.n; i++ {
			off := uintptr(i) * cp.elem.size
			if !c.copyTo(cp.elem, unsafe.Add(dst, off), unsafe.Add(src, off), addr) {
				return false
			}
		}
		c.depth--
	case cPtr:
		p, ok := c.pointer(cp, *(*unsafe.Pointer)(src))
		if !ok {
			return false
		}
		*(*unsafe.Pointer)(dst) = p
	case cMap:
		m, ok := c.goMap(cp, *(*unsafe.Pointer)(src))
		if !ok {
			return false
		}
		*(*unsafe.Pointer)(dst) = m
	case cSlice:
		s, ok := c.slice(cp, *(*sliceHeader)(src))
		if !ok {
			return false
		}
		*(*sliceHeader)(dst) = s
	case cIface:
		return c.iface(cp, dst, src)
	case cTime:
		*(*time.Time)(dst) = (*(*time.Time)(src)).Round(0)
	default:
		return false
	}
	return true
}

// fix quiets the float32 NaNs that the record path would quiet.
func (c *cloner) fix(p unsafe.Pointer, cp *copyPlan, addr bool) {
	offs := cp.fixVal
	if addr {
		offs = cp.fixAddr
	}
	for _, o := range offs {
		quiet32(unsafe.Add(p, o))
	}
}

// hasNaN32 reports whether a float32 at one of offs from p is a NaN.
func hasNaN32(p unsafe.Pointer, offs []uintptr) bool {
	for _, o := range offs {
		if f := *(*float32)(unsafe.Add(p, o)); f != f {
			return true
		}
	}
	return false
}

func (c *cloner) iface(cp *copyPlan, dst, src unsafe.Pointer) bool {
	if cp.empty {
		v, ok := c.anyValue(*(*any)(src))
		*(*any)(dst) = v
		return ok
	}
	w := (*[2]unsafe.Pointer)(src)
	itab := w[0]
	if itab == nil {
		d := (*[2]unsafe.Pointer)(dst)
		d[0], d[1] = nil, nil
		return true
	}
	v, ok := c.anyValue(reflect.NewAt(cp.t, src).Elem().Interface())
	if !ok {
		return false
	}
	d := (*[2]unsafe.Pointer)(dst)
	d[0], d[1] = itab, (*eface)(unsafe.Pointer(&v)).data // the same dynamic type: the same itab
	return true
}

func (c *cloner) pointer(cp *copyPlan, p unsafe.Pointer) (unsafe.Pointer, bool) {
	if p == nil {
		return nil, true
	}
	k := memoKey{p, cp}
	if obj, ok := c.seen(k); ok {
		return obj, true
	}
	n := unsafeNew(cp.elem.rt)
	c.remember(k, n)
	if !c.enter() || !c.copyTo(cp.elem, n, p, true) {
		return nil, false
	}
	c.depth--
	return n, true
}

// slice copies a slice into a new backing array, made as Deserialize makes
// it (the capacity rounded up as by append, except for []byte kinds).
func (c *cloner) slice(cp *copyPlan, s sliceHeader) (sliceHeader, bool) {
	if s.data == nil {
		return s, true
	}
	ep := cp.elem
	var n sliceHeader
	switch {
	case s.len == 0 || cp.exact:
		n = sliceHeader{unsafeNewArray(ep.rt, s.len), s.len, s.len}
	default:
		n = growslice(ep.rt, sliceHeader{}, s.len)
		n.len = s.len
	}
	if cp.raw {
		copy(unsafe.Slice((*byte)(n.data), uintptr(s.len)*ep.size), unsafe.Slice((*byte)(s.data), uintptr(s.len)*ep.size))
		return n, true
	}
	if !c.enter() {
		return n, false
	}
	if ep.kind == cFlat {
		if s.len > 0 && c.depth+ep.depth > maxContainerDepth {
			return n, false
		}
		typedslicecopy(ep.rt, n, s)
		if len(ep.fixAddr) > 0 {
			for i := 0; i < s.len; i++ {
				c.fix(unsafe.Add(n.data, uintptr(i)*ep.size), ep, true)
			}
		}
	} else {
		for i := 0; i < s.len; i++ {
			off := uintptr(i) * ep.size
			if !c.copyTo(ep, unsafe.Add(n.data, off), unsafe.Add(s.data, off), true) {
				return n, false
			}
		}
	}
	c.depth--
	return n, true
}

// goMap copies a Go map other than map[string]any.
func (c *cloner) goMap(cp *copyPlan, m unsafe.Pointer) (unsafe.Pointer, bool) {
	if m == nil {
		return nil, true
	}
	if cp.mapAny {
		out, ok := c.mapAny(*(*map[string]any)(unsafe.Pointer(&m)))
		return *(*unsafe.Pointer)(unsafe.Pointer(&out)), ok
	}
	k := memoKey{m, cp}
	if obj, ok := c.seen(k); ok {
		return obj, true
	}
	if cp.mapVal.flat() && mapLen(m) > 0 && mapgroup.Single(m) {
		// Flat values in one group of slots: the map's own clone
		// (clone_maps.go). (An empty map is made below, with no group.)
		if !c.enter() || c.depth+cp.elem.depth > maxContainerDepth {
			return nil, false
		}
		out := cloneFlatMap(cp, m)
		c.remember(k, out)
		c.depth--
		return out, true
	}
	src := reflect.ValueOf(packAny(cp.rt, m))
	out := reflect.MakeMapWithSize(cp.t, src.Len()).UnsafePointer()
	c.remember(k, out)
	if !c.enter() {
		return nil, false
	}
	if cp.mapVal != valNone {
		if !c.typedMap(cp, out, m) {
			return nil, false
		}
		c.depth--
		return out, true
	}
	sc := cp.scratch()
	defer sc.release(cp)
	kp, vp := sc.key.Addr().UnsafePointer(), sc.val.Addr().UnsafePointer()
	for sc.it.Reset(src); sc.it.Next(); {
		sc.key.SetIterKey(&sc.it)
		sc.val.SetIterValue(&sc.it)
		if !c.copyTo(cp.key, kp, kp, true) || !c.copyTo(cp.elem, vp, vp, true) {
			return nil, false
		}
		mapassign(cp.rt, out, kp, vp)
	}
	c.depth--
	return out, true
}

func (c *cloner) sliceAny(x []any) (any, bool) {
	if !c.enter() {
		return nil, false
	}
	if !scalars(x) {
		// Its copy may hold containers of the copy: an array of its own,
		// so that keeping another slice never keeps these alive.
		s := make([]any, len(x))
		for i, e := range x {
			var ok bool
			if s[i], ok = c.anyValue(e); !ok {
				return nil, false
			}
		}
		c.depth--
		return s, true
	}
	s := c.arena.newAnys(len(x))
	copy(s, x) // what anyValue would give for each element
	c.depth--
	return c.arena.box(s), true
}

// sharedAsIs reports whether v is a value the copy shares as it is: nil,
// a string, a boolean or one of the number types JSON-like data holds
// (their boxes are immutable).
func sharedAsIs(v any) bool {
	switch v.(type) {
	case nil, string, float64, int, bool, int64, UndefinedType:
		return true
	}
	return false
}

// scalars reports whether the copy shares every element of x as it is.
func scalars(x []any) bool {
	for _, e := range x {
		if !sharedAsIs(e) {
			return false
		}
	}
	return true
}

func (c *cloner) mapAny(x map[string]any) (map[string]any, bool) {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&x))
	k := memoKey{p, mapAnyKey}
	if m, ok := c.seen(k); ok {
		return *(*map[string]any)(unsafe.Pointer(&m)), true
	}
	m := make(map[string]any, len(x))
	c.remember(k, *(*unsafe.Pointer)(unsafe.Pointer(&m)))
	if len(x) >= idMin/2 {
		// Room for two objects per entry (a JSON-like object's values
		// hold a map or an array each, and those often one more), so
		// that the table does not grow entry by entry.
		c.mem.reserve(min(2*len(x), idReserveMax))
	}
	if !c.enter() {
		return nil, false
	}
	for key, e := range x {
		ce, ok := c.anyValue(e)
		if !ok {
			return nil, false
		}
		m[key] = ce
	}
	c.depth--
	return m, true
}
