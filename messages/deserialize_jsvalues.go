package messages

import (
	"math"
	"strconv"
)

// Deserialization of the node kinds that format version 2 added for
// JavaScript values, into the Go values of the package documentation's
// table.

// jsArray rebuilds a JavaScript array as a []any of its length: holes are
// Undefined, properties that are not array indices are dropped. The slice
// is registered before its elements, so a cycle through it stays a cycle.
func (d *decoder) jsArray(n *node) ([]any, error) {
	if err := d.charge(16 * int64(n.x)); err != nil {
		return nil, err
	}
	if d.budget < 0 && n.x > uint64(len(d.nodes))+maxHoles {
		return nil, limitErr("array of length " + strconv.FormatUint(n.x, 10) + " is too sparse to become a Go slice")
	}
	s := make([]any, n.x)
	for i := range s {
		s[i] = Undefined
	}
	d.register(s)
	for i := uint32(0); i < n.n; i++ {
		k, v, err := d.property()
		if err != nil {
			return nil, err
		}
		if idx, ok := arrayIndex(k); ok && idx < uint64(len(s)) {
			s[idx] = v
		}
	}
	return s, nil
}

// maxHoles bounds the holes of an in-memory record's array that
// Deserialize fills with Undefined (decoded records have their allocation
// budget instead).
const maxHoles = 1 << 24

// arrayIndex reports whether k is an array index in canonical form ("0",
// or digits without a leading zero, below 2^32-1) and returns it.
func arrayIndex(k string) (uint64, bool) {
	if k == "" || len(k) > 10 || (k[0] == '0' && len(k) > 1) {
		return 0, false
	}
	i, err := strconv.ParseUint(k, 10, 64)
	if err != nil || i >= math.MaxUint32 {
		return 0, false
	}
	return i, true
}

// boxed rebuilds a primitive wrapper object as its primitive.
func (d *decoder) boxed() (any, error) {
	id := d.register(nil)
	c, err := d.next()
	if err != nil {
		return nil, err
	}
	var v any
	switch c.kind {
	case kBool:
		v = c.x != 0
	case kFloat:
		v = math.Float64frombits(c.x)
	case kString:
		v, err = d.str(c.x)
	case kBigInt:
		v, err = d.bigInt(c)
	default:
		return nil, corrupt("a primitive wrapper holds a " + c.kind.String())
	}
	if err != nil {
		return nil, err
	}
	d.objs[id] = v
	return v, nil
}

func (d *decoder) date(n *node) any {
	t := msTime(math.Float64frombits(n.x))
	d.register(t)
	return t
}

func (d *decoder) jsRegExp() (RegExp, error) {
	id := d.register(nil)
	r, err := d.regExp()
	if err != nil {
		return r, err
	}
	d.objs[id] = r
	return r, nil
}

// errorCause rebuilds a kErrorCause node: an *Error and its Cause.
func (d *decoder) errorCause(n *node) (*Error, error) {
	e, err := d.errorValue(n)
	if err != nil {
		return nil, err
	}
	if e.Cause, err = d.anyValue(); err != nil {
		return nil, prependPath(err, ".cause")
	}
	return e, nil
}

// blobValue rebuilds a kBlob or kFile node. The bytes are the record's own
// (a Blob never changes), copied only for a decoded record's budget check.
func (d *decoder) blobValue(n *node) (any, error) {
	data, err := d.rawBlob(n.x)
	if err != nil {
		return nil, err
	}
	if err := d.charge(int64(len(data))); err != nil {
		return nil, err
	}
	id := d.register(nil)
	b := Blob{data: data}
	if b.typ, err = d.stringChild(); err != nil {
		return nil, err
	}
	if n.kind == kBlob {
		d.objs[id] = &b
		return &b, nil
	}
	f := &File{Blob: b}
	if f.name, err = d.stringChild(); err != nil {
		return nil, err
	}
	c, err := d.next()
	if err != nil {
		return nil, err
	}
	if c.kind != kFloat {
		return nil, corrupt("a File's lastModified must be a float")
	}
	f.lastModified = math.Float64frombits(c.x)
	d.objs[id] = f
	return f, nil
}
