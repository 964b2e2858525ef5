package messages

import (
	"encoding/binary"
	"math"
	"sync"
	"sync/atomic"
)

// Records of the same Go types have the same type table, so the table is
// built once and kept: MarshalBinary keeps the encoded table (and the wire
// ids it gives each type) under the record's type signature, and
// DecodeRecord keeps the decoded and resolved table under its bytes. Both
// caches hold at most maxCachedTables entries; records beyond that, and
// records of more than maxSignatureTypes distinct types, take the slow path
// (build the table for that record alone), which gives the same bytes and
// the same values.
const (
	maxCachedTables   = 1024
	maxSignatureTypes = 32
)

// registryGen counts registrations: a type's name (so its table entry) can
// change when it is registered, and a name can come to be known, which
// makes earlier cached tables stale.
var registryGen atomic.Uint64

// encodedTable is a type table made by a marshaler for one signature:
// the table's bytes (count first) and the wire ids of the types.
type encodedTable struct {
	gen      uint64
	bytes    []byte
	typeIdx  map[uint32]uint32
	shapeIdx map[uint32]uint32
}

var encodedTables = struct {
	sync.RWMutex
	m map[string]*encodedTable
}{m: map[string]*encodedTable{}}

// The maps of a cached table are shared and only read: the signature names
// every type the nodes refer to, so appendNode finds each id there.

// signature appends to sig the distinct type references of r's nodes in
// the order MarshalBinary makes them: a tag byte (t for a node's type, s for
// a struct's shape) and the plan id. It reports false when r has more than
// maxSignatureTypes of them.
func (r *Record) signature(sig []byte) ([]byte, bool) {
	var seen [maxSignatureTypes]uint64
	ns := 0
	var last uint64 = 0 // no event is 0: tags are non-zero
	add := func(tag byte, id uint32) bool {
		ev := uint64(tag)<<32 | uint64(id)
		if ev == last {
			return true
		}
		last = ev
		for _, s := range seen[:ns] {
			if s == ev {
				return true
			}
		}
		if ns == len(seen) {
			return false
		}
		seen[ns] = ev
		ns++
		sig = append(sig, tag)
		sig = binary.LittleEndian.AppendUint32(sig, id)
		return true
	}
	for i := range r.nodes {
		n := &r.nodes[i]
		if n.typ >= firstDynamicID && !add('t', n.typ) {
			return nil, false
		}
		if n.kind == kStruct && !add('s', uint32(n.x)) {
			return nil, false
		}
	}
	return sig, true
}

// tableFor fills m's type table for r (not a decoded record) and returns
// its encoded bytes, from the cache when r's signature is there.
func (m *marshaler) tableFor(r *Record) []byte {
	var buf [5 * 8]byte
	sig, ok := r.signature(buf[:0])
	gen := registryGen.Load()
	if ok {
		encodedTables.RLock()
		e := encodedTables.m[string(sig)]
		encodedTables.RUnlock()
		if e != nil && e.gen == gen {
			m.typeIdx, m.shapeIdx = e.typeIdx, e.shapeIdx
			return e.bytes
		}
	}
	m.build(r)
	b := binary.AppendUvarint(nil, uint64(len(m.table)))
	for _, w := range m.table {
		b = appendWireType(b, w)
	}
	if ok {
		e := &encodedTable{gen: gen, bytes: b, typeIdx: m.typeIdx, shapeIdx: m.shapeIdx}
		encodedTables.Lock()
		if len(encodedTables.m) < maxCachedTables || encodedTables.m[string(sig)] != nil {
			encodedTables.m[string(sig)] = e
		}
		encodedTables.Unlock()
	}
	return b
}

// build makes m's type table for r's nodes.
func (m *marshaler) build(r *Record) {
	for i := range r.nodes {
		n := &r.nodes[i]
		if n.typ >= firstDynamicID {
			m.typeRef(planByID(n.typ))
		}
		if n.kind == kStruct {
			m.shapeRef(planByID(uint32(n.x)))
		}
	}
}

