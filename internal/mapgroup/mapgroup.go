package mapgroup

import "unsafe"

// head mirrors the first fields of the runtime's map.
type head struct {
	used   uint64         // the number of entries
	seed   uintptr        // the hash seed
	dirPtr unsafe.Pointer // the group (dirLen 0) or the directory of tables
	dirLen int            // 0: one group
}

// Known reports whether head matches the runtime's map: checked once, at
// start-up, on maps of known shapes, down to values that only the fields
// read here hold (a directory's length, the control bytes of a group).
var Known = check()

// check reports whether head reads the runtime's maps right, on maps whose
// heads it knows.
func check() bool {
	of := func(m map[string]string) *head { return (*head)(Pointer(m)) }
	empty := make(map[string]string)
	small := map[string]string{"a": "1", "b": "2", "c": "3"}
	hinted := make(map[string]string, 1024) // two tables of 1,024 slots
	hinted["x"], hinted["y"] = "1", "2"
	grown := make(map[string]string) // one table
	for i := range 200 {
		grown[string(rune('a'+i%26))+string(rune('a'+i/26))] = ""
	}
	e, s, h, g := of(empty), of(small), of(hinted), of(grown)
	if e.used != 0 || e.dirLen != 0 ||
		s.used != 3 || s.dirLen != 0 || s.dirPtr == nil ||
		h.used != 2 || h.dirLen != 2 || h.dirPtr == nil || *(*unsafe.Pointer)(h.dirPtr) == nil ||
		g.used != uint64(len(grown)) || g.dirLen != 1 {
		return false
	}
	// A group starts with a control byte per slot: a full slot's has its
	// high bit clear, an empty one's is 0x80.
	full, empties := 0, 0
	for _, c := range *(*[8]byte)(s.dirPtr) {
		switch {
		case c&0x80 == 0:
			full++
		case c == 0x80:
			empties++
		}
	}
	return full == 3 && empties == 5
}

// Pointer returns the pointer a map value is (nil for a nil map).
func Pointer[M ~map[K]V, K comparable, V any](m M) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&m))
}

// Single reports whether the map m points to (not nil) is one group of
// slots: at most eight entries, never more, and not made with a size hint
// for more. It is false for every map unless Known is true.
func Single(m unsafe.Pointer) bool {
	return Known && (*head)(m).dirLen == 0
}
