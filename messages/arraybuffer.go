package messages

// Transferable is a value whose ownership moves to the receiver when it is
// listed in a transfer list: after a successful Serialize or StructuredClone
// the sender's object is detached and the receiver gets a new object that
// owns the state. *ArrayBuffer implements it, and so do types of other
// packages (e.g. *ports.MessagePort), which this package treats as
// "external" transferables: it records where they occur in the value, and
// the package that owns them performs their transfer.
type Transferable interface {
	// Detached reports whether the object was transferred away (or is
	// otherwise unusable) and so cannot be transferred again.
	Detached() bool
}

// ArrayBuffer is the web's ArrayBuffer: a fixed-length block of bytes that
// can be copied by a clone or moved by a transfer.
//
// An ArrayBuffer has a single owner. It is not safe for concurrent use, but
// it may be handed to another goroutine after a happens-before edge (a
// channel send, an actor message), which is what a transfer does.
//
// Once detached (listed in the transfer list of a successful Serialize or
// StructuredClone), ByteLength returns 0, Bytes returns nil and Detached
// returns true, for good; the bytes now belong to the receiver's new
// ArrayBuffer. A detached buffer cannot be cloned or transferred again.
//
// The sharp edge of transfer: any slice the sender kept (the slice passed to
// NewArrayBuffer, or an earlier Bytes result) still points at the bytes the
// receiver now owns. Using it after the transfer is a data race.
type ArrayBuffer struct {
	data     []byte
	detached bool
}

var _ Transferable = (*ArrayBuffer)(nil)

// NewArrayBuffer returns an ArrayBuffer that takes ownership of b (no copy).
// The caller must not use b afterwards except through the buffer. A nil b
// gives an empty buffer.
func NewArrayBuffer(b []byte) *ArrayBuffer {
	return &ArrayBuffer{data: b[:len(b):len(b)]}
}

// ByteLength returns the length in bytes, or 0 once detached.
func (b *ArrayBuffer) ByteLength() int { return len(b.data) }

// Bytes returns the buffer's bytes (not a copy: writes go to the buffer),
// or nil once detached. The slice must not be used after the buffer has
// been transferred.
func (b *ArrayBuffer) Bytes() []byte { return b.data }

// Detached reports whether the buffer was transferred away.
func (b *ArrayBuffer) Detached() bool { return b.detached }

// detach moves the bytes out and marks the buffer detached.
func (b *ArrayBuffer) detach() []byte {
	d := b.data
	b.data = nil
	b.detached = true
	return d
}
