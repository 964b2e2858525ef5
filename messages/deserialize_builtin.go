package messages

import (
	"math"
	"math/big"
	"strconv"
)

// Deserialization of the web's dynamic values, ArrayBuffers and views,
// errors and big integers.

func (d *decoder) object(n *node) (*Object, error) {
	if err := d.charge(48 * int64(n.n)); err != nil {
		return nil, err
	}
	o := newObjectCap(int(n.n))
	d.register(o)
	for i := uint32(0); i < n.n; i++ {
		k, v, err := d.property()
		if err != nil {
			return nil, err
		}
		o.Set(k, v)
	}
	return o, nil
}

func (d *decoder) orderedEntries(o *ordered, n *node, isMap bool) error {
	if err := d.charge(64 * int64(n.n)); err != nil {
		return err
	}
	for i := uint32(0); i < n.n; i++ {
		k, err := d.anyValue()
		if err != nil {
			return prependPath(err, ".keys()["+strconv.Itoa(int(i))+"]")
		}
		if _, _, ok := hashKey(k); !ok {
			return &DataCloneError{Path: ".keys()[" + strconv.Itoa(int(i)) + "]", Reason: "a Map or Set key must be comparable"}
		}
		var v any
		if isMap {
			if v, err = d.anyValue(); err != nil {
				return prependPath(err, ".get("+keyString(k)+")")
			}
		}
		o.set(k, v, isMap)
	}
	return nil
}

func (d *decoder) jsMap(n *node) (*Map, error) {
	m := &Map{}
	d.register(m)
	return m, d.orderedEntries(&m.o, n, true)
}

func (d *decoder) jsSet(n *node) (*Set, error) {
	s := &Set{}
	d.register(s)
	return s, d.orderedEntries(&s.o, n, false)
}

func (d *decoder) arrayBuffer(n *node) (*ArrayBuffer, error) {
	if n.kind == kTransferred {
		if n.x >= uint64(len(d.abs)) {
			return nil, corrupt("transfer slot out of range")
		}
		return d.abs[n.x], nil
	}
	b, err := d.blob(n.x)
	if err != nil {
		return nil, err
	}
	ab := &ArrayBuffer{data: b}
	d.register(ab)
	return ab, nil
}

// bufferChild reads the buffer node of a view.
func (d *decoder) bufferChild() (*ArrayBuffer, error) {
	n, err := d.next()
	if err != nil {
		return nil, err
	}
	var v any
	switch n.kind {
	case kArrayBuffer, kTransferred:
		if n.typ != idNone {
			return nil, corrupt("a view's buffer must be an *ArrayBuffer")
		}
		return d.arrayBuffer(n)
	case kRef:
		if v, err = d.ref(n.x); err != nil {
			return nil, err
		}
	}
	if ab, ok := v.(*ArrayBuffer); ok {
		return ab, nil
	}
	return nil, corrupt("a view's buffer must be an ArrayBuffer")
}

func (d *decoder) typedArray(n *node) (*TypedArray, error) {
	id := d.register(nil)
	buf, err := d.bufferChild()
	if err != nil {
		return nil, err
	}
	ta, err := NewTypedArray(ElementKind(n.flags), buf, int(n.x), int(n.n))
	if err != nil || n.x > math.MaxInt32*4 {
		return nil, &DataCloneError{Reason: "typed array does not fit its buffer", Err: err}
	}
	d.objs[id] = ta
	return ta, nil
}

func (d *decoder) dataView(n *node) (*DataView, error) {
	id := d.register(nil)
	buf, err := d.bufferChild()
	if err != nil {
		return nil, err
	}
	dv, err := NewDataView(buf, int(n.x), int(n.n))
	if err != nil || n.x > math.MaxInt32*4 {
		return nil, &DataCloneError{Reason: "DataView does not fit its buffer", Err: err}
	}
	d.objs[id] = dv
	return dv, nil
}

func (d *decoder) errorValue(*node) (*Error, error) {
	e := &Error{}
	d.register(e)
	var err error
	if e.Name, err = d.stringChild(); err != nil {
		return nil, err
	}
	e.Name = errorName(e.Name)
	if e.Message, err = d.messageChild(); err != nil {
		return nil, err
	}
	if e.Stack, err = d.stringChild(); err != nil {
		return nil, err
	}
	return e, nil
}

func (d *decoder) regExp() (RegExp, error) {
	var r RegExp
	var err error
	if r.Source, err = d.stringChild(); err != nil {
		return r, err
	}
	r.Flags, err = d.stringChild()
	return r, err
}

func (d *decoder) bigInt(n *node) (*big.Int, error) {
	b, err := d.rawBlob(n.x)
	if err != nil {
		return nil, err
	}
	if err := d.charge(int64(len(b))); err != nil {
		return nil, err
	}
	z := new(big.Int).SetBytes(b)
	if n.flags == 1 {
		z.Neg(z)
	}
	d.register(z)
	return z, nil
}
