package messages

import (
	"encoding/binary"
	"reflect"
	"time"

	"google.golang.org/protobuf/proto"
)

// formatVersion is the first byte of every binary record. Version 2 adds
// the node kinds of JavaScript values (kJSArray ... kFile) and nothing else,
// so a version-1 record is read as before. Version 3 writes an Error without
// a message (no own message property) with an undefined message child, and
// one with an empty message with an empty string; versions 1 and 2 wrote
// both as the empty string, which a reader of this build takes for no
// message.
const formatVersion = 3

const typedFlag = 0x80 // in a node's first byte: a type id follows

// MarshalBinary encodes the record in the versioned binary format described
// in the package documentation, for another node (transferred ArrayBuffers
// travel as bytes, which the receiving Deserialize hands to new buffers).
// It fails when the record is empty or its transferred buffers were already
// handed out by Deserialize.
func (r *Record) MarshalBinary() ([]byte, error) {
	return r.appendBinary(nil)
}

// AppendBinary appends the encoding MarshalBinary gives to b and returns
// the extended slice (encoding.BinaryAppender). On error it returns nil and
// the error; b's length is untouched, though bytes past it may have been
// written.
func (r *Record) AppendBinary(b []byte) ([]byte, error) {
	return r.appendBinary(b)
}

func (r *Record) appendBinary(b []byte) ([]byte, error) {
	if len(r.nodes) == 0 {
		return nil, &DataCloneError{Reason: "empty record"}
	}
	if len(r.xfer) > 0 && r.claimed.Load() {
		return nil, &DataCloneError{Reason: "the record's transferred ArrayBuffers were already handed to Deserialize"}
	}
	m := marshaler{r: r} // its maps are made when a dynamic type needs them
	var table []byte
	if r.decoded {
		m.table = r.types
	} else {
		table = m.tableFor(r)
	}
	if b == nil {
		// MarshalBinary: one allocation of a size that is rarely
		// exceeded. AppendBinary's caller sizes its own buffer.
		b = make([]byte, 0, 32+len(table)+r.size+4*len(r.nodes))
	}
	b = append(b, formatVersion)
	if r.decoded {
		b = binary.AppendUvarint(b, uint64(len(m.table)))
		for _, w := range m.table {
			b = appendWireType(b, w)
		}
	} else {
		b = append(b, table...)
	}
	b = binary.AppendUvarint(b, uint64(len(r.xfer)))
	for _, x := range r.xfer {
		b = appendBytes(b, x)
	}
	b = binary.AppendUvarint(b, uint64(r.ext))
	b = binary.AppendUvarint(b, uint64(len(r.nodes)))
	for i := range r.nodes {
		var err error
		if b, err = m.appendNode(b, &r.nodes[i]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

type marshaler struct {
	r        *Record
	table    []*wireType
	typeIdx  map[uint32]uint32 // plan id -> wire id
	shapeIdx map[uint32]uint32 // plan id of a named struct -> wire id of its shape
}

func (m *marshaler) add(w *wireType) uint32 {
	m.table = append(m.table, w)
	return firstDynamicID + uint32(len(m.table)-1)
}

// typeRef returns the wire id of p's type, adding entries as needed.
func (m *marshaler) typeRef(p *plan) uint32 {
	if p.id < firstDynamicID {
		return p.id
	}
	if id, ok := m.typeIdx[p.id]; ok {
		return id
	}
	t := p.t
	var w *wireType
	switch {
	case p.kind == pProto:
		w = &wireType{op: tProto, name: string(protoFullName(t))}
	case t.Name() != "":
		w = &wireType{op: tNamed, name: nameOf(t)}
	case t.Kind() == reflect.Slice:
		w = &wireType{op: tSlice, a: m.typeRef(planFor(t.Elem()))}
	case t.Kind() == reflect.Array:
		w = &wireType{op: tArray, n: t.Len(), a: m.typeRef(planFor(t.Elem()))}
	case t.Kind() == reflect.Map:
		w = &wireType{op: tMap, a: m.typeRef(planFor(t.Key())), b: m.typeRef(planFor(t.Elem()))}
	case t.Kind() == reflect.Pointer:
		w = &wireType{op: tPtr, a: m.typeRef(planFor(t.Elem()))}
	case t.Kind() == reflect.Struct:
		w = m.structShape(p)
	default:
		w = &wireType{op: tOpaque, name: t.String()}
	}
	id := m.add(w)
	if m.typeIdx == nil {
		m.typeIdx = map[uint32]uint32{}
	}
	m.typeIdx[p.id] = id
	return id
}

// shapeRef returns the wire id of the field list of struct plan p.
func (m *marshaler) shapeRef(p *plan) uint32 {
	if p.t.Name() == "" {
		return m.typeRef(p)
	}
	if id, ok := m.shapeIdx[p.id]; ok {
		return id
	}
	id := m.add(m.structShape(p))
	if m.shapeIdx == nil {
		m.shapeIdx = map[uint32]uint32{}
	}
	m.shapeIdx[p.id] = id
	return id
}

func (m *marshaler) structShape(p *plan) *wireType {
	w := &wireType{op: tStruct, fields: make([]wireField, len(p.fields))}
	for i, f := range p.fields {
		w.fields[i] = wireField{name: f.name, tag: f.tag, embedded: f.embedded, typ: m.typeRef(f.plan)}
	}
	return w
}

// wireID maps an in-memory type id to its wire id.
func (m *marshaler) wireID(id uint32) uint32 {
	if id < firstDynamicID || m.r.decoded {
		return id
	}
	return m.typeIdx[id]
}

func appendWireType(b []byte, w *wireType) []byte {
	b = append(b, w.op)
	switch w.op {
	case tNamed, tProto, tOpaque:
		b = appendString(b, w.name)
	case tSlice, tPtr:
		b = binary.AppendUvarint(b, uint64(w.a))
	case tArray:
		b = binary.AppendUvarint(b, uint64(w.n))
		b = binary.AppendUvarint(b, uint64(w.a))
	case tMap:
		b = binary.AppendUvarint(b, uint64(w.a))
		b = binary.AppendUvarint(b, uint64(w.b))
	case tStruct:
		b = binary.AppendUvarint(b, uint64(len(w.fields)))
		for _, f := range w.fields {
			b = appendString(b, f.name)
			b = appendString(b, f.tag)
			b = binary.AppendUvarint(b, uint64(f.typ))
			b = append(b, byte(b2u(f.embedded)))
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, p []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	return append(b, p...)
}

func (m *marshaler) appendNode(b []byte, n *node) ([]byte, error) {
	r := m.r
	if n.typ != idNone {
		b = append(b, byte(n.kind)|typedFlag)
		b = binary.AppendUvarint(b, uint64(m.wireID(n.typ)))
	} else {
		b = append(b, byte(n.kind))
	}
	switch n.kind {
	case kBool:
		b = append(b, byte(n.x))
	case kInt:
		b = binary.AppendVarint(b, int64(n.x))
	case kJSArray:
		b = binary.AppendUvarint(b, uint64(n.n))
		b = binary.AppendUvarint(b, n.x)
	case kDate:
		b = binary.LittleEndian.AppendUint64(b, n.x)
	case kBlob, kFile:
		b = appendBytes(b, r.blobs[n.x])
	case kUint, kSlice, kArray, kGoMap, kObject, kMap, kSet, kTransferred, kExternal, kRef:
		if n.kind == kUint || n.kind == kTransferred || n.kind == kExternal || n.kind == kRef {
			b = binary.AppendUvarint(b, n.x)
		} else {
			b = binary.AppendUvarint(b, uint64(n.n))
		}
	case kFloat:
		b = binary.LittleEndian.AppendUint64(b, n.x)
	case kString:
		b = appendString(b, r.strs[n.x])
	case kBytes, kArrayBuffer:
		b = appendBytes(b, r.blobs[n.x])
	case kPacked:
		b = append(b, n.flags)
		b = binary.AppendUvarint(b, uint64(n.n))
		b = append(b, r.blobs[n.x]...)
	case kBigInt:
		b = append(b, n.flags)
		b = appendBytes(b, r.blobs[n.x])
	case kBinary:
		b = append(b, n.flags)
		b = appendBytes(b, r.blobs[n.x])
	case kTime:
		b = appendTime(b, r.times[n.x])
	case kStruct:
		id := uint32(n.x)
		if !r.decoded {
			id = m.shapeRef(planByID(id))
		}
		b = binary.AppendUvarint(b, uint64(id))
	case kTypedArray:
		b = append(b, n.flags)
		b = binary.AppendUvarint(b, n.x)
		b = binary.AppendUvarint(b, uint64(n.n))
	case kDataView:
		b = binary.AppendUvarint(b, n.x)
		b = binary.AppendUvarint(b, uint64(n.n))
	case kProto:
		e := &r.protos[n.x]
		data := e.data
		if e.msg != nil {
			var err error
			if data, err = (proto.MarshalOptions{Deterministic: true}).Marshal(e.msg); err != nil {
				return nil, &DataCloneError{Type: reflect.TypeOf(e.msg), Reason: "marshaling the protobuf message failed", Err: err}
			}
		}
		b = appendString(b, string(e.protoName()))
		b = appendBytes(b, data)
	}
	return b, nil
}

// appendTime writes the instant (Unix seconds, nanoseconds) and the zone:
// the location's name and the offset in force at that instant.
func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	_, off := t.Zone()
	b = appendString(b, t.Location().String())
	return binary.AppendVarint(b, int64(off))
}
