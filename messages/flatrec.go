package messages

import (
	"encoding/binary"
	"math"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/entangle-go/entangle/internal/flatrec"
)

// The ports package reaches the flat-struct shortcuts through flatrec.
func init() {
	flatrec.Flat = func(v any) bool { return flatOf(v) != nil }
	flatrec.Append = appendFlat
	flatrec.Decode = decodeFlat
	flatrec.LimitsOf = func(opts any) flatrec.Limits {
		cfg := defaultDecodeConfig()
		os, _ := opts.([]DecodeOption)
		for _, o := range os {
			o(&cfg)
		}
		return flatrec.Limits{MaxBytes: cfg.maxBytes, MaxDepth: cfg.maxDepth, MaxElements: cfg.maxElements}
	}
	flatrec.Learn = func(v any) {
		d := &flatDecoders
		d.RLock()
		full := d.n >= maxCachedTables
		d.RUnlock()
		if !full {
			flatOf(v)
		}
	}
}

// A flat type is a struct, or a pointer to a struct, whose cloned fields
// are all booleans, integers, floats or strings (named types of those
// kinds too), or structs held by value whose fields are so in turn (at
// most maxFlatDepth levels, maxFlatFields nodes in all): the small structs
// users post most. Its binary record is the same sequence of bytes for
// every value up to the first field's node (the version, the type table,
// the counts, the pointer and struct headers), and then one node per
// field whose first byte is its kind, with the constant node of each
// nested struct before its fields. A flatTemplate keeps that prefix and
// those constant nodes, read from the record of the type's zero value
// (Serialize and MarshalBinary) along its plan, so that a record is
// written by appending them and the fields, and read back by checking
// them and reading the fields, without a Record.
//
// Every template is checked as it is made: the zero value written through
// it must be the bytes Serialize and MarshalBinary give, and those bytes
// must decode and deserialize into the zero value again. A type that fails
// either check (one the receiving side could not rebuild, say, because it
// is not registered) has no template, and its values take the full path.
// FuzzFlatMatchesRecord compares both paths on the bytes they write and
// on the values they read from any input.
type flatTemplate struct {
	gen    uint64         // registryGen when it was made: a registration can rename a type in the table
	none   bool           // the type is not flat (kept, so that it is looked at once per generation)
	rt     unsafe.Pointer // the root type: the struct or the pointer to it
	elem   unsafe.Pointer // the struct type
	ptr    bool
	prefix string
	table  string     // the type table's bytes, within prefix
	steps  []flatStep // after the prefix, in record order
	// the least WithMaxDepth and WithMaxElements under which DecodeRecord
	// accepts the type's records (the same for all of them)
	depth, elements int
}

// flatStep is a field's node, or (konst not "") the node of a nested
// struct, written as it is.
type flatStep struct {
	konst string
	flatField
}

type flatField struct {
	off  uintptr // from the start of the root struct
	size uintptr // the Go field's: which integer or float type it is
	node kind    // kBool, kInt, kUint, kFloat or kString
}

const (
	maxFlatFields = 64 // steps
	maxFlatDepth  = 4  // nested structs
)

var (
	flatByType sync.Map // runtime type -> *flatTemplate

	// What decodeFlat looks records up in: the templates by the bytes of
	// their type table (a record's table ends where its bytes say, so
	// finding it costs one pass over the table, which the full path makes
	// too), at most maxCachedTables of them, and the last one used.
	flatDecoders = struct {
		sync.RWMutex
		m map[string][]*flatTemplate
		n int
	}{m: map[string][]*flatTemplate{}}
	lastFlat atomic.Pointer[flatTemplate]
)

// flatOf returns the template of v's type, making it on first sight, or
// nil if v is not of a flat type or is a nil pointer.
func flatOf(v any) *flatTemplate {
	e := (*eface)(unsafe.Pointer(&v))
	if e.typ == nil {
		return nil
	}
	var t *flatTemplate
	if x, ok := flatByType.Load(e.typ); ok {
		t = x.(*flatTemplate)
	}
	if t == nil || t.gen != registryGen.Load() {
		gen := registryGen.Load()
		t = makeFlat(reflect.TypeOf(v))
		if t == nil {
			t = &flatTemplate{none: true}
		}
		t.gen = gen
		flatByType.Store(e.typ, t)
		if !t.none {
			learnFlat(t)
		}
	}
	if t.none || (t.ptr && e.data == nil) {
		return nil
	}
	return t
}

