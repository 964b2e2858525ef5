package messages

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"
)

// DecodeRecord decodes a record written by MarshalBinary, checking it
// against the limits (see DecodeOption; the defaults are DefaultMaxDepth,
// DefaultMaxBytes and DefaultMaxElements). It never panics: malformed input
// is an error matching ErrDataClone and ErrCorruptRecord, input over a limit
// an error matching ErrDataClone and ErrLimitExceeded, an unknown format
// version, an unregistered type name or an unknown protobuf message name an
// error matching ErrDataClone. Every length is checked against the
// remaining input before anything is allocated. b is not retained.
func DecodeRecord(b []byte, opts ...DecodeOption) (*Record, error) {
	cfg := &defaultDecode // only read
	if len(opts) > 0 {
		c := defaultDecodeConfig()
		for _, o := range opts {
			o(&c)
		}
		cfg = &c
	}
	r := recordPool.Get().(*Record) // Release hands it back
	if err := decodeRecord(r, b, cfg); err != nil {
		releaseRecord(r)
		return nil, err
	}
	return r, nil
}

// defaultDecode is the configuration of a DecodeRecord without options.
var defaultDecode = defaultDecodeConfig()

// UnmarshalBinary replaces r's contents with the record decoded from b,
// with the default limits (see DecodeRecord). On error r is left unchanged.
func (r *Record) UnmarshalBinary(b []byte) error {
	cfg := defaultDecodeConfig()
	tmp := &Record{}
	if err := decodeRecord(tmp, b, &cfg); err != nil {
		return err
	}
	r.nodes, r.strs, r.blobs, r.ifaces, r.times, r.protos = tmp.nodes, tmp.strs, tmp.blobs, nil, tmp.times, tmp.protos
	r.xfer, r.types, r.nobj, r.ext, r.size, r.budget = tmp.xfer, tmp.types, tmp.nobj, tmp.ext, tmp.size, tmp.budget
	r.decoded, r.private = true, false
	r.claimed.Store(false)
	return nil
}

func decodeRecord(r *Record, b []byte, cfg *decodeConfig) error {
	if len(b) > cfg.maxBytes {
		return limitErr("record of " + strconv.Itoa(len(b)) + " bytes exceeds the limit of " + strconv.Itoa(cfg.maxBytes) + " (WithMaxBytes)")
	}
	if len(b) == 0 {
		return corrupt("empty input")
	}
	if b[0] < 1 || b[0] > formatVersion {
		return &DataCloneError{Reason: "unsupported record format version " + strconv.Itoa(int(b[0])) +
			" (this build reads versions 1 to " + strconv.Itoa(formatVersion) + ")"}
	}
	rd := &r.scratchDec.rd // the record is on the heap already: no allocation
	*rd = reader{b: b, off: 1}
	d := recordDecoder{rd: rd, r: r, cfg: cfg, maxKind: kMax}
	if b[0] == 1 {
		d.maxKind = kJSArray // version 1 has no JavaScript kinds
	}
	d.small = r.scratchDec.small[:0]
	defer d.keepScratch()
	r.decoded = true
	r.budget = allocationBudget(len(b), cfg.maxBytes)
	d.typeTable()
	nx := rd.count(rd.left(), "transfer count")
	for i := 0; i < nx && rd.err == nil; i++ {
		p := rd.copyBytes()
		r.xfer = append(r.xfer, p)
		r.size += len(p)
	}
	r.ext = rd.count(cfg.maxElements, "external count")
	d.nodes()
	if rd.err == nil && rd.off != len(b) {
		rd.fail(corrupt("bytes after the end of the record"))
	}
	if rd.err != nil {
		return rd.err
	}
	r.size += nodeOverhead * len(r.nodes)
	if b[0] < 3 {
		emptyMessagesAsNone(r)
	}
	return d.resolve()
}

// emptyMessagesAsNone rewrites each Error's empty message string in a
// record of version 1 or 2, where it meant "no message", as the undefined
// node version 3 writes for that. The record then means the same to every
// reader, and marshals again as version 3 without changing its meaning.
func emptyMessagesAsNone(r *Record) {
	for i := range r.nodes {
		if k := r.nodes[i].kind; (k != kError && k != kErrorCause) || i+2 >= len(r.nodes) {
			continue
		}
		name, msg := &r.nodes[i+1], &r.nodes[i+2]
		if name.kind == kString && msg.kind == kString && msg.x < uint64(len(r.strs)) && r.strs[msg.x] == "" {
			*msg = node{kind: kUndefined}
		}
	}
}

type recordDecoder struct {
	rd      *reader
	r       *Record
	cfg     *decodeConfig
	maxKind kind   // the first kind this version does not have
	needed  []bool // type-table entries that must resolve to local types
	small   []byte // arena of short strings
	shorts  bool   // some string is in small

	tableStart, tableEnd int           // the type table's bytes
	gen                  uint64        // registryGen when the table was read
	shared               *decodedTable // the cached table r.types is, if any
}

