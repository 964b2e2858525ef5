package jsrec

import "math/big"

// Kind is what a Reader's Node is, in JavaScript's terms.
type Kind uint8

// The kinds of Node.
const (
	Undefined Kind = iota + 1
	Null
	Bool   // Node.Bool
	Number // Node.Num
	BigInt // Node.Big
	String // Node.Str (WTF-8)
	// Boxed is a Boolean, Number, String or BigInt wrapper object: Node.Box
	// says which of Bool, Number, String or BigInt, and the primitive is in
	// the Node's field for that kind. It has an ID.
	Boxed
	// Date: Node.Num is the time value in milliseconds since the epoch
	// (NaN for an invalid date). It has an ID.
	Date
	// RegExp: Node.Str is the source, Node.Flags the flags. It has an ID.
	RegExp
	// ArrayBuffer: Node.Bytes are its bytes, fresh for the receiver (a
	// transferred buffer's moved bytes, or a copy). It has an ID.
	ArrayBuffer
	// TypedArray: Node.Elem, Node.Offset (bytes) and Node.Length
	// (elements); exactly one child follows: its buffer (an ArrayBuffer or
	// a Ref to one). It has an ID.
	TypedArray
	// DataView: Node.Offset and Node.Length (bytes); one child follows,
	// its buffer. It has an ID.
	DataView
	// Array: Node.Length is the array's length. If Node.Dense, Node.Count
	// values follow, the elements 0..Count-1 (Count == Length). Otherwise
	// Node.Count entries follow, each a String node (the property key: an
	// array index in canonical form, or another property name) and then
	// the value, in the order the properties were serialized; indices
	// below Length that have no entry are holes. It has an ID.
	Array
	// Object: Node.Count entries follow, each a String node (the key) and
	// the value. A Go struct reads as an Object keyed by its field names as
	// written, a Go map with string keys as an Object in key order. It has
	// an ID.
	Object
	// Map: Node.Count entries follow, each a key and a value. It has an ID.
	Map
	// Set: Node.Count values follow. It has an ID.
	Set
	// Error: Node.Str is the name, Node.Message the message (an own
	// message property only if Node.HasMessage), Node.Stack the stack (may
	// be empty); if Node.HasCause, one child follows: the cause.
	// It has an ID.
	Error
	// Blob: Node.Str is the type, Node.Bytes the contents. File adds
	// Node.Name and Node.Num (lastModified, ms since the epoch). Both have
	// an ID.
	Blob
	File
	// Ref is a reference to an earlier node with an ID: Node.ID is that ID.
	Ref
	// External is a transferred platform object (a MessagePort): Node.Slot
	// is its index among the record's external transfer slots.
	External
)

// Node is one value of a Record as a Reader yields it. Containers are
// followed by their children in pre-order.
type Node struct {
	Kind       Kind
	Bool       bool
	Num        float64
	Big        *big.Int
	Str        string // String's value, RegExp's source, Error's name, Blob's type
	Flags      string // RegExp
	Message    string // Error
	HasMessage bool   // Error: it has an own message property (Message, perhaps "")
	Stack      string // Error
	HasCause   bool   // Error
	Name       string // File
	Bytes      []byte // ArrayBuffer, Blob, File
	Box        Kind   // Boxed: Bool, Number, String or BigInt
	Elem       uint8  // TypedArray: a messages.ElementKind
	Offset     int    // TypedArray, DataView: byte offset
	Length     int    // TypedArray: elements; DataView: bytes; Array: length
	Count      int    // Array, Object, Map, Set: how many children (entries) follow
	Dense      bool   // Array: Count values, no keys
	ID         int    // an identity-bearing node's ID (>= 0), or the target of a Ref; -1 otherwise
	Slot       int    // External
}