// makeFlat makes the template of rt, or returns nil if rt is not flat or
// fails the checks described at flatTemplate. Structs nested in it by
// value (not by pointer) whose fields are flat too are part of it: their
// nodes are constant bytes between the fields'.
func makeFlat(rt reflect.Type) *flatTemplate {
	p := planFor(rt)
	sp := p
	if p.kind == pPtr && p.err == nil {
		sp = p.elem
	}
	if p.err != nil || sp.err != nil || sp.kind != pStruct || p.isErr || sp.isErr {
		return nil
	}
	t := &flatTemplate{rt: rtypeOf(rt), elem: rtypeOf(sp.t), ptr: p != sp}
	zero := reflect.New(sp.t)
	var zv any
	if t.ptr {
		zv = zero.Interface()
	} else {
		zv = zero.Elem().Interface()
	}
	r, err := Serialize(zv)
	if err != nil {
		return nil
	}
	full, err := r.MarshalBinary()
	r.Release()
	if err != nil {
		return nil
	}
	// The zero value's record: the version, the type table, no moved
	// buffers, no external slots, the node count, then the nodes, which
	// the walk reads along the plan.
	end, ok := skipTypes(full, 1)
	if !ok {
		return nil
	}
	w := &flatWalker{b: full, pos: end}
	if x, ok := w.uvarint(); !ok || x != 0 {
		return nil
	}
	if x, ok := w.uvarint(); !ok || x != 0 {
		return nil
	}
	if _, ok := w.uvarint(); !ok {
		return nil
	}
	if t.ptr && !w.header(kPointer) || !w.header(kStruct) {
		return nil
	}
	t.prefix, t.table = string(full[:w.pos]), string(full[1:end])
	if !w.fields(sp, 0, 0) || w.pos != len(full) {
		return nil
	}
	t.steps = w.steps
	if got, _ := t.append(nil, zv); string(got) != string(full) {
		return nil
	}
	// The least limits under which DecodeRecord takes this type's records
	// (a limit refuses more as it falls).
	t.depth = leastAccepting(2*maxFlatDepth+8, func(n int) DecodeOption { return WithMaxDepth(n) }, full)
	t.elements = leastAccepting(4*maxFlatFields+16, func(n int) DecodeOption { return WithMaxElements(n) }, full)
	if t.depth == 0 || t.elements == 0 {
		return nil
	}
	rec, err := DecodeRecord(full)
	if err != nil {
		return nil
	}
	back, err := Deserialize(rec)
	rec.Release()
	if err != nil || reflect.TypeOf(back) != rt || !reflect.DeepEqual(back, zv) {
		return nil
	}
	return t
}

// flatWalker reads the nodes of a flat type's zero value along its plan,
// and makes the template's steps.
type flatWalker struct {
	b     []byte
	pos   int
	steps []flatStep
}

func (w *flatWalker) uvarint() (uint64, bool) {
	x, n := binary.Uvarint(w.b[w.pos:])
	if n <= 0 {
		return 0, false
	}
	w.pos += n
	return x, true
}

// header reads one node of kind k, with its type id if it has one, and
// for a struct its shape id.
func (w *flatWalker) header(k kind) bool {
	if w.pos >= len(w.b) || kind(w.b[w.pos]&^typedFlag) != k {
		return false
	}
	typed := w.b[w.pos]&typedFlag != 0
	w.pos++
	if typed {
		if _, ok := w.uvarint(); !ok {
			return false
		}
	}
	if k == kStruct {
		_, ok := w.uvarint()
		return ok
	}
	return true
}

