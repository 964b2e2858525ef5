package messages

import (
	"math/bits"
	"sync"
	"unsafe"
)

// identity is the direct copy's identity map: each object of the original
// (an address and its type, as the record path keys it: &s and &s.First
// differ by type) to its copy. It is an open-addressed table of its own,
// not a Go map, because a copy of a nested object remembers every map and
// pointer it meets: with a Go map, lookups and inserts were about 7% of the
// S5 burst's CPU profile; with this table and reserve, about 1.5%.
//
// The keys are held as integers: the original stays alive, and in place
// (Go's collector does not move heap objects), for the whole copy, as the
// caller holds it. The copies are held as pointers. The first object is
// kept apart, so a copy that meets one object needs no table.
type identity struct {
	first  idSlot
	slots  []idSlot  // nil, or a power of two long
	box    *[]idSlot // what the pool holds slots in (see release)
	n      int       // slots in use
	nfirst bool
}

type idSlot struct {
	p   uintptr // the original's address; 0 marks a free slot
	cp  uintptr // its copy plan
	obj unsafe.Pointer
}

// idPools keep emptied tables between copies, one pool per length from
// idMin to idMin<<(idClasses-1), so that a small copy never empties a long
// table.
var idPools [idClasses]sync.Pool

const (
	idMin     = 16
	idClasses = 7
	// idReserveMax is the most objects a map reserves room for before
	// its entries are copied: a long map of numbers remembers nothing,
	// and a table sized for it would be memory for nothing.
	idReserveMax = 512
)

// newSlots returns an empty table of n slots (a power of two, at least
// idMin), in the box the pool keeps it in.
func newSlots(n int) *[]idSlot {
	if c := bits.Len(uint(n/idMin)) - 1; c < idClasses {
		if s, ok := idPools[c].Get().(*[]idSlot); ok {
			return s
		}
	}
	s := make([]idSlot, n)
	return &s
}

// use makes box's table the one t works in.
func (t *identity) use(box *[]idSlot) { t.box, t.slots = box, *box }

func idHash(p uintptr, shift uint) uint {
	return uint((uint64(p) >> 3) * 0x9e3779b97f4a7c15 >> shift)
}

func (t *identity) seen(k memoKey) (unsafe.Pointer, bool) {
	p, cp := uintptr(k.p), uintptr(unsafe.Pointer(k.cp))
	if t.nfirst && t.first.p == p && t.first.cp == cp {
		return t.first.obj, true
	}
	if t.slots == nil {
		return nil, false
	}
	mask := uint(len(t.slots) - 1)
	shift := uint(64 - bits.Len(mask))
	for i := idHash(p, shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.p == 0 {
			return nil, false
		}
		if s.p == p && s.cp == cp {
			return s.obj, true
		}
	}
}

// remember records obj as the copy of k, which is not in the table.
func (t *identity) remember(k memoKey, obj unsafe.Pointer) {
	s := idSlot{uintptr(k.p), uintptr(unsafe.Pointer(k.cp)), obj}
	if !t.nfirst {
		t.first, t.nfirst = s, true
		return
	}
	if t.slots == nil {
		t.use(newSlots(idMin))
	}
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	t.put(s)
	t.n++
}

// reserve makes room for n more objects, so that the table does not grow
// while they are remembered one by one.
func (t *identity) reserve(n int) {
	need := t.n + n + 1 // and the first object, which may go in later
	if need*4 <= len(t.slots)*3 || n < idMin/2 {
		return
	}
	size := idMin
	for need*4 > size*3 {
		size *= 2
	}
	t.resize(size)
}

func (t *identity) put(s idSlot) {
	mask := uint(len(t.slots) - 1)
	shift := uint(64 - bits.Len(mask))
	i := idHash(s.p, shift)
	for t.slots[i].p != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

func (t *identity) grow() { t.resize(2 * len(t.slots)) }

// resize moves the table's objects into a table of size slots.
func (t *identity) resize(size int) {
	old, oldBox := t.slots, t.box
	t.use(newSlots(size))
	for _, s := range old {
		if s.p != 0 {
			t.put(s)
		}
	}
	if oldBox != nil {
		release(oldBox)
	}
}

// done empties the table and returns it to the pool; the copies it held
// are no longer reachable through it.
func (t *identity) done() {
	if t.box != nil {
		release(t.box)
	}
	*t = identity{}
}

// release empties the table in box and gives it back to its pool, in the
// same box: a pool keeps pointers, and a new box for each table given back
// was an allocation of every copy that met two objects.
func release(box *[]idSlot) {
	s := *box
	if c := bits.Len(uint(len(s)/idMin)) - 1; c >= 0 && c < idClasses {
		clear(s)
		idPools[c].Put(box)
	}
}
