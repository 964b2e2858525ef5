package messages

import (
	"math"
	"reflect"
	"strconv"
)

// planOf returns the plan of type id (a built-in, a plan id in memory, a
// type-table entry for a decoded record).
func (d *decoder) planOf(id uint32) (*plan, error) {
	var p *plan
	switch {
	case id < firstDynamicID:
		if builtinTypes[id] != nil {
			p = planByID(id)
		}
	case d.r.decoded:
		if j := id - firstDynamicID; j < uint32(len(d.r.types)) {
			p = d.r.types[j].plan
		}
	default:
		p = planByID(id)
	}
	if p == nil {
		return nil, corrupt("unknown or unresolved type id " + strconv.Itoa(int(id)))
	}
	return p, nil
}

// typed rebuilds a node whose Go type is recorded (interface position).
func (d *decoder) typed(n *node) (any, error) {
	p, err := d.planOf(n.typ)
	if err != nil {
		return nil, err
	}
	if p.kind == pIface {
		return nil, corrupt("an interface type cannot be a value's dynamic type")
	}
	if p.kind == pPtr && n.kind == kPointer && p.err == nil {
		return d.pointer(p, n)
	}
	switch n.typ {
	case idInt64:
		if n.kind == kInt {
			return int64(n.x), nil
		}
	case idFloat32:
		if n.kind == kFloat {
			return float32(math.Float64frombits(n.x)), nil
		}
	}
	if err := d.charge(int64(p.t.Size())); err != nil {
		return nil, err
	}
	v := reflect.New(p.t).Elem()
	if err := d.into(p, v, n); err != nil {
		return nil, err
	}
	return v.Interface(), nil
}

// value rebuilds the next node into v, a settable value of type p.t.
func (d *decoder) value(p *plan, v reflect.Value) error {
	n, err := d.next()
	if err != nil {
		return err
	}
	return d.into(p, v, n)
}

func (d *decoder) mismatch(p *plan, n *node) error {
	return &DataCloneError{Type: p.t, Reason: "the record holds a " + n.kind.String() + " where this build expects " + p.t.String()}
}

func nillable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return true
	}
	return false
}

// assign stores an existing object (a reference, a transferred object) in v.
func (d *decoder) assign(p *plan, v reflect.Value, obj any) error {
	if obj == nil {
		if !nillable(p.t) {
			return &DataCloneError{Type: p.t, Reason: "nil cannot be stored in " + p.t.String()}
		}
		v.SetZero()
		return nil
	}
	rv := reflect.ValueOf(obj)
	if !rv.Type().AssignableTo(p.t) {
		return &DataCloneError{Type: p.t, Reason: "a value of type " + rv.Type().String() + " cannot be stored in " + p.t.String()}
	}
	v.Set(rv)
	return nil
}

func (d *decoder) into(p *plan, v reflect.Value, n *node) error {
	if p.kind == pIface {
		obj, err := d.anyNode(n) // keeps typed nils and the recorded type
		if err != nil {
			return err
		}
		return d.assign(p, v, obj)
	}
	switch n.kind {
	case kRef:
		obj, err := d.ref(n.x)
		if err != nil {
			return err
		}
		return d.assign(p, v, obj)
	case kNull:
		return d.assign(p, v, nil)
	case kExternal:
		if n.x >= uint64(len(d.ext)) {
			return corrupt("external slot out of range")
		}
		return d.assign(p, v, d.ext[n.x])
	}
	if p.err != nil {
		c := *p.err
		return &c
	}
	switch p.kind {
	case pBool:
		if n.kind == kBool {
			v.SetBool(n.x != 0)
			return nil
		}
	case pInt:
		if n.kind == kInt || (n.kind == kUint && n.x <= math.MaxInt64) {
			if v.OverflowInt(int64(n.x)) {
				return &DataCloneError{Type: p.t, Reason: "integer out of range"}
			}
			v.SetInt(int64(n.x))
			return nil
		}
	case pUint:
		if n.kind == kUint || (n.kind == kInt && int64(n.x) >= 0) {
			if v.OverflowUint(n.x) {
				return &DataCloneError{Type: p.t, Reason: "integer out of range"}
			}
			v.SetUint(n.x)
			return nil
		}
	case pFloat:
		if n.kind == kFloat {
			v.SetFloat(math.Float64frombits(n.x))
			return nil
		}
	case pComplex:
		if n.kind == kComplex {
			re, im, err := d.complexParts()
			v.SetComplex(complex(re, im))
			return err
		}
	case pString:
		if n.kind == kString {
			s, err := d.str(n.x)
			v.SetString(s)
			return err
		}
	case pBytes:
		if n.kind == kBytes {
			b, err := d.blob(n.x)
			if err != nil {
				return err
			}
			v.SetBytes(b)
			return nil
		}
	case pPacked:
		if n.kind == kPacked && numberFamily(reflect.Kind(n.flags)) == numberFamily(p.packed) {
			return d.packed(p, v, n)
		}
	case pSlice, pArray:
		return d.list(p, v, n)
	case pMap:
		if n.kind == kGoMap {
			return d.goMap(p, v, n)
		}
	case pStruct:
		if n.kind == kStruct {
			return d.structValue(p, v, n)
		}
	case pPtr:
		if n.kind == kPointer {
			ptr, err := d.pointer(p, n)
			if err == nil {
				v.Set(reflect.ValueOf(ptr))
			}
			return err
		}
	default:
		return d.special(p, v, n)
	}
	return d.mismatch(p, n)
}

