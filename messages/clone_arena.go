package messages

import "unsafe"

// The direct copy of a []any costs two allocations when made one by one:
// the backing array, and the box of the slice header when the slice is
// stored at an interface position. A copy of a nested object (JSON-like
// maps and slices) makes hundreds of them, and the garbage collector pays
// for each object again. For the slices whose elements are all scalars
// (nil, strings, booleans, numbers: shared with the original, as the copy
// shares them anyway), the cloner carves both from chunks it allocates for
// the one clone instead; a slice that holds anything else gets an array
// and a box of its own.
//
// A chunk lives as long as any slice carved from it: a receiver that keeps
// one carved slice keeps its neighbours' arrays too, but those hold only
// scalars, so what stays alive is bounded: at most anyChunkMax elements
// per element chunk, and the arrays of at most hdrChunkMax slices through
// a chunk of headers. Each carved slice has its capacity cut to its
// length, so an append by the receiver moves it to a new array and never
// writes into a neighbour. A chunk grows with what the clone has carved so
// far, so a clone with one small slice allocates exactly that slice, and
// the memory left unused at the end of a clone is less than what it used.

// anyChunkMax is the most elements a chunk holds; a longer slice gets an
// array and a box of its own.
const anyChunkMax = 256

// hdrChunkMax is the most slice headers a chunk of headers holds.
const hdrChunkMax = 32

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

// box returns s, a slice carved by newAnys, as an interface value whose
// data word points into a chunk of headers; the header is never written
// again. A slice too long to be carved gets a box of its own.
func (a *anyArena) box(s []any) any {
	if len(s) >= anyChunkMax {
		return s
	}
	if len(a.hdrs) == 0 {
		a.hdrs = make([][]any, max(1, min(a.boxed, hdrChunkMax)))
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