// elementCount reads a count of elements, each at least one byte long.
func (d *recordDecoder) elementCount(what string) int {
	v := d.rd.uvarint()
	switch {
	case d.rd.err != nil:
		return 0
	case v > uint64(d.cfg.maxElements):
		d.rd.fail(limitErr("record has more than " + strconv.Itoa(d.cfg.maxElements) + " elements (WithMaxElements)"))
		return 0
	case v > uint64(d.rd.left()):
		d.rd.fail(corrupt(what + " larger than the input allows"))
		return 0
	}
	return int(v)
}

func (d *recordDecoder) validRef(id uint64, limit int) bool {
	if id < uint64(firstDynamicID) {
		return builtinTypes[id] != nil
	}
	return id-uint64(firstDynamicID) < uint64(limit)
}

func (d *recordDecoder) types() {
	rd := d.rd
	n := d.elementCount("type count")
	d.needed = d.neededFor(n)
	d.r.types = make([]*wireType, 0, n)
	for j := 0; j < n && rd.err == nil; j++ {
		w := &wireType{op: rd.byte()}
		ref := func() uint32 {
			id := rd.uvarint()
			if rd.err == nil && !d.validRef(id, j) {
				rd.fail(corrupt("type entry refers to an unknown or later type"))
			}
			return uint32(id)
		}
		switch w.op {
		case tNamed, tProto, tOpaque:
			w.name = rd.string()
		case tSlice, tPtr:
			w.a = ref()
		case tArray:
			w.n = rd.count(math.MaxInt32, "array length")
			w.a = ref()
		case tMap:
			w.a, w.b = ref(), ref()
		case tStruct:
			nf := rd.count(rd.left(), "field count")
			w.fields = make([]wireField, 0, nf)
			for i := 0; i < nf && rd.err == nil; i++ {
				f := wireField{name: rd.string(), tag: rd.string(), typ: ref()}
				switch rd.byte() {
				case 0:
				case 1:
					f.embedded = true
				default:
					rd.fail(corrupt("bad field flag"))
				}
				w.fields = append(w.fields, f)
			}
		default:
			rd.fail(corrupt("unknown type entry " + strconv.Itoa(int(w.op))))
		}
		d.r.types = append(d.r.types, w)
	}
}

// str reads the string of node n. A short one goes to the arena, and until
// the arena is made a string (at the end of nodes) n holds where: its
// offset in n.n and its length plus one in n.flags.
func (d *recordDecoder) str(n *node) {
	rd := d.rd
	p := rd.lenBytes()
	r := d.r
	r.size += len(p)
	if len(p) >= 64 || len(d.small)+len(p) > math.MaxUint32 {
		r.strs = append(r.strs, string(p))
	} else {
		n.n, n.flags = uint32(len(d.small)), uint8(len(p)+1)
		d.small = append(d.small, p...)
		d.shorts = true
		r.strs = append(r.strs, "")
	}
	n.x = uint64(len(r.strs) - 1)
}

func (d *recordDecoder) blob(p []byte) uint64 {
	if p == nil {
		p = []byte{}
	}
	d.r.blobs = append(d.r.blobs, p)
	d.r.size += len(p)
	return uint64(len(d.r.blobs) - 1)
}

func (d *recordDecoder) nodes() {
	rd, r := d.rd, d.r
	total := d.elementCount("node count")
	if rd.err == nil && total+len(r.types) > d.cfg.maxElements {
		rd.fail(limitErr("record has more than " + strconv.Itoa(d.cfg.maxElements) + " elements (WithMaxElements)"))
	}
	if rd.err == nil && total == 0 {
		rd.fail(corrupt("no value"))
	}
	if rd.err != nil {
		return
	}
	switch {
	case total <= len(r.inlineNodes):
		r.nodes = r.inlineNodes[:total] // a small value: no allocation
		clear(r.nodes)                  // a pooled record keeps old nodes there
	case total <= cap(r.nodes):
		r.nodes = r.nodes[:total] // a pooled record's nodes
		clear(r.nodes)
	default:
		r.nodes = make([]node, total)
	}
	var stackBuf [8]int
	stack := stackBuf[:0] // remaining children of each open ancestor
	for i := 0; i < total && rd.err == nil; i++ {
		if i > 0 && len(stack) == 0 {
			rd.fail(corrupt("more than one root value"))
			return
		}
		if len(stack)+1 > d.cfg.maxDepth {
			rd.fail(limitErr("record nested deeper than " + strconv.Itoa(d.cfg.maxDepth) + " levels (WithMaxDepth)"))
			return
		}
		n := &r.nodes[i]
		d.node(n, total-i-1)
		if rd.err != nil {
			return
		}
		if len(stack) > 0 {
			stack[len(stack)-1]--
		}
		if c := childCount(n); c > 0 {
			if c > total-i-1 {
				rd.fail(corrupt("more children than nodes"))
				return
			}
			stack = append(stack, c)
		}
		for len(stack) > 0 && stack[len(stack)-1] == 0 {
			stack = stack[:len(stack)-1]
		}
	}
	if rd.err == nil && len(stack) > 0 {
		rd.fail(corrupt("truncated value"))
	}
	if rd.err == nil && d.shorts {
		arena := string(d.small)
		for i := range r.nodes {
			if n := &r.nodes[i]; n.kind == kString && n.flags != 0 {
				r.strs[n.x] = arena[n.n : n.n+uint32(n.flags)-1]
				n.n, n.flags = 0, 0
			}
		}
	}
}