// pointer rebuilds a kPointer node of pointer type p.t.
func (d *decoder) pointer(p *plan, n *node) (any, error) {
	if err := d.charge(int64(p.t.Elem().Size())); err != nil {
		return nil, err
	}
	ptr := reflect.New(p.t.Elem())
	obj := ptr.Interface()
	d.register(obj)
	if err := d.value(p.elem, ptr.Elem()); err != nil {
		return nil, err
	}
	return obj, nil
}

func (d *decoder) list(p *plan, v reflect.Value, n *node) error {
	if p.kind == pArray {
		if n.kind != kArray || int(n.n) != p.n {
			return d.mismatch(p, n)
		}
	} else {
		if n.kind == kJSArray && p.id == idSliceAny {
			s, err := d.jsArray(n)
			if err == nil {
				v.Set(reflect.ValueOf(s))
			}
			return err
		}
		if n.kind != kSlice {
			return d.mismatch(p, n)
		}
		if p.id == idSliceAny {
			s, err := d.sliceAny(n)
			if err == nil {
				v.Set(reflect.ValueOf(s))
			}
			return err
		}
		if err := d.charge(int64(n.n) * int64(p.t.Elem().Size())); err != nil {
			return err
		}
		makeSlice(v, int(n.n))
	}
	for i := 0; i < int(n.n); i++ {
		if err := d.value(p.elem, v.Index(i)); err != nil {
			return prependPath(err, "["+strconv.Itoa(i)+"]")
		}
	}
	return nil
}

func (d *decoder) goMap(p *plan, v reflect.Value, n *node) error {
	if p.id == idMapStringAny {
		m, err := d.mapAny(n)
		if err == nil {
			v.Set(reflect.ValueOf(m))
		}
		return err
	}
	if err := d.charge(int64(n.n) * int64(16+p.t.Key().Size()+p.t.Elem().Size())); err != nil {
		return err
	}
	m := reflect.MakeMapWithSize(p.t, int(n.n))
	d.register(m.Interface())
	k := reflect.New(p.t.Key()).Elem()
	val := reflect.New(p.t.Elem()).Elem()
	for i := uint32(0); i < n.n; i++ {
		k.SetZero()
		val.SetZero()
		if err := d.value(p.key, k); err != nil {
			return prependPath(err, "(key "+strconv.Itoa(int(i))+")")
		}
		if p.keyCheck && !k.Comparable() {
			return &DataCloneError{Path: "[" + keyString(k.Interface()) + "]", Type: p.t.Key(), Reason: "map key is not comparable"}
		}
		if err := d.value(p.elem, val); err != nil {
			return prependPath(err, "["+keyString(k.Interface())+"]")
		}
		m.SetMapIndex(k, val)
	}
	v.Set(m)
	return nil
}

func (d *decoder) structValue(p *plan, v reflect.Value, n *node) error {
	var mapping []int
	if d.r.decoded {
		j := n.x - uint64(firstDynamicID)
		if n.x < uint64(firstDynamicID) || j >= uint64(len(d.r.types)) || d.r.types[j].op != tStruct {
			return corrupt("struct node without a struct shape")
		}
		mapping = d.r.types[j].fieldMapping(p)
	} else if uint32(n.x) != p.id {
		return d.mismatch(p, n)
	}
	if mapping == nil && int(n.n) != len(p.fields) || mapping != nil && int(n.n) != len(mapping) {
		return corrupt("struct node has the wrong number of fields")
	}
	for i := 0; i < int(n.n); i++ {
		j := i
		if mapping != nil {
			if j = mapping[i]; j < 0 {
				if err := d.skip(); err != nil {
					return err
				}
				continue
			}
		}
		f := &p.fields[j]
		if err := d.value(f.plan, v.Field(f.index)); err != nil {
			return prependPath(err, "."+f.name)
		}
	}
	return nil
}

// skip passes over the next value (a field this build does not have),
// keeping object ids in step.
func (d *decoder) skip() error {
	for need := 1; need > 0; need-- {
		n, err := d.next()
		if err != nil {
			return err
		}
		if hasIdentity(n.kind) {
			d.register(nil)
		}
		need += childCount(n)
	}
	return nil
}
