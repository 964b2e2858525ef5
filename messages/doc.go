// Package messages is the structured clone of the web (HTML Standard, "Safe
// passing of structured data") for Go values: a deep copy through a
// realm-independent record, with transfer of ArrayBuffers and of other
// packages' transferables, and a versioned binary form of the record for
// other nodes.
//
// # Mapping to the HTML Standard
//
//	web platform                               here
//	StructuredSerializeWithTransfer            Serialize (returns a *Record)
//	StructuredDeserializeWithTransfer          Deserialize (WithTransferred adopts ports etc.)
//	structuredClone(value, {transfer})         StructuredClone
//	serialization record + transfer holders    Record (MarshalBinary / DecodeRecord across nodes)
//	ArrayBuffer (Transferable)                 *ArrayBuffer; detached after a transfer
//	Int8Array ... BigUint64Array, Float16Array *TypedArray with an ElementKind
//	DataView                                   *DataView
//	Transferable platform objects (ports)      Transferable; "external" slots, see ExternalCount
//	plain Object / Array                       *Object (ordered keys), []any, map[string]any
//	Map, Set                                   *Map, *Set (insertion order, SameValueZero keys)
//	undefined, null                            Undefined, nil
//	Error (name, message, stack, cause)        *Error
//	RegExp (source, flags)                     RegExp
//	BigInt, Date                               *big.Int, time.Time
//	Blob, File                                 *Blob, *File
//	DataCloneError, InvalidStateError          *DataCloneError / ErrDataClone, ErrInvalidState
//
// # What clones, and how
//
// A clone has the same Go types as the original: *T gives a new *T, T gives
// T. Cloned are bools, every int, uint, float and complex kind, strings,
// []byte, slices, arrays, maps (keys and values), structs (their exported
// fields), pointers, interfaces holding any of these, named types (type
// Celsius float64 stays Celsius), time.Time, *big.Int (and big.Int), the
// dynamic values above, protobuf messages and values of types that opt in.
// The result shares no mutable memory with the original, except the bytes
// of transferred ArrayBuffers. Strings are not copied: Go strings are
// immutable. Scalars in interfaces keep their interface boxes, which are
// immutable too.
//
//   - Opting in: a type whose value or pointer implements
//     encoding.BinaryMarshaler and whose pointer implements
//     encoding.BinaryUnmarshaler is cloned through them (gob.GobEncoder and
//     GobDecoder are used when the binary pair is missing). This is how a
//     type with unexported fields becomes cloneable. Methods promoted from
//     an embedded field do not count, since they would marshal only the
//     embedded part; methods the type declares itself do, also when it
//     embeds a type that has them (such as time.Time).
//   - Unexported fields: a struct with an unexported field of non-zero size
//     cannot be cloned (a DataCloneError naming the field), because the
//     field would be lost. Blank fields (_) and zero-size unexported fields
//     such as noCopy markers are skipped: they hold nothing.
//   - Protobuf messages (pointers to generated types) are cloned with
//     proto.Clone in memory and travel as their bytes plus full name, which
//     the receiving node resolves through protoregistry.GlobalTypes.
//     Message structs held by value are refused.
//   - time.Time keeps the instant, the wall clock and the location: in
//     memory the *time.Location itself (locations are immutable), across
//     nodes its name and the offset in force (UTC and Local map to the
//     receiver's time.UTC and time.Local, other names are loaded from the
//     receiver's time zone database when it agrees on the offset, else a
//     fixed zone of that name and offset is used). The monotonic clock
//     reading is dropped, as by t.Round(0).
//   - Errors: an error value whose type clones structurally keeps its type.
//     Any other error in an error or any position (one made by errors.New
//     or fmt.Errorf, whose fields are unexported) becomes an *Error with
//     Name "Error" and Message err.Error(); its chain (errors.Unwrap) is
//     not kept. The same happens to an error of a structurally cloneable
//     type whose value holds something that cannot be cloned for its type
//     (a func, or a value with unexported fields such as the reflect.Type
//     of a *DataCloneError, in an interface field). Other failures inside
//     an error stay DataCloneErrors: a detached ArrayBuffer, a transferable
//     missing from the transfer list, a value nested too deep. *Error
//     itself keeps Message and Stack and keeps Name only when it is a
//     standard error name.
//   - Floats keep NaN and the sign of -0 exactly (NaN payloads may change).
//   - Undefined is a zero-size value of type UndefinedType, distinct from
//     nil (null); storing it in an interface does not allocate.
//
// Not cloneable, as a *DataCloneError with the path and the Go type: funcs,
// channels, unsafe.Pointer and uintptr (as types: a nil func field, or an
// empty []func(), is refused too), a detached ArrayBuffer anywhere in the
// value, a view over a detached buffer or out of bounds, a struct with
// unexported fields, and a transferable of another package that is not in
// the transfer list. Map keys that cannot be cloned are reported with the
// map's path. Nothing is detached when cloning fails.
//
// # Identity, aliases and slices
//
// Pointers, maps, *Object, *Map, *Set, *ArrayBuffer, views, *Error,
// *big.Int, *Blob and *File keep their identity: two references to one object come out as
// two references to one new object, and cycles stay cycles (a map may
// contain itself through an any, an Object may contain itself). Identity is
// per Go type: &s and &s.First, or a map and the same map converted to a
// named map type, become separate objects.
//
// Slices have no identity: each slice is copied on its own, so two slices
// over one array no longer share memory after the clone, and a slice that
// reaches itself (through an interface) never ends; it fails when the value
// is nested deeper than DefaultMaxDepth. A value that holds one slice in
// many places is copied that many times. nil stays nil: nil slices, maps,
// pointers and interfaces (typed nils too) are not turned into empty values.
//
// # Values between Go and JavaScript
//
// A JavaScript realm (package actors/script) serializes its values into
// the same Record and reads any Record back, so a value crosses between Go
// and JavaScript, in one process or across nodes, by this one table:
//
//	JavaScript                    Go (Deserialize)                 Go value read by a realm
//	undefined, null               Undefined, nil                   undefined, null
//	boolean, string               bool, string (WTF-8, see below)  boolean, string
//	number                        float64 (-0 and NaN kept)        float32, float64: number
//	                                                               ints: number if |v| <= 2^53, else bigint
//	bigint                        *big.Int                         *big.Int, big.Int: bigint
//	Boolean/Number/String/BigInt  bool, float64, string, *big.Int  (no Go form)
//	  wrapper objects             (the primitive)
//	Array                         []any: holes are Undefined,      slices, arrays, packed slices: Array
//	                              other properties dropped         (dense); []byte: Uint8Array over a
//	                                                               new ArrayBuffer
//	plain object                  *Object (keys in order)          *Object; struct: object keyed by its
//	                                                               field names as written; map with
//	                                                               string keys (or empty): object
//	Map, Set                      *Map, *Set                       *Map, *Set; other Go maps: Map
//	Date                          time.Time in UTC (time.UnixMilli; time.Time: Date (whole ms; the zero
//	                              an invalid Date: the zero time)  time or out of range: invalid Date)
//	RegExp                        RegExp                           RegExp
//	Error (name, message, stack,  *Error (Cause)                   *Error
//	  cause)
//	ArrayBuffer, views            *ArrayBuffer, *TypedArray,       the same kinds, sharing buffers
//	                              *DataView
//	Blob, File                    *Blob, *File                     Blob, File
//	MessagePort (transferred)     the adopted port                 the adopted port
//	(no JavaScript form)          complex numbers, protobuf        an error naming the kind and the
//	                              messages, marshaled values       path
//
// Pointers are transparent to a realm: the pointee is read, with the
// pointer's identity, so two pointers to one struct become two references
// to one object and a cycle through pointers stays a cycle. An array shared
// or reaching itself in JavaScript becomes one []any in Go, so a cycle
// stays a cycle (a []any that holds itself). Identity holds within one
// value on both sides: objects that are one object before are one object
// after.
//
// Go receivers get JavaScript values at interface positions (any, []any,
// the values of *Object, ...): a struct field of another type does not
// take a JavaScript object or array (a DataCloneError says which). A Map
// key or Set member that is an array has no Go form ([]any is not
// comparable): deserializing such a Map or Set into Go is a
// DataCloneError, while a realm reads it as it is.
//
// JavaScript strings are UTF-16 and may hold lone surrogates, which UTF-8
// cannot. They arrive in Go strings as WTF-8: valid UTF-8 where the string
// is valid UTF-16, and a lone surrogate (U+D800 to U+DFFF, unpaired) as its
// three-byte generalized UTF-8 form (0xED 0xA0..0xBF 0x80..0xBF). Such a Go
// string is not valid UTF-8 (utf8.ValidString says so and ranging over it
// gives U+FFFD), but it travels unchanged, through records, other nodes and
// back: passed to a realm again, it is the original JavaScript string.
//
// # Transfer
//
// Serialize(v, transfer...) first checks the transfer list (a nil entry, a
// duplicate, an already detached entry: a DataCloneError at "transfer[i]"),
// then serializes v, and only when that succeeded detaches every
// *ArrayBuffer of the list, moving (not copying) its bytes into the record,
// whether or not v refers to it. References to a listed buffer, or to a
// listed external transferable, are recorded as references to its slot.
// Deserialize hands the moved bytes to new *ArrayBuffer values, once.
//
// The sharp edge: a transfer moves the slice itself. Any slice the sender
// kept (the one given to NewArrayBuffer, or a Bytes result) still points at
// the bytes the receiver now owns; using it after the transfer is a data
// race.
//
// # Records and the binary format
//
// A Record is a flat list of nodes in pre-order plus arenas, computed once
// and cheap to keep in a queue (ByteSize estimates its size). MarshalBinary
// writes format version 3 (version 1 without the node kinds of JavaScript
// values: arrays with holes, wrapper objects, Dates as time values, RegExp
// and Error-with-cause objects, Blobs and Files; version 2 without an
// Error's undefined message, which tells an error with no own message
// property from one whose message is empty, both written as the empty
// string before; DecodeRecord reads all three, reads a version-1 or -2
// error's empty message as none, and a version-1 record holding the
// JavaScript kinds is corrupt): the version byte, a type table, the moved bytes
// of transferred buffers, the number of external slots, and the nodes.
// Types are named in the table, never identified by Go pointers or
// reflect.Type: named types by their registered name (Register), or, when
// unregistered, by their package path and name; protobuf messages by their
// full name; unnamed composite types ([]T, map[K]V, [N]T, *T, struct{...})
// structurally; the built-in values have fixed encodings.
//
// Compatibility rule: a decoder reads only the versions it knows (an
// unknown version byte is an error); within a version, struct fields are
// matched by name, fields the receiver's type lacks are skipped and fields
// the record lacks keep their zero value, and numbers may move between
// integer types of any width and signedness when the value fits (float32
// and float64, complex64 and complex128 too), also as the elements of
// slices and arrays. So nodes running
// different builds can talk as long as they register their types under the
// same names. A named type only needs registering where it sits at an
// interface position (the root, an any or error field, an element of []any,
// ...), alone or inside an unnamed type there (the key type of a
// map[Key]int held in an any): elsewhere the receiver's own field types
// say what to build. A name
// the receiver has not registered is an error matching ErrDataClone that
// says which name to register.
//
// # Decode limits
//
// DecodeRecord and UnmarshalBinary never panic and never allocate without
// bound: every length is checked against the remaining input before
// anything is allocated, and the record must stay within the limits, which
// are options: WithMaxDepth (default DefaultMaxDepth, 10000 levels),
// WithMaxBytes (default DefaultMaxBytes, 64 MiB of input) and
// WithMaxElements (default DefaultMaxElements, 2^20 nodes and type
// entries). Deserialize of a decoded record allocates at most 16 times the
// WithMaxBytes limit, and at most about 32 times the record's own size
// plus 1 MiB, so a few hostile bytes cannot make it allocate much.
// Exceeding a limit is an error matching both ErrDataClone and
// ErrLimitExceeded; malformed input matches ErrDataClone and
// ErrCorruptRecord. Deserialize of a decoded record checks every node
// against the Go types it builds and reports mismatches as DataCloneErrors.
// At most 4096 distinct composite types are ever built with reflect from
// records, since Go never frees them.
//
// # Concurrency
//
// Serialize reads the value; the caller must not change it concurrently.
// A Record is immutable: it may be deserialized and marshaled from several
// goroutines, except that the one Deserialize that takes transferred
// buffers must not race with MarshalBinary. ArrayBuffer, Object, Map and
// Set are single-owner values without locks; hand them over with a
// happens-before edge (a channel send, an actor message), as a transfer
// does. Register and the type caches are safe for concurrent use.
//
// # Differences from browsers
//
//   - Values are Go values: structs, typed slices and maps, and named types
//     keep their Go types instead of becoming plain objects.
//   - Slices are not objects: no identity, no holes, no extra properties
//     (a JavaScript array arrives as a []any, see above).
//   - Object keeps insertion order for every key; the web lists integer-like
//     keys first, in numeric order.
//   - There are no getters, prototypes, symbols or non-enumerable
//     properties, so none of their rules apply; errors in the transfer list
//     are reported before serializing rather than after.
//   - Map and Set keys compare by Go type and value (1 and 1.0 are
//     different keys), with NaN equal to NaN and -0 equal to +0.
//   - ArrayBuffers are not resizable; there is no SharedArrayBuffer.
//   - Error keeps Name, Message, Stack and Cause; other properties are not
//     kept. A realm's error without an own message property and one whose
//     message is the empty string stay apart in the record; a Go *Error
//     holds both as Message "", and one with Message "" reaches a realm
//     without an own message.
//   - Blob and File are immutable: a clone may share their bytes.
//   - StructuredClone cannot transfer external transferables (no context
//     to adopt them): that is a DataCloneError, not a silent drop.
package messages
