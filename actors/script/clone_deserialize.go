package script

import (
	"strconv"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// deserializer rebuilds one Record's value in the codec's realm. The
// codec keeps one to reuse (see jsCodec.dfree).
type deserializer struct {
	c     *jsCodec
	r     jsrec.Reader
	ids   []goja.Value // objects by node ID
	ports []*ports.MessagePort
	pobjs []*goja.Object // port objects by slot, made on first use

	// run is d.read as a func (made once), out and err what it read.
	run func()
	out goja.Value
	err error
}

// read reads the value into d.out and d.err.
func (d *deserializer) read() { d.out, d.err = d.value() }

// reset readies d for reuse, holding nothing of the last value.
func (d *deserializer) reset() {
	d.r = nil
	clear(d.ids)
	d.ids = d.ids[:0]
	d.ports = nil
	d.pobjs = nil
	d.out, d.err = nil, nil
}

// maxDenseIDs bounds the slice of objects by ID; a record naming larger IDs
// (none that package messages writes) is refused rather than allocating.
const maxDenseIDs = 1 << 24

// deserialize is StructuredDeserialize: it rebuilds rec as a value of this
// realm from the intrinsics captured when the codec was made, and releases
// rec. A MessagePort named by the value is made with host.adoptPort, once
// per slot. An error (a record this realm cannot represent, a RegExp it
// cannot compile, ...) matches messages.ErrDataClone.
func (c *jsCodec) deserialize(rec *messages.Record, ps []*ports.MessagePort) (goja.Value, error) {
	if jsrec.NewReader == nil {
		rec.Release()
		return nil, errNoRecords
	}
	r, err := jsrec.NewReader(rec)
	if err != nil {
		rec.Release()
		return nil, err
	}
	defer r.Release()
	d := c.dfree
	if d == nil {
		d = &deserializer{c: c}
		d.run = d.read
	}
	c.dfree = nil // a deserialize nested in this one makes its own
	d.r, d.ports = r, ps
	ex := c.rt.Try(d.run)
	v, err := d.out, d.err
	d.reset()
	c.dfree = d
	if ex != nil {
		return nil, &messages.DataCloneError{Reason: "deserializing: " + ex.Error(), Err: ex}
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// fromGo makes a value of this realm from a Go value, by serializing it
// with package messages and reading the Record back (see the table in
// internal/jsrec's Reader); a flat struct takes a shorter path to the
// same value (see fromFlat).
func (c *jsCodec) fromGo(v any) (goja.Value, error) {
	if v != nil {
		if o, ok := c.fromGoFast(v); ok {
			return o, nil
		}
	}
	rec, err := messages.Serialize(v)
	if err != nil {
		return nil, err
	}
	return c.deserialize(rec, nil)
}

func (d *deserializer) value() (goja.Value, error) {
	n, err := d.r.Next()
	if err != nil {
		return nil, err
	}
	return d.node(&n)
}

// put records v as the object of node ID id.
func (d *deserializer) put(id int, v goja.Value) error {
	if id < 0 {
		return nil
	}
	if id >= maxDenseIDs {
		return &messages.DataCloneError{Reason: "record: node ID " + strconv.Itoa(id) + " out of range"}
	}
	for len(d.ids) <= id {
		d.ids = append(d.ids, nil)
	}
	d.ids[id] = v
	return nil
}

func (d *deserializer) ref(id int) (goja.Value, error) {
	if id < 0 || id >= len(d.ids) || d.ids[id] == nil {
		return nil, &messages.DataCloneError{Reason: "record: a reference to an unknown node " + strconv.Itoa(id)}
	}
	return d.ids[id], nil
}

func (d *deserializer) node(n *jsrec.Node) (goja.Value, error) {
	rt := d.c.rt
	switch n.Kind {
	case jsrec.Undefined:
		return goja.Undefined(), nil
	case jsrec.Null:
		return goja.Null(), nil
	case jsrec.Bool:
		return rt.ToValue(n.Bool), nil
	case jsrec.Number:
		return rt.ToValue(n.Num), nil
	case jsrec.BigInt:
		return rt.ToValue(n.Big), nil
	case jsrec.String:
		return jsString(rt, n.Str), nil
	case jsrec.Ref:
		return d.ref(n.ID)
	case jsrec.External:
		return d.port(n.Slot)
	case jsrec.Array, jsrec.Object:
		return d.container(n)
	case jsrec.Map, jsrec.Set:
		return d.collection(n)
	case jsrec.Error:
		return d.error(n)
	case jsrec.TypedArray, jsrec.DataView:
		return d.view(n)
	}
	v, err := d.leaf(n)
	if err != nil {
		return nil, err
	}
	return v, d.put(n.ID, v)
}

// leaf makes the identity-bearing objects that have no children.
func (d *deserializer) leaf(n *jsrec.Node) (goja.Value, error) {
	rt, in := d.c.rt, d.c.in
	switch n.Kind {
	case jsrec.Boxed:
		var p goja.Value
		switch n.Box {
		case jsrec.Bool:
			p = rt.ToValue(n.Bool)
		case jsrec.Number:
			p = rt.ToValue(n.Num)
		case jsrec.String:
			p = jsString(rt, n.Str)
		case jsrec.BigInt:
			p = rt.ToValue(n.Big)
		default:
			return nil, nodeKindError(n.Kind)
		}
		return p.ToObject(rt), nil
	case jsrec.Date:
		return rt.New(in.Date, rt.ToValue(n.Num))
	case jsrec.RegExp:
		return rt.New(in.RegExp, jsString(rt, n.Str), jsString(rt, n.Flags))
	case jsrec.ArrayBuffer:
		b := n.Bytes
		if b == nil {
			b = []byte{}
		}
		return rt.ToValue(rt.NewArrayBuffer(b)), nil
	case jsrec.Blob, jsrec.File:
		if d.c.makeBlob == nil {
			return nil, &messages.DataCloneError{Reason: "Blob is not supported in this realm"}
		}
		b := n.Bytes
		if b == nil {
			b = []byte{}
		}
		return d.c.makeBlob(goja.Undefined(), jsString(rt, n.Str), rt.ToValue(rt.NewArrayBuffer(b)),
			rt.ToValue(n.Kind == jsrec.File), jsString(rt, n.Name), rt.ToValue(n.Num))
	}
	return nil, nodeKindError(n.Kind)
}

func nodeKindError(k jsrec.Kind) error {
	return &messages.DataCloneError{Reason: "record: unexpected node kind " + strconv.Itoa(int(k))}
}

// port returns the MessagePort object of the given external slot.
func (d *deserializer) port(slot int) (goja.Value, error) {
	if slot < 0 || slot >= len(d.ports) || d.c.host == nil {
		return nil, &messages.DataCloneError{Reason: "record: external slot " + strconv.Itoa(slot) + " has no port"}
	}
	if d.pobjs == nil {
		d.pobjs = make([]*goja.Object, len(d.ports))
	}
	if d.pobjs[slot] == nil {
		d.pobjs[slot] = d.c.host.adoptPort(d.ports[slot])
	}
	return d.pobjs[slot], nil
}

// key reads a property key node.
func (d *deserializer) key() (string, error) {
	n, err := d.r.Next()
	if err != nil {
		return "", err
	}
	if n.Kind != jsrec.String {
		return "", &messages.DataCloneError{Reason: "record: a property key is not a string"}
	}
	return n.Str, nil
}

// define makes k (WTF-8) an own enumerable data property of o, as
// CreateDataProperty does (no setter runs).
func (d *deserializer) define(o *goja.Object, k string, v goja.Value) error {
	if utf8.ValidString(k) {
		return o.DefineDataProperty(k, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	_, err := d.c.in.define(goja.Undefined(), o, jsString(d.c.rt, k), v, d.c.rt.ToValue(true))
	return err
}
