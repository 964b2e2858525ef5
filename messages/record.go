package messages

import (
	"sync"
	"sync/atomic"
	"time"
)

// Record is the realm-independent result of Serialize: the serialization
// record and transfer data holders of the HTML Standard in one value. It is
// a flat list of nodes in pre-order plus arenas (strings, byte payloads,
// times, protobuf messages) and the bytes of the transferred ArrayBuffers.
//
// A Record is immutable after Serialize or DecodeRecord, except that
// Deserialize hands the transferred ArrayBuffers to its result exactly once.
// A Record without transferred ArrayBuffers may be deserialized any number
// of times, also concurrently; one with transferred ArrayBuffers may be
// deserialized successfully once (later calls fail with an error matching
// ErrDataClone), and must not be deserialized concurrently with
// MarshalBinary.
//
// The zero Record is empty: Deserialize fails on it and UnmarshalBinary
// fills it.
type Record struct {
	nodes   []node
	strs    []string
	blobs   [][]byte
	ifaces  []any // in-memory only: scalars as the sender boxed them
	times   []time.Time
	protos  []protoEntry
	xfer    [][]byte    // moved bytes of the transferred ArrayBuffers, in list order
	types   []*wireType // decoded records only: the record's type table
	nobj    int         // number of object ids (identity-carrying nodes)
	ext     int         // number of external transfer slots
	size    int         // ByteSize
	budget  int64       // decoded records: allocation budget of Deserialize; <0 none
	claimed atomic.Bool // transferred buffers handed out
	decoded bool        // built by DecodeRecord: ids refer to types, not plans
	private bool        // owned by StructuredClone: payloads may be handed out

	// scratch space kept with pooled (private) records
	scratchMem  map[memKey]uint32
	scratchObjs []any
	scratchDec  decodeScratch // DecodeRecord's working space

	inlineNodes  [2]node
	inlineStrs   [1]string
	inlineIfaces [1]any
}

// ExternalCount returns the number of transfer-list entries that are not
// *ArrayBuffer (external transferables such as ports), in list order; the
// record refers to them as slots 0..ExternalCount()-1, and Deserialize
// fills them from WithTransferred.
func (r *Record) ExternalCount() int { return r.ext }

// ByteSize estimates the record's size in bytes: the payload (string bytes,
// byte slices, ArrayBuffers including transferred ones, marshaled and
// protobuf payloads) plus 8 bytes per node. It is computed once, during
// Serialize or DecodeRecord.
func (r *Record) ByteSize() int { return r.size }

// node is one value (or one container header) of a record. Children follow
// their parent in pre-order; childCount says how many.
type node struct {
	kind  kind
	flags uint8  // element kind (kPacked, kTypedArray), sign (kBigInt), method (kBinary)
	typ   uint32 // type at an interface position; 0: the kind's natural type
	n     uint32 // count (containers), length (kPacked, views)
	box   uint32 // in-memory: 1 + index into ifaces, 0: none
	x     uint64 // payload: bits, arena index, slot, object id, offset
}

const nodeOverhead = 8 // per node, in ByteSize

type kind uint8

// Node kinds. The values are part of the binary format and never change.
const (
	kInvalid     kind = iota
	kUndefined        // Undefined
	kNull             // nil
	kBool             // x: 0 or 1
	kInt              // x: int64 bits
	kUint             // x: uint64
	kFloat            // x: float64 bits
	kComplex          // 2 kFloat children
	kString           // x: strs index
	kBytes            // x: blobs index
	kPacked           // x: blobs index, n: length, flags: reflect.Kind of the elements
	kBigInt           // x: blobs index (magnitude), flags: 1 if negative; object
	kTime             // x: times index
	kRegExp           // 2 kString children: source, flags
	kError            // 3 children: name (kString), message (kString, or kUndefined: none), stack (kString); object
	kSlice            // n children
	kArray            // n children
	kGoMap            // n key/value pairs; object
	kStruct           // x: struct shape (plan id or type-table id), n fields
	kPointer          // 1 child; object
	kObject           // n key (kString)/value pairs; object
	kMap              // n key/value pairs; object
	kSet              // n children; object
	kArrayBuffer      // x: blobs index; object
	kTransferred      // x: transfer slot (ArrayBuffer)
	kTypedArray       // flags: ElementKind, x: byte offset, n: length; 1 buffer child; object
	kDataView         // x: byte offset, n: byte length; 1 buffer child; object
	kExternal         // x: external slot
	kProto            // x: protos index; object
	kBinary           // x: blobs index, flags: marshal method
	kRef              // x: object id of an earlier node
	// Format version 2 adds the kinds of JavaScript values:
	kJSArray    // x: length, n entries: key (kString)/value pairs; object
	kBoxed      // 1 child: the primitive (kBool, kFloat, kString, kBigInt); object
	kDate       // x: float64 bits of the time value in ms (NaN: invalid); object
	kJSRegExp   // 2 kString children: source, flags; object
	kErrorCause // 4 children: name, message, stack (as kError's), cause; object
	kBlob       // x: blobs index; 1 kString child: type; object
	kFile       // x: blobs index; children: type, name (kString), lastModified (kFloat); object
	kMax
)

