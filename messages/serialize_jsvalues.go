package messages

import (
	"math"
	"unsafe"
)

// Serialization of the Go values that format version 2 added kinds for:
// an *Error with a cause, *Blob and *File.

// errorCause records x, whose id is taken, with its cause.
func (e *encoder) errorCause(x *Error, id uint32) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.push(node{kind: kErrorCause, typ: id, n: 4})
	e.push(node{kind: kString, x: e.str(errorName(x.Name))})
	e.errorMessage(x.Message)
	e.push(node{kind: kString, x: e.str(x.Stack)})
	if err := e.anyValue(x.Cause, true); err != nil {
		return prependPath(err, ".cause")
	}
	e.leave()
	return nil
}

// blobValue records b (f's Blob when f is not nil). The bytes are shared
// with the record: a Blob never changes.
func (e *encoder) blobValue(b *Blob, f *File, typ uint32) error {
	if b == nil {
		e.push(node{kind: kNull, typ: typ})
		return nil
	}
	ptr, pid := unsafe.Pointer(b), idBlobPtr
	if f != nil {
		ptr, pid = unsafe.Pointer(f), idFilePtr
	}
	if e.seen(ptr, pid) {
		return nil
	}
	e.remember(ptr, pid)
	if f == nil {
		e.push(node{kind: kBlob, x: e.ownBlob(b.data)})
		e.push(node{kind: kString, x: e.str(b.typ)})
		return nil
	}
	e.push(node{kind: kFile, x: e.ownBlob(b.data)})
	e.push(node{kind: kString, x: e.str(b.typ)})
	e.push(node{kind: kString, x: e.str(f.name)})
	e.push(node{kind: kFloat, x: math.Float64bits(f.lastModified)})
	return nil
}