// fields reads the nodes of the fields of struct plan sp, whose value
// starts at base in the root struct, nested depth levels in.
func (w *flatWalker) fields(sp *plan, base uintptr, depth int) bool {
	for _, f := range sp.fields {
		if len(w.steps) >= maxFlatFields {
			return false
		}
		sf := sp.t.Field(f.index)
		off := base + sf.Offset
		if f.plan.kind == pStruct {
			if depth >= maxFlatDepth || f.plan.err != nil || f.plan.isErr {
				return false
			}
			at := w.pos
			if !w.header(kStruct) {
				return false
			}
			w.steps = append(w.steps, flatStep{konst: string(w.b[at:w.pos])})
			if !w.fields(f.plan, off, depth+1) {
				return false
			}
			continue
		}
		ff := flatField{off: off, size: sf.Type.Size(), node: flatNode(f.plan.kind)}
		size := 1 // the zero value's payload
		if ff.node == kFloat {
			size = 8
		}
		if ff.node == kInvalid || w.pos+1+size > len(w.b) || w.b[w.pos] != byte(ff.node) {
			return false
		}
		w.pos += 1 + size
		w.steps = append(w.steps, flatStep{flatField: ff})
	}
	return true
}

// leastAccepting returns the least n in 1..most for which DecodeRecord
// accepts b under the option limit(n), or 0 if none does.
func leastAccepting(most int, limit func(int) DecodeOption, b []byte) int {
	lo, hi := 1, most+1 // the answer is in [lo, hi]; hi means none
	for lo < hi {
		mid := (lo + hi) / 2
		if rec, err := DecodeRecord(b, limit(mid)); err == nil {
			rec.Release()
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo > most {
		return 0
	}
	return lo
}

// flatNode returns the kind of the node a field planned as k is written
// as (see encoder.value), or kInvalid if a flat type cannot hold it.
func flatNode(k planKind) kind {
	switch k {
	case pBool:
		return kBool
	case pInt:
		return kInt
	case pUint:
		return kUint
	case pFloat:
		return kFloat
	case pString:
		return kString
	}
	return kInvalid
}

// learnFlat adds t to the templates decodeFlat reads by, in place of one
// with the same prefix (made before a registration), unless there are
// maxCachedTables already: the types a peer's records name are not
// bounded by this program, and a type left out takes the full path.
func learnFlat(t *flatTemplate) {
	d := &flatDecoders
	d.Lock()
	defer d.Unlock()
	list := d.m[t.table] // readers may hold it: never written in place
	for i, o := range list {
		if o.prefix == t.prefix {
			next := append([]*flatTemplate(nil), list...)
			next[i] = t
			d.m[t.table] = next
			return
		}
	}
	if d.n >= maxCachedTables {
		return
	}
	d.m[t.table] = append(list[:len(list):len(list)], t)
	d.n++
}

// appendFlat is flatrec.Append.
func appendFlat(b []byte, v any) ([]byte, bool) {
	t := flatOf(v)
	if t == nil {
		return b, false
	}
	return t.append(b, v)
}

func (t *flatTemplate) append(b []byte, v any) ([]byte, bool) {
	base := (*eface)(unsafe.Pointer(&v)).data // the struct's address, for a pointer or a boxed struct alike
	if b == nil {
		b = make([]byte, 0, len(t.prefix)+10*len(t.steps)+16)
	}
	b = append(b, t.prefix...)
	for i := range t.steps {
		f := &t.steps[i]
		if f.konst != "" {
			b = append(b, f.konst...)
			continue
		}
		p := unsafe.Add(base, f.off)
		b = append(b, byte(f.node))
		switch f.node {
		case kBool:
			b = append(b, byte(b2u(*(*bool)(p))))
		case kInt:
			b = binary.AppendVarint(b, loadInt(p, f.size))
		case kUint:
			b = binary.AppendUvarint(b, loadUint(p, f.size))
		case kFloat:
			x := *(*float64)(p)
			if f.size == 4 {
				x = float64(*(*float32)(p))
			}
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		case kString:
			b = appendString(b, *(*string)(p))
		}
	}
	return b, true
}

// decodeFlat is flatrec.Decode.
func decodeFlat(b []byte, lim flatrec.Limits) (any, bool) {
	gen := registryGen.Load()
	t := lastFlat.Load()
	if t == nil || t.gen != gen || !hasPrefix(b, t.prefix) {
		if t = findFlat(b, gen); t == nil {
			return nil, false
		}
		lastFlat.Store(t)
	}
	// Under these limits the full path would refuse nothing this path
	// reads: the depth and element counts are the type's, and the value
	// costs Deserialize less than 17 bytes per input byte, within its
	// allocation budget whenever the input is at most half the byte limit.
	if 2*len(b) > lim.MaxBytes || t.depth > lim.MaxDepth || t.elements > lim.MaxElements {
		return nil, false
	}
	obj := unsafeNew(t.elem)
	p := b[len(t.prefix):]
	for i := range t.steps {
		f := &t.steps[i]
		if f.konst != "" {
			if !hasPrefix(p, f.konst) {
				return nil, false
			}
			p = p[len(f.konst):]
			continue
		}
		if len(p) == 0 || p[0] != byte(f.node) {
			return nil, false
		}
		p = p[1:]
		at := unsafe.Add(obj, f.off)
		var ok bool
		if p, ok = f.read(p, at); !ok {
			return nil, false
		}
	}
	if len(p) != 0 {
		return nil, false
	}
	if t.ptr {
		return packAny(t.rt, obj), true
	}
	return packAny(t.elem, obj), true
}

// findFlat returns the template, made in registry generation gen, whose
// prefix b starts with, if there is one.
func findFlat(b []byte, gen uint64) *flatTemplate {
	if len(b) == 0 {
		return nil
	}
	end, ok := skipTypes(b, 1)
	if !ok {
		return nil
	}
	d := &flatDecoders
	d.RLock()
	list := d.m[string(b[1:end])]
	d.RUnlock()
	for _, t := range list {
		if t.gen == gen && hasPrefix(b, t.prefix) {
			return t
		}
	}
	return nil
}

// read decodes one field's payload from p into the field at at, and
// returns the rest of p; ok is false for anything the full path might
// read otherwise (a number out of the field's range, a float32 that does
// not narrow exactly, a boolean byte other than 0 or 1, a short input).
func (f *flatField) read(p []byte, at unsafe.Pointer) (_ []byte, ok bool) {
	switch f.node {
	case kBool:
		if len(p) < 1 || p[0] > 1 {
			return nil, false
		}
		*(*bool)(at) = p[0] == 1
		return p[1:], true
	case kInt:
		x, n := binary.Varint(p)
		if n <= 0 || !storeInt(at, f.size, x) {
			return nil, false
		}
		return p[n:], true
	case kUint:
		x, n := binary.Uvarint(p)
		if n <= 0 || !storeUint(at, f.size, x) {
			return nil, false
		}
		return p[n:], true
	case kFloat:
		if len(p) < 8 {
			return nil, false
		}
		x := math.Float64frombits(binary.LittleEndian.Uint64(p))
		if f.size == 4 {
			if float64(float32(x)) != x {
				return nil, false // NaN too: the full path decides
			}
			*(*float32)(at) = float32(x)
		} else {
			*(*float64)(at) = x
		}
		return p[8:], true
	case kString:
		l, n := binary.Uvarint(p)
		if n <= 0 || l > uint64(len(p)-n) {
			return nil, false
		}
		*(*string)(at) = string(p[n : n+int(l)])
		return p[n+int(l):], true
	}
	return nil, false
}

// loadInt reads the signed integer of size bytes at p.
func loadInt(p unsafe.Pointer, size uintptr) int64 {
	switch size {
	case 1:
		return int64(*(*int8)(p))
	case 2:
		return int64(*(*int16)(p))
	case 4:
		return int64(*(*int32)(p))
	}
	return *(*int64)(p)
}

// loadUint reads the unsigned integer of size bytes at p.
func loadUint(p unsafe.Pointer, size uintptr) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

// storeInt stores x as the signed integer of size bytes at p, unless it
// is out of that type's range (the full path refuses it then).
func storeInt(p unsafe.Pointer, size uintptr, x int64) bool {
	if shift := 64 - 8*size; x<<shift>>shift != x {
		return false
	}
	storeBits(p, size, uint64(x))
	return true
}

// storeUint is storeInt for unsigned integers.
func storeUint(p unsafe.Pointer, size uintptr, x uint64) bool {
	if shift := 64 - 8*size; x<<shift>>shift != x {
		return false
	}
	storeBits(p, size, x)
	return true
}

// storeBits stores the low size bytes of x at p: the same bits for a
// signed integer in range as for an unsigned one.
func storeBits(p unsafe.Pointer, size uintptr, x uint64) {
	switch size {
	case 1:
		*(*uint8)(p) = uint8(x)
	case 2:
		*(*uint16)(p) = uint16(x)
	case 4:
		*(*uint32)(p) = uint32(x)
	default:
		*(*uint64)(p) = x
	}
}
