package messages

import (
	"reflect"
	"sync/atomic"
)

// Type descriptors of the binary form. A record's type table lists the
// types its nodes need: named types by name (see Register), protobuf
// messages by full name, and unnamed composite types structurally. Entries
// refer to built-in ids or to earlier entries only, so the table has no
// cycles (a recursive type goes through a named entry).
const (
	tNamed  uint8 = iota + 1 // name
	tProto                   // protobuf full name
	tSlice                   // elem
	tArray                   // length, elem
	tMap                     // key, elem
	tPtr                     // elem
	tStruct                  // fields: name, tag, type, embedded
	tOpaque                  // a type that cannot be described; never resolvable
	tMax
)

// wireType is one entry of a decoded record's type table.
type wireType struct {
	op     uint8
	name   string // tNamed, tProto, tOpaque
	n      int    // tArray length
	a, b   uint32 // components: elem (a), or key (a) and elem (b)
	fields []wireField

	plan    *plan                        // resolved local type, when needed
	mapping atomic.Pointer[fieldMapping] // tStruct: matching of fields to a local struct
}

type wireField struct {
	name     string
	tag      string
	typ      uint32
	embedded bool
}

type fieldMapping struct {
	p   *plan
	idx []int // record field i -> index into p.fields, or -1
}

// fieldMapping matches the fields of a recorded struct shape to the fields
// of the local struct type p by name: fields the local type lacks are
// skipped, local fields the record lacks keep their zero value.
func (w *wireType) fieldMapping(p *plan) []int {
	if m := w.mapping.Load(); m != nil && m.p == p {
		return m.idx
	}
	idx := make([]int, len(w.fields))
	for i, f := range w.fields {
		idx[i] = -1
		for j := range p.fields {
			if p.fields[j].name == f.name {
				idx[i] = j
				break
			}
		}
	}
	w.mapping.Store(&fieldMapping{p: p, idx: idx})
	return idx
}

var _ = reflect.TypeOf
