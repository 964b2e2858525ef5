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
	flatrec.Learn = func(v any) { flatOf(v) }
}

// A flat type is a struct, or a pointer to a struct, whose cloned fields
// are all booleans, integers, floats or strings (named types of those
// kinds too), at most maxFlatFields of them: the small structs users post
// most. Its binary record is the same sequence of bytes for every value
// up to the first field's node (the version, the type table, the counts,
// the pointer and struct headers), and then one node per field whose
// first byte is its kind. A flatTemplate keeps that prefix, made once by
// running Serialize and MarshalBinary on the type's zero value, so that a
// record is written by appending the prefix and the fields, and read back
// by checking the prefix and reading the fields, without a Record.
//
// Every template is checked as it is made: the zero value written through
// it must be the bytes Serialize and MarshalBinary give, and those bytes
// must decode and deserialize into the zero value again. A type that fails
// either check (one the receiving side could not rebuild, say, because it
// is not registered) has no template, and its values take the full path.
// FuzzFlatMatchesRecord compares both paths on the bytes they write and
// on the values they read from any input.
type flatTemplate struct {
	rt     unsafe.Pointer // the root type: the struct or the pointer to it
	elem   unsafe.Pointer // the struct type
	ptr    bool
	prefix []byte
	fields []flatField
	// the least WithMaxDepth and WithMaxElements under which DecodeRecord
	// accepts the type's records (the same for all of them)
	depth, elements int
}

type flatField struct {
	off  uintptr
	kind reflect.Kind // the Go field's
	node kind         // kBool, kInt, kUint, kFloat or kString
}

const maxFlatFields = 64

var (
	flatByType sync.Map // runtime type -> *flatTemplate, nil if the type is not flat

	flatMu       sync.Mutex
	flatDecoders atomic.Pointer[flatSet]
)

// flatSet is what decodeFlat looks records up in: the templates by prefix,
// and the prefix lengths there are.
type flatSet struct {
	byPrefix map[string]*flatTemplate
	lens     []int
}

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
	} else {
		t = makeFlat(reflect.TypeOf(v))
		flatByType.Store(e.typ, t)
		if t != nil {
			learnFlat(t)
		}
	}
	if t == nil || (t.ptr && e.data == nil) {
		return nil
	}
	return t
}

