package messages

import (
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A copyPlan says how the typed direct copy (clone_typed.go) copies values
// of one Go type. It is made once per type from the type's codec plan, so
// that it follows Serialize and Deserialize exactly; a type the direct copy
// does not handle gets kind cNone and the clone takes the record path.
type copyPlan struct {
	t      reflect.Type
	rt     unsafe.Pointer // runtime type of t
	kind   copyKind
	size   uintptr
	elem   *copyPlan // cPtr, cSlice, cArray, cMap
	key    *copyPlan // cMap
	deep   []copyField
	n      int  // cArray: length
	exact  bool // cSlice: a []byte-kind slice, whose copy has capacity = length
	empty  bool // cIface: an interface without methods
	mapAny bool // cMap: map[string]any, copied by cloner.mapAny
	// mapKey and mapVal: cMap copied by cloner.typedMap, without
	// reflection per entry, when both are set (see clone_maps.go): the
	// stand-in types its keys and values are read and written as.
	mapKey keyShape
	mapVal valShape
	raw    bool // cSlice: elements copied as memory, no level of nesting (bytes, packed numbers)
	// scalar: a boolean, number or string type; an interface holding one
	// keeps its box.
	scalar bool
	// shaped: an interface holding a value of t stores the value itself
	// in its data word.
	shaped bool
	// depth is how many levels of nesting the record path counts for a
	// value of t (cFlat) or for its flat fields (cStruct, without the
	// struct's own level).
	depth int
	// fixAddr and fixVal are the offsets of the float32 values that the
	// record path reads into a float64 and back, which quiets signaling
	// NaNs: when the value is addressable (reached through a pointer,
	// slice or map) and when it is not (reached through an interface).
	// cStruct: of its flat fields only.
	fixAddr, fixVal []uintptr
	// scratches: cMap copied entry by entry: its mapScratches.
	scratches sync.Pool
}

type copyField struct {
	off  uintptr
	plan *copyPlan
}

type copyKind uint8

const (
	cNone   copyKind = iota // the record path copies it
	cFlat                   // holds no pointer, map, slice or interface (strings are shared): copied as one value
	cStruct                 // a struct with fields that are not flat
	cArray                  // an array of elements that are not flat
	cPtr
	cSlice
	cMap
	cIface
	cTime    // time.Time: copied without its monotonic clock reading, as Serialize records it
	cPending // being built: a recursive type, reached again through a pointer, slice, map or interface
)

// maxFixes bounds the float32 offsets a plan keeps; a type with more (a
// large float32 array) takes the record path.
const maxFixes = 256

var (
	copyPlansMu sync.Mutex
	// copyPlans maps runtime types to their plans. It is replaced, never
	// changed, when plans are added (types are few and added once), so
	// that a look-up is one plain map read.
	copyPlans atomic.Pointer[map[unsafe.Pointer]*copyPlan]
)

// copyPlanOf returns the copy plan of the type whose runtime type is rt
// (the type word of an interface value holding it).
func copyPlanOf(rt unsafe.Pointer) *copyPlan {
	if m := copyPlans.Load(); m != nil {
		if cp, ok := (*m)[rt]; ok {
			return cp
		}
	}
	return copyPlanFor(reflect.TypeOf(packAny(rt, nil)))
}

// copyPlanFor returns the copy plan of t, making it (and the plans it
// needs) the first time.
func copyPlanFor(t reflect.Type) *copyPlan {
	rt := rtypeOf(t)
	if m := copyPlans.Load(); m != nil {
		if cp, ok := (*m)[rt]; ok {
			return cp
		}
	}
	p := planFor(t)
	copyPlansMu.Lock()
	defer copyPlansMu.Unlock()
	old := map[unsafe.Pointer]*copyPlan{}
	if m := copyPlans.Load(); m != nil {
		old = *m
	}
	if cp, ok := old[rt]; ok {
		return cp
	}
	b := copyPlanBuilder{made: map[*plan]*copyPlan{}, done: old}
	cp := b.build(p)
	b.settle()
	m := make(map[unsafe.Pointer]*copyPlan, len(old)+len(b.order))
	for k, q := range old {
		m[k] = q
	}
	for _, q := range b.order {
		m[q.rt] = q
	}
	copyPlans.Store(&m)
	return cp
}

type copyPlanBuilder struct {
	done  map[unsafe.Pointer]*copyPlan // the plans made before
	made  map[*plan]*copyPlan
	order []*copyPlan
}

func (b *copyPlanBuilder) build(p *plan) *copyPlan {
	if cp, ok := b.done[rtypeOf(p.t)]; ok {
		return cp
	}
	if cp, ok := b.made[p]; ok {
		return cp
	}
	t := p.t
	cp := &copyPlan{t: t, rt: rtypeOf(t), size: t.Size(), shaped: pointerShaped(t), kind: cPending}
	b.made[p] = cp
	b.order = append(b.order, cp)
	b.fill(p, cp)
	if cp.kind == cPending {
		cp.kind = cNone
	}
	return cp
}

// settle gives up on the plans that hold a plan given up on, until
// nothing changes, so that recursive types get it too.
func (b *copyPlanBuilder) settle() {
	for changed := true; changed; {
		changed = false
		for _, cp := range b.order {
			if cp.kind == cNone {
				continue
			}
			none := cp.elem != nil && cp.elem.kind == cNone || cp.key != nil && cp.key.kind == cNone
			for _, f := range cp.deep {
				none = none || f.plan.kind == cNone
			}
			if none {
				cp.kind, changed = cNone, true
			}
		}
	}
	for _, cp := range b.order {
		if cp.kind == cMap && !cp.mapAny {
			if cp.mapKey = keyShapeOf(cp.key); cp.mapKey != keyShapeNone {
				cp.mapVal = valShapeOf(cp.elem)
			}
		}
	}
}

func (b *copyPlanBuilder) fill(p *plan, cp *copyPlan) {
	t := p.t
	if p.err != nil || p.elemErr != nil {
		return
	}
	switch p.kind {
	case pBool, pInt, pUint, pString:
		cp.kind, cp.scalar = cFlat, true
	case pFloat, pComplex:
		cp.kind, cp.scalar = cFlat, true
		switch t.Kind() {
		case reflect.Float32:
			cp.fixAddr, cp.fixVal = []uintptr{0}, []uintptr{0}
		case reflect.Complex64:
			cp.fixAddr, cp.fixVal = []uintptr{0, 4}, []uintptr{0, 4}
		}
	case pBytes:
		cp.kind, cp.exact, cp.raw = cSlice, true, true
		cp.elem = &copyPlan{t: t.Elem(), rt: rtypeOf(t.Elem()), kind: cFlat, size: 1, scalar: true}
	case pPacked:
		b.packed(p, cp)
	case pSlice:
		// Deserialize makes a []any with make (capacity = length).
		cp.kind, cp.elem, cp.exact = cSlice, b.build(p.elem), p.id == idSliceAny
	case pArray:
		b.array(p, cp)
	case pMap:
		cp.kind, cp.key, cp.elem, cp.mapAny = cMap, b.build(p.key), b.build(p.elem), p.id == idMapStringAny
	case pPtr:
		cp.kind, cp.elem = cPtr, b.build(p.elem)
	case pIface:
		cp.kind, cp.empty = cIface, t.NumMethod() == 0
	case pTime:
		cp.kind = cTime
	case pStruct:
		b.structPlan(p, cp)
	}
}

// packed: slices and arrays of booleans and numbers. Serialize copies
// their memory as is (on little-endian machines), except an array it
// cannot address (one reached through an interface), whose floats it reads
// one by one.
func (b *copyPlanBuilder) packed(p *plan, cp *copyPlan) {
	t := p.t
	if k := t.Elem().Kind(); !nativeLittleEndian && (k == reflect.Float32 || k == reflect.Complex64) {
		return // packed one by one, through float64: the record path's job
	}
	ep := &copyPlan{t: t.Elem(), rt: rtypeOf(t.Elem()), kind: cFlat, size: t.Elem().Size(), scalar: true}
	if t.Kind() == reflect.Slice {
		cp.kind, cp.elem, cp.raw = cSlice, ep, true
		return
	}
	cp.kind, cp.n = cFlat, p.n
	var per []uintptr
	switch t.Elem().Kind() {
	case reflect.Float32:
		per = []uintptr{0}
	case reflect.Complex64:
		per = []uintptr{0, 4}
	}
	if len(per)*p.n > maxFixes {
		cp.kind = cNone
		return
	}
	for i := 0; i < p.n; i++ {
		for _, o := range per {
			cp.fixVal = append(cp.fixVal, uintptr(i)*ep.size+o)
		}
	}
}

func (b *copyPlanBuilder) array(p *plan, cp *copyPlan) {
	ep := b.build(p.elem)
	cp.n, cp.elem = p.n, ep
	switch ep.kind {
	case cNone:
		return
	case cFlat:
		if (len(ep.fixAddr)+len(ep.fixVal))*p.n > maxFixes {
			return
		}
		cp.kind, cp.depth = cFlat, 1
		if p.n > 0 {
			cp.depth += ep.depth
		}
		for i := 0; i < p.n; i++ {
			for _, o := range ep.fixAddr {
				cp.fixAddr = append(cp.fixAddr, uintptr(i)*ep.size+o)
			}
			for _, o := range ep.fixVal {
				cp.fixVal = append(cp.fixVal, uintptr(i)*ep.size+o)
			}
		}
	default:
		cp.kind = cArray
	}
}

func (b *copyPlanBuilder) structPlan(p *plan, cp *copyPlan) {
	t := p.t
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Name == "_" && f.Type.Size() > 0 {
			return // a blank field stays zero in the record path's copy
		}
	}
	deep := false
	for _, f := range p.fields {
		fp := b.build(f.plan)
		off := t.Field(f.index).Offset
		switch fp.kind {
		case cNone:
			return
		case cFlat:
			cp.depth = max(cp.depth, fp.depth)
			for _, o := range fp.fixAddr {
				cp.fixAddr = append(cp.fixAddr, off+o)
			}
			for _, o := range fp.fixVal {
				cp.fixVal = append(cp.fixVal, off+o)
			}
		default:
			deep = true
			cp.deep = append(cp.deep, copyField{off: off, plan: fp})
		}
	}
	if len(cp.fixAddr)+len(cp.fixVal) > maxFixes {
		return
	}
	if deep {
		cp.kind = cStruct
		return
	}
	cp.kind = cFlat
	cp.depth++
}