// node reads one node; rest is the number of nodes after it.
func (d *recordDecoder) node(n *node, rest int) {
	rd, r := d.rd, d.r
	head := rd.byte()
	n.kind = kind(head &^ typedFlag)
	if n.kind == kInvalid || n.kind >= d.maxKind {
		rd.fail(corrupt("unknown node kind " + strconv.Itoa(int(n.kind))))
		return
	}
	if head&typedFlag != 0 {
		id := rd.uvarint()
		if rd.err == nil && (id == uint64(idNone) || !d.validRef(id, len(r.types))) {
			rd.fail(corrupt("node refers to an unknown type"))
			return
		}
		n.typ = uint32(id)
		if id >= uint64(firstDynamicID) {
			d.needed[id-uint64(firstDynamicID)] = true
		}
	}
	count := func(per int) uint32 {
		c := rd.count(rest/per, "element count")
		return uint32(c)
	}
	switch n.kind {
	case kBool:
		if n.x = uint64(rd.byte()); n.x > 1 {
			rd.fail(corrupt("bad bool"))
		}
	case kInt:
		n.x = uint64(rd.varint())
	case kUint:
		n.x = rd.uvarint()
	case kFloat:
		if p := rd.bytes(8); p != nil {
			n.x = binary.LittleEndian.Uint64(p)
		}
	case kString:
		d.str(n)
	case kBytes, kArrayBuffer:
		n.x = d.blob(rd.copyBytes())
	case kPacked:
		n.flags = rd.byte()
		k := reflect.Kind(n.flags)
		if !packable(k) {
			rd.fail(corrupt("bad packed element kind"))
			return
		}
		w := packWidth(k)
		n.n = uint32(rd.count(min(rd.left()/w, math.MaxUint32), "packed length"))
		p := rd.bytes(int(n.n) * w)
		n.x = d.blob(append(make([]byte, 0, len(p)), p...))
	case kBigInt, kBinary:
		if n.flags = rd.byte(); n.flags > 1 {
			rd.fail(corrupt("bad flag"))
		}
		n.x = d.blob(rd.copyBytes())
	case kTime:
		d.timeNode(n)
	case kJSArray:
		n.n = count(2)
		n.x = uint64(rd.count(math.MaxUint32, "array length"))
	case kDate:
		if p := rd.bytes(8); p != nil {
			n.x = binary.LittleEndian.Uint64(p)
		}
	case kBlob, kFile:
		n.x = d.blob(rd.copyBytes())
	case kSlice, kArray, kSet:
		n.n = count(1)
	case kGoMap, kMap, kObject:
		n.n = count(2)
	case kStruct:
		id := rd.uvarint()
		j := id - uint64(firstDynamicID)
		if rd.err == nil && (id < uint64(firstDynamicID) || j >= uint64(len(r.types)) || r.types[j].op != tStruct) {
			rd.fail(corrupt("struct node without a struct shape"))
			return
		}
		n.x = id
		if rd.err == nil {
			n.n = uint32(len(r.types[j].fields))
		}
	case kTypedArray:
		n.flags = rd.byte()
		if !ElementKind(n.flags).Valid() {
			rd.fail(corrupt("bad element kind"))
		}
		n.x = rd.uvarint()
		n.n = uint32(rd.count(math.MaxUint32, "view length"))
	case kDataView:
		n.x = rd.uvarint()
		n.n = uint32(rd.count(math.MaxUint32, "view length"))
	case kTransferred:
		n.x = uint64(rd.count(len(r.xfer)-1, "transfer slot"))
	case kExternal:
		n.x = uint64(rd.count(r.ext-1, "external slot"))
	case kRef:
		n.x = uint64(rd.count(r.nobj-1, "object reference"))
	case kProto:
		d.protoNode(n)
	}
	if hasIdentity(n.kind) {
		r.nobj++
	}
}
