package messages

import "unsafe"

// Whether a map is small enough to be copied whole. The runtime's own map
// copy (maps.Clone) copies a map's tables as they are, and Go maps never
// shrink: the copy of a map made with a large size hint, or that once held
// many entries, would be as large as its table (see
// TestMapCopyIsSizedForItsEntries). A map of at most eight entries that
// never grew past them is one group of eight slots, and its copy is that
// group: what a map made for its entries holds. singleGroup tells these
// apart by the head of the runtime's map (internal/runtime/maps.Map since
// Go 1.24): its directory length is 0 for a map of one group.

// mapHead mirrors the first fields of the runtime's map.
type mapHead struct {
	used   uint64         // the number of entries
	seed   uintptr        // the hash seed
	dirPtr unsafe.Pointer // the group (dirLen 0) or the directory of tables
	dirLen int            // 0: one group
}

// mapHeadKnown reports whether mapHead matches the runtime's map, checked
// once on maps of known shapes. If it does not (another runtime), no map
// is copied whole and nothing else changes.
var mapHeadKnown = checkMapHead()

func checkMapHead() bool {
	head := func(m map[string]string) *mapHead { return *(**mapHead)(unsafe.Pointer(&m)) }
	empty := make(map[string]string)
	small := map[string]string{"a": "1", "b": "2", "c": "3"}
	large := make(map[string]string, 1024)
	large["x"], large["y"] = "1", "2"
	grown := make(map[string]string)
	for i := range 200 {
		grown[string(rune('a'+i%26))+string(rune('a'+i/26))] = ""
	}
	e, s, l, g := head(empty), head(small), head(large), head(grown)
	return e.used == 0 && e.dirLen == 0 &&
		s.used == 3 && s.dirLen == 0 && s.dirPtr != nil &&
		l.used == 2 && l.dirLen > 0 && l.dirPtr != nil &&
		g.used == uint64(len(grown)) && g.dirLen > 0
}

// singleGroup reports whether the map m points to (not nil) is one group
// of slots (at most eight entries, and never more): a copy of it whole is
// no larger than a map made for its entries.
func singleGroup(m unsafe.Pointer) bool {
	return mapHeadKnown && (*mapHead)(m).dirLen == 0
}
