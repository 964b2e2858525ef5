package messages

import "strconv"

// ElementKind is the element type of a TypedArray, one per typed-array
// constructor of the web (Int8Array, ..., BigUint64Array).
type ElementKind uint8

// The element kinds. The numeric values are part of the binary record
// format and never change.
const (
	Int8 ElementKind = iota + 1
	Uint8
	Uint8Clamped
	Int16
	Uint16
	Int32
	Uint32
	Float16
	Float32
	Float64
	BigInt64
	BigUint64
	maxElementKind = BigUint64
)

var elementNames = [...]string{"", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array",
	"Uint16Array", "Int32Array", "Uint32Array", "Float16Array", "Float32Array", "Float64Array",
	"BigInt64Array", "BigUint64Array"}

var elementSizes = [...]int{0, 1, 1, 1, 2, 2, 4, 4, 2, 4, 8, 8, 8}

// Valid reports whether k is one of the defined kinds.
func (k ElementKind) Valid() bool { return k >= Int8 && k <= maxElementKind }

// Size returns the size of one element in bytes (0 for an invalid kind).
func (k ElementKind) Size() int {
	if !k.Valid() {
		return 0
	}
	return elementSizes[k]
}

// String returns the web constructor name, e.g. "Float32Array".
func (k ElementKind) String() string {
	if !k.Valid() {
		return "ElementKind(" + strconv.Itoa(int(k)) + ")"
	}
	return elementNames[k]
}

// TypedArray is a view of elements of one kind over an ArrayBuffer (the
// web's Int8Array, ..., BigUint64Array). Elements are little-endian, as on
// every platform the web runs on. Cloning a TypedArray clones its buffer
// through the same identity map, so several views over one buffer share one
// new buffer after the clone; a view over a detached buffer, or one that
// does not fit its buffer, cannot be cloned.
type TypedArray struct {
	kind   ElementKind
	buf    *ArrayBuffer
	offset int
	length int
}

// NewTypedArray returns a view of length elements of the given kind,
// starting byteOffset bytes into buf. It fails with an error matching
// ErrRange when the kind is invalid, byteOffset is not a multiple of the
// element size, or the view does not fit in buf, and with ErrInvalidState
// when buf is nil or detached.
func NewTypedArray(kind ElementKind, buf *ArrayBuffer, byteOffset, length int) (*TypedArray, error) {
	if !kind.Valid() {
		return nil, &DOMException{Name: ErrRange.Name, Message: "invalid element kind " + kind.String()}
	}
	if err := checkView(buf, byteOffset, length, kind.Size()); err != nil {
		return nil, err
	}
	return &TypedArray{kind: kind, buf: buf, offset: byteOffset, length: length}, nil
}

func checkView(buf *ArrayBuffer, off, n, size int) error {
	if buf == nil || buf.Detached() {
		return &DOMException{Name: ErrInvalidState.Name, Message: "the view's ArrayBuffer is nil or detached"}
	}
	if off < 0 || n < 0 || off%size != 0 || n > (buf.ByteLength()-off)/size || off > buf.ByteLength() {
		return &DOMException{Name: ErrRange.Name, Message: "view offset " + strconv.Itoa(off) +
			" and length " + strconv.Itoa(n) + " do not fit the buffer of " + strconv.Itoa(buf.ByteLength()) + " bytes"}
	}
	return nil
}

// Kind returns the element kind.
func (a *TypedArray) Kind() ElementKind { return a.kind }

// Buffer returns the viewed ArrayBuffer.
func (a *TypedArray) Buffer() *ArrayBuffer { return a.buf }

// ByteOffset returns the offset of the first element in the buffer.
func (a *TypedArray) ByteOffset() int { return a.offset }

// Length returns the number of elements (the view keeps its length after
// its buffer is detached; Bytes then returns nil).
func (a *TypedArray) Length() int { return a.length }

// ByteLength returns Length times the element size.
func (a *TypedArray) ByteLength() int { return a.length * a.kind.Size() }

// Bytes returns the viewed bytes (not a copy), or nil when the buffer is
// nil, detached, or too short for the view.
func (a *TypedArray) Bytes() []byte { return viewBytes(a.buf, a.offset, a.ByteLength()) }

// DataView is an untyped view of a byte range of an ArrayBuffer (the web's
// DataView). It clones like a TypedArray.
type DataView struct {
	buf    *ArrayBuffer
	offset int
	length int
}

// NewDataView returns a view of byteLength bytes starting byteOffset bytes
// into buf. It fails with an error matching ErrRange when the range does not
// fit in buf, and ErrInvalidState when buf is nil or detached.
func NewDataView(buf *ArrayBuffer, byteOffset, byteLength int) (*DataView, error) {
	if err := checkView(buf, byteOffset, byteLength, 1); err != nil {
		return nil, err
	}
	return &DataView{buf: buf, offset: byteOffset, length: byteLength}, nil
}

// Buffer returns the viewed ArrayBuffer.
func (v *DataView) Buffer() *ArrayBuffer { return v.buf }

// ByteOffset returns the offset of the view in the buffer.
func (v *DataView) ByteOffset() int { return v.offset }

// ByteLength returns the length of the view in bytes.
func (v *DataView) ByteLength() int { return v.length }

// Bytes returns the viewed bytes (not a copy), or nil when the buffer is
// nil, detached, or too short for the view.
func (v *DataView) Bytes() []byte { return viewBytes(v.buf, v.offset, v.length) }

func viewBytes(buf *ArrayBuffer, off, n int) []byte {
	if buf == nil || buf.Detached() || off < 0 || n < 0 || off > buf.ByteLength() || n > buf.ByteLength()-off {
		return nil
	}
	return buf.data[off : off+n : off+n]
}

// viewProblem returns why a view cannot be cloned, or "".
func viewProblem(buf *ArrayBuffer, off, byteLen int) string {
	switch {
	case buf == nil:
		return "a view without an ArrayBuffer cannot be cloned"
	case buf.Detached():
		return "a view over a detached ArrayBuffer cannot be cloned"
	case off < 0 || byteLen < 0 || off > buf.ByteLength() || byteLen > buf.ByteLength()-off:
		return "an out-of-bounds view cannot be cloned"
	}
	return ""
}