// decodedTable is a type table decoded and resolved by DecodeRecord under
// a byte limit and registry generation: its entries (shared by the records decoded with it, never
// written again) and which of them are resolved to local types.
type decodedTable struct {
	key      string // the table's bytes
	gen      uint64
	maxBytes int
	types    []*wireType
	resolved []bool
}

// lastTable is the table a decoding found or kept last: a record whose
// bytes at the table's place start with its bytes has that table (the
// table's bytes decide where it ends), so no search is needed.
var lastTable atomic.Pointer[decodedTable]

var decodedTables = struct {
	sync.RWMutex
	m map[string]*decodedTable
}{m: map[string]*decodedTable{}}

// typeTable reads the record's type table: from the cache when the same
// bytes were decoded and resolved before under the same byte limit (the
// same bytes always parse the same way), else entry by entry (types).
func (d *recordDecoder) typeTable() {
	rd := d.rd
	d.tableStart = rd.off
	d.gen = registryGen.Load()
	if e := lastTable.Load(); e != nil && hasPrefix(rd.b[rd.off:], e.key) && d.usable(e) {
		d.tableEnd = rd.off + len(e.key)
		d.shared = e
		d.r.types = e.types
		d.needed = d.neededFor(len(e.types))
		rd.off = d.tableEnd
		return
	}
	if end, ok := skipTypes(rd.b, rd.off); ok {
		d.tableEnd = end
		decodedTables.RLock()
		e := decodedTables.m[string(rd.b[d.tableStart:end])]
		decodedTables.RUnlock()
		if e != nil && d.usable(e) {
			lastTable.Store(e)
			d.shared = e
			d.r.types = e.types
			d.needed = d.neededFor(len(e.types))
			rd.off = end
			return
		}
	}
	d.types()
	d.tableEnd = rd.off
}

// hasPrefix reports whether b starts with s (the comparison converts no
// bytes).
func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

// usable reports whether the kept table e may stand for the record's.
func (d *recordDecoder) usable(e *decodedTable) bool {
	return e.gen == d.gen && e.maxBytes == d.cfg.maxBytes && len(e.types) <= d.cfg.maxElements
}

// skipTypes returns where the type table that starts at off in b ends,
// reading it as types does but keeping nothing.
func skipTypes(b []byte, off int) (int, bool) {
	rd := &reader{b: b, off: off}
	n := rd.count(rd.left(), "type count")
	for j := 0; j < n && rd.err == nil; j++ {
		switch rd.byte() {
		case tNamed, tProto, tOpaque:
			rd.lenBytes()
		case tSlice, tPtr:
			rd.uvarint()
		case tArray:
			rd.count(math.MaxInt32, "array length")
			rd.uvarint()
		case tMap:
			rd.uvarint()
			rd.uvarint()
		case tStruct:
			nf := rd.count(rd.left(), "field count")
			for i := 0; i < nf && rd.err == nil; i++ {
				rd.lenBytes()
				rd.lenBytes()
				rd.uvarint()
				rd.byte()
			}
		default:
			return 0, false
		}
	}
	return rd.off, rd.err == nil
}

// sharedCovers reports whether the cached table d uses has every entry
// the record needs resolved; when it has not, d gets a table of its own,
// read again from the same bytes, to resolve.
func (d *recordDecoder) sharedCovers() bool {
	e := d.shared
	d.shared = nil
	for j, need := range d.needed {
		if need && !e.resolved[j] {
			needed := append([]bool(nil), d.needed...) // own.types reuses the scratch
			rd := &reader{b: d.rd.b, off: d.tableStart}
			own := recordDecoder{rd: rd, r: d.r, cfg: d.cfg}
			own.types()
			d.needed = needed
			return false
		}
	}
	return true
}

// keepTable puts d's resolved table in the cache.
func (d *recordDecoder) keepTable() {
	key := string(d.rd.b[d.tableStart:d.tableEnd])
	e := &decodedTable{key: key, gen: d.gen, maxBytes: d.cfg.maxBytes, types: d.r.types, resolved: append([]bool(nil), d.needed...)}
	decodedTables.Lock()
	if len(decodedTables.m) < maxCachedTables || decodedTables.m[key] != nil {
		decodedTables.m[key] = e
		lastTable.Store(e)
	}
	decodedTables.Unlock()
}