// Reader walks a Record in pre-order. Next returns the next node; after
// the last node of the value it returns io.EOF. A Record whose contents a
// JavaScript realm cannot represent (a Go complex number, a protobuf
// message, a value marshaled by its Go type, a Go map whose keys are not
// strings nor cloneable as Map keys is still read, as a Map) gives an
// error that names the kind and the path. Go integers read as Number when
// their value fits in 2^53 exactly (|v| <= 2^53) and as BigInt otherwise;
// Go pointers are transparent (the pointee, with the pointer's identity);
// Go slices, arrays and packed slices read as dense Arrays, []byte as a
// Uint8Array over a fresh ArrayBuffer; time.Time as Date (the zero time as
// an invalid Date); Go maps with string keys (or none) as Objects;
// messages.Object, Map, Set, ArrayBuffer, TypedArray, DataView, Error,
// RegExp, Blob and File as their kinds. After an error or io.EOF, Next
// returns it again. Every ID that a Ref names was given earlier by a node of
// the same value. IDs are the Reader's own numbering (every node that is
// an object in JavaScript gets one, in order), not the record's. A Blob's
// or File's Bytes may be the record's own (they are immutable); other
// Bytes are the receiver's. A record's transferred ArrayBuffers are
// claimed by NewReader (as by Deserialize): a second Reader, or a
// Deserialize, of the same record then fails, also after a failed read.
type Reader interface {
	Next() (Node, error)
	// Release hands the record back (messages.Record.Release) once read.
	Release()
}

// Writer builds a Record node by node in pre-order, for a JavaScript
// realm's serializer. Identity-bearing values return their ID, which a
// later Ref names. Containers are closed by End. Finish checks that every
// container was closed and returns the *messages.Record; Abort drops what
// was written. Limits are the defaults records are decoded with: nesting
// deeper than messages.DefaultMaxDepth, more than
// messages.DefaultMaxElements nodes, or more than messages.DefaultMaxBytes
// of strings and copied bytes (moved transferred bytes do not count) make
// Finish fail with an error matching messages.ErrDataClone and
// messages.ErrLimitExceeded, with the path where the limit was crossed. Misuse (End
// without an open container, a value where a Key is due, a Ref to an ID
// not returned before, an External slot at or beyond the count given to
// SetTransferred, containers left open) never panics: Finish returns an
// error matching messages.ErrDataClone. The returned IDs are the record's
// object ids, which Deserialize uses for references, except a transferred
// ArrayBuffer's, which is 1<<30 plus its slot. After Finish or Abort the
// Writer is spent.
type Writer interface {
	Undefined()
	Null()
	Bool(b bool)
	Number(f float64)
	BigInt(b *big.Int)
	String(s string) // WTF-8
	// Boxed writes a wrapper object of v (bool, float64, string or
	// *big.Int).
	Boxed(v any) int
	Date(ms float64) int
	RegExp(source, flags string) int
	// ArrayBuffer writes a buffer with the bytes b (the Record keeps b:
	// pass a copy).
	ArrayBuffer(b []byte) int
	// TransferredArrayBuffer writes a reference to the ArrayBuffer at the
	// given transfer slot (its position among the transfer list's
	// ArrayBuffers); SetTransferred gives the moved bytes. It has an ID.
	TransferredArrayBuffer(slot int) int
	BeginTypedArray(elem uint8, byteOffset, length int) int // then the buffer, then End
	BeginDataView(byteOffset, byteLength int) int           // then the buffer, then End
	BeginArray(length int) int                              // then Key/value entries, then End
	BeginObject() int                                       // then Key/value entries, then End
	Key(k string)                                           // a property key inside Array or Object
	BeginMap() int                                          // then key, value, ..., then End
	BeginSet() int                                          // then values, then End
	// BeginError writes an Error: message is its own message property
	// if hasMessage, and there is none otherwise (the standard's
	// [[Message]] undefined). With hasCause, the cause follows, then End.
	BeginError(name, message, stack string, hasMessage, hasCause bool) int
	Blob(typ string, b []byte) int
	File(typ string, b []byte, name string, lastModified float64) int
	Ref(id int)
	External(slot int)
	End()
	// SetTransferred moves the bytes of the transfer list's ArrayBuffers
	// into the Record, in slot order, and sets the number of external
	// slots (the transfer list's MessagePorts).
	SetTransferred(buffers [][]byte, externals int)
	Finish() (any, error)
	Abort()
}

// NewWriter returns an empty Writer. Set by package messages.
var NewWriter func() Writer

// NewReader returns a Reader of rec (a *messages.Record); transferred are
// the objects of its external slots, which External nodes name by index.
// Set by package messages.
var NewReader func(rec any) (Reader, error)
