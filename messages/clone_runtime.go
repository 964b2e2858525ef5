package messages

import (
	"reflect"
	"unsafe"
)

// The typed direct copy (clone_typed.go) moves values of types known only
// at run time. It uses the runtime's own typed copy and allocation
// functions, the ones package reflect uses, so that the garbage collector's
// write barriers and pointer bitmaps stay right.

//go:linkname typedmemmove reflect.typedmemmove
//go:noescape
func typedmemmove(t unsafe.Pointer, dst, src unsafe.Pointer)

//go:linkname typedslicecopy reflect.typedslicecopy
//go:noescape
func typedslicecopy(t unsafe.Pointer, dst, src sliceHeader) int

//go:linkname mapassign reflect.mapassign
//go:noescape
func mapassign(t unsafe.Pointer, m unsafe.Pointer, key, val unsafe.Pointer)

//go:linkname unsafeNew reflect.unsafe_New
func unsafeNew(t unsafe.Pointer) unsafe.Pointer

//go:linkname unsafeNewArray reflect.unsafe_NewArray
func unsafeNewArray(t unsafe.Pointer, n int) unsafe.Pointer

//go:linkname growslice reflect.growslice
func growslice(t unsafe.Pointer, old sliceHeader, num int) sliceHeader

// sliceHeader is the memory layout of a slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// eface is the memory layout of an empty interface value.
type eface struct {
	typ, data unsafe.Pointer
}

// rtypeOf returns the runtime type descriptor behind t.
func rtypeOf(t reflect.Type) unsafe.Pointer {
	return (*eface)(unsafe.Pointer(&t)).data
}

// packAny makes an interface value of type t (described by rt) whose data
// word is data: the value's address, or the value itself for pointer-shaped
// types.
func packAny(rt, data unsafe.Pointer) any {
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ, e.data = rt, data
	return x
}

// pointerShaped reports whether an interface holding a value of type t
// stores the value itself in its data word (pointers, maps, and structs
// and arrays made of one such value) rather than its address.
func pointerShaped(t reflect.Type) bool {
	z := reflect.Zero(t).Interface()
	return (*eface)(unsafe.Pointer(&z)).data == nil
}

// quiet32 stores at p the float32 there as the record path leaves it: read
// into a float64 and stored back, which quiets a signaling NaN.
func quiet32(p unsafe.Pointer) {
	f := (*float32)(p)
	if *f != *f {
		*f = float32(widen(*f))
	}
}

//go:noinline
func widen(f float32) float64 { return float64(f) }