// makeFlat makes the template of rt, or returns nil if rt is not flat or
// fails the checks described at flatTemplate.
func makeFlat(rt reflect.Type) *flatTemplate {
	p := planFor(rt)
	sp := p
	if p.kind == pPtr && p.err == nil {
		sp = p.elem
	}
	if p.err != nil || sp.err != nil || sp.kind != pStruct || p.isErr || sp.isErr || len(sp.fields) > maxFlatFields {
		return nil
	}
	t := &flatTemplate{rt: rtypeOf(rt), elem: rtypeOf(sp.t), ptr: p != sp}
	suffix := 0 // bytes of the zero value's field nodes
	for _, f := range sp.fields {
		sf := sp.t.Field(f.index)
		ff := flatField{off: sf.Offset, kind: sf.Type.Kind()}
		switch ff.kind {
		case reflect.Bool:
			ff.node, suffix = kBool, suffix+2
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			ff.node, suffix = kInt, suffix+2
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			ff.node, suffix = kUint, suffix+2
		case reflect.Float32, reflect.Float64:
			ff.node, suffix = kFloat, suffix+9
		case reflect.String:
			ff.node, suffix = kString, suffix+2
		default:
			return nil
		}
		if !flatPlanKind(f.plan.kind, ff.node) {
			return nil
		}
		t.fields = append(t.fields, ff)
	}
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
	if err != nil || suffix >= len(full) {
		return nil
	}
	t.prefix = full[: len(full)-suffix : len(full)-suffix]
	if got, _ := t.append(nil, zv); string(got) != string(full) {
		return nil
	}
	// The limits DecodeRecord needs for this type's records.
	for d := 1; d <= 8 && t.depth == 0; d++ {
		if rec, err := DecodeRecord(full, WithMaxDepth(d)); err == nil {
			t.depth = d
			rec.Release()
		}
	}
	for k := 1; k <= 2*maxFlatFields+16 && t.elements == 0; k++ {
		if rec, err := DecodeRecord(full, WithMaxElements(k)); err == nil {
			t.elements = k
			rec.Release()
		}
	}
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

// flatPlanKind reports whether a field planned as k is written as a node
// of kind n (see encoder.value).
func flatPlanKind(k planKind, n kind) bool {
	switch k {
	case pBool:
		return n == kBool
	case pInt:
		return n == kInt
	case pUint:
		return n == kUint
	case pFloat:
		return n == kFloat
	case pString:
		return n == kString
	}
	return false
}

// learnFlat adds t to the templates decodeFlat reads by.
func learnFlat(t *flatTemplate) {
	flatMu.Lock()
	defer flatMu.Unlock()
	old := flatDecoders.Load()
	next := &flatSet{byPrefix: map[string]*flatTemplate{}}
	if old != nil {
		for k, v := range old.byPrefix {
			next.byPrefix[k] = v
		}
		next.lens = append(next.lens, old.lens...)
	}
	if _, dup := next.byPrefix[string(t.prefix)]; dup {
		return
	}
	next.byPrefix[string(t.prefix)] = t
	found := false
	for _, l := range next.lens {
		found = found || l == len(t.prefix)
	}
	if !found {
		next.lens = append(next.lens, len(t.prefix))
	}
	flatDecoders.Store(next)
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
		b = make([]byte, 0, len(t.prefix)+10*len(t.fields)+16)
	}
	b = append(b, t.prefix...)
	for _, f := range t.fields {
		p := unsafe.Add(base, f.off)
		b = append(b, byte(f.node))
		switch f.kind {
		case reflect.Bool:
			b = append(b, byte(b2u(*(*bool)(p))))
		case reflect.Int:
			b = binary.AppendVarint(b, int64(*(*int)(p)))
		case reflect.Int8:
			b = binary.AppendVarint(b, int64(*(*int8)(p)))
		case reflect.Int16:
			b = binary.AppendVarint(b, int64(*(*int16)(p)))
		case reflect.Int32:
			b = binary.AppendVarint(b, int64(*(*int32)(p)))
		case reflect.Int64:
			b = binary.AppendVarint(b, *(*int64)(p))
		case reflect.Uint:
			b = binary.AppendUvarint(b, uint64(*(*uint)(p)))
		case reflect.Uint8:
			b = binary.AppendUvarint(b, uint64(*(*uint8)(p)))
		case reflect.Uint16:
			b = binary.AppendUvarint(b, uint64(*(*uint16)(p)))
		case reflect.Uint32:
			b = binary.AppendUvarint(b, uint64(*(*uint32)(p)))
		case reflect.Uint64:
			b = binary.AppendUvarint(b, *(*uint64)(p))
		case reflect.Float32:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(*(*float32)(p))))
		case reflect.Float64:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(*(*float64)(p)))
		case reflect.String:
			b = appendString(b, *(*string)(p))
		}
	}
	return b, true
}

// decodeFlat is flatrec.Decode.
func decodeFlat(b []byte, lim flatrec.Limits) (any, bool) {
	set := flatDecoders.Load()
	if set == nil {
		return nil, false
	}
	var t *flatTemplate
	for _, l := range set.lens {
		if len(b) >= l {
			if t = set.byPrefix[string(b[:l])]; t != nil {
				break
			}
		}
	}
	if t == nil {
		return nil, false
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
	for _, f := range t.fields {
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
		if n <= 0 {
			return nil, false
		}
		switch f.kind {
		case reflect.Int:
			*(*int)(at) = int(x)
		case reflect.Int8:
			if int64(int8(x)) != x {
				return nil, false
			}
			*(*int8)(at) = int8(x)
		case reflect.Int16:
			if int64(int16(x)) != x {
				return nil, false
			}
			*(*int16)(at) = int16(x)
		case reflect.Int32:
			if int64(int32(x)) != x {
				return nil, false
			}
			*(*int32)(at) = int32(x)
		case reflect.Int64:
			*(*int64)(at) = x
		}
		return p[n:], true
	case kUint:
		x, n := binary.Uvarint(p)
		if n <= 0 {
			return nil, false
		}
		switch f.kind {
		case reflect.Uint:
			*(*uint)(at) = uint(x)
		case reflect.Uint8:
			if uint64(uint8(x)) != x {
				return nil, false
			}
			*(*uint8)(at) = uint8(x)
		case reflect.Uint16:
			if uint64(uint16(x)) != x {
				return nil, false
			}
			*(*uint16)(at) = uint16(x)
		case reflect.Uint32:
			if uint64(uint32(x)) != x {
				return nil, false
			}
			*(*uint32)(at) = uint32(x)
		case reflect.Uint64:
			*(*uint64)(at) = x
		}
		return p[n:], true
	case kFloat:
		if len(p) < 8 {
			return nil, false
		}
		x := math.Float64frombits(binary.LittleEndian.Uint64(p))
		if f.kind == reflect.Float32 {
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
