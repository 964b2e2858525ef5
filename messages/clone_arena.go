package messages

import "unsafe"

// The direct copy of a []any costs two allocations when made one by one:
// the backing array, and the box of the slice header when the slice is
// stored at an interface position. A copy of a nested object (JSON-like
// maps and slices) makes hundreds of them, and the garbage collector pays
// for each object again. The cloner carves both from chunks it allocates
// for the one clone instead.
//
// A chunk lives as long as any slice carved from it. Each carved slice has
// its capacity cut to its length, so an append by the receiver moves it to
// a new array and never writes into a neighbour. A chunk grows with what
// the clone has carved so far (at most anyChunkMax elements), so a clone
// with one small slice allocates exactly that slice, and the memory left
// unused at the end of a clone is less than what it used.

// anyChunkMax is the most elements a chunk holds; a longer slice gets an
// array of its own.
const anyChunkMax = 256

// anyArena is the unused rest of the cloner's current chunks.
type anyArena struct {
	elems  []any   // elements of backing arrays
	hdrs   [][]any // boxes of slice headers
	carved int     // elements carved so far: the next chunk's size
	boxed  int     // headers carved so far
}

// newAnys returns a zeroed []any of length and capacity n.
func (a *anyArena) newAnys(n int) []any {
	if n == 0 || n >= anyChunkMax {
		return make([]any, n)
	}
	if n > len(a.elems) {
		a.elems = make([]any, max(n, min(a.carved, anyChunkMax)))
	}
	s := a.elems[:n:n]
	a.elems = a.elems[n:]
	a.carved += n
	return s
}

// box returns s as an interface value whose data word points into a chunk
// of headers. The header is never written again.
func (a *anyArena) box(s []any) any {
	if len(a.hdrs) == 0 {
		a.hdrs = make([][]any, max(1, min(a.boxed, anyChunkMax)))
	}
	h := &a.hdrs[0]
	*h = s
	a.hdrs = a.hdrs[1:]
	a.boxed++
	return packAny(sliceAnyType, unsafe.Pointer(h))
}

// sliceAnyType is the runtime type of []any.
var sliceAnyType = func() unsafe.Pointer {
	var x any = []any(nil)
	return (*eface)(unsafe.Pointer(&x)).typ
}()