var kindNames = [...]string{"invalid", "undefined", "null", "bool", "int", "uint", "float", "complex",
	"string", "bytes", "packed", "bigint", "time", "regexp", "error", "slice", "array", "map",
	"struct", "pointer", "object", "Map", "Set", "ArrayBuffer", "transferred ArrayBuffer",
	"typed array", "DataView", "transferred object", "protobuf message", "marshaled value", "reference",
	"Array", "primitive wrapper", "Date", "RegExp object", "Error with cause", "Blob", "File"}

func (k kind) String() string {
	if k < kMax {
		return kindNames[k]
	}
	return "unknown"
}

// childCount returns how many nodes follow n as its direct children.
func childCount(n *node) int {
	switch n.kind {
	case kComplex, kRegExp, kJSRegExp:
		return 2
	case kError, kFile:
		return 3
	case kErrorCause:
		return 4
	case kJSArray:
		return 2 * int(n.n)
	case kBoxed, kBlob:
		return 1
	case kSlice, kArray, kSet, kStruct:
		return int(n.n)
	case kGoMap, kMap, kObject:
		return 2 * int(n.n)
	case kPointer, kTypedArray, kDataView:
		return 1
	}
	return 0
}

// hasIdentity reports whether a node of kind k takes an object id.
func hasIdentity(k kind) bool {
	switch k {
	case kGoMap, kPointer, kObject, kMap, kSet, kArrayBuffer, kTypedArray, kDataView, kError, kBigInt, kProto,
		kJSArray, kBoxed, kDate, kJSRegExp, kErrorCause, kBlob, kFile:
		return true
	}
	return false
}

func newRecord() *Record {
	r := &Record{budget: -1}
	r.nodes = r.inlineNodes[:0]
	r.strs = r.inlineStrs[:0]
	r.ifaces = r.inlineIfaces[:0]
	return r
}

var recordPool = sync.Pool{New: func() any { return newRecord() }}

// Release hands r's memory back for reuse by a later Serialize or
// DecodeRecord. Call it once r will not be used again, after its last
// Deserialize or MarshalBinary: after Release, r is empty and belongs to
// the pool, and
// using it (or releasing it again) is a bug. Values already deserialized
// from r are not affected: they share nothing mutable with it. Releasing
// is optional; a record that is not released is collected as usual. The
// ports package releases each message's record once it is delivered.
func (r *Record) Release() {
	if r == nil || r.private {
		return
	}
	releaseRecord(r)
}

// releaseRecord resets a record and returns it to the pool.
func releaseRecord(r *Record) {
	if cap(r.nodes) > 1<<16 || cap(r.strs) > 1<<16 || cap(r.ifaces) > 1<<16 || len(r.scratchMem) > 1<<12 {
		return // let big ones go
	}
	r.nodes = r.nodes[:0]
	clear(r.strs)
	r.strs = r.strs[:0]
	clear(r.ifaces)
	r.ifaces = r.ifaces[:0]
	clear(r.blobs)
	r.blobs = r.blobs[:0]
	clear(r.times)
	r.times = r.times[:0]
	clear(r.protos)
	r.protos = r.protos[:0]
	clear(r.xfer)
	r.xfer = r.xfer[:0]
	r.types = nil
	clear(r.scratchMem)
	clear(r.scratchObjs)
	r.scratchObjs = r.scratchObjs[:0]
	r.nobj, r.ext, r.size, r.budget = 0, 0, 0, -1
	r.claimed.Store(false)
	r.decoded, r.private = false, false
	recordPool.Put(r)
}
