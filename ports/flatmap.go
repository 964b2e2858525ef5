package ports

import (
	"maps"

	"github.com/entangle-go/entangle/internal/mapgroup"
	"github.com/entangle-go/entangle/messages"
)

// A flat map is a map[string]any whose values are all primitives (the
// JSON-like record users post most, {i} in the benchmarks). Its structured
// clone is a new map with the same entries, since strings and primitives
// are immutable. Posted in this process, it is copied one of two ways:
//
//   - A map of two to eight entries in one group of slots
//     (internal/mapgroup) is copied whole at the post, as maps.Clone copies
//     it: one allocation of the group, no hashing. Against the entries
//     copied at the post and the map built by the receiver, a six-entry
//     map between a window and its worker went from 1.05-1.13 M to
//     1.24-1.39 M messages a second (BenchmarkWindowThroughputObject6,
//     events), with two allocations less.
//   - Any other (one entry, or more than one group) is not built at post
//     time: the post copies the entries into a flatMap (one allocation for
//     a map of one entry, no hashing), and the receiving owner builds the
//     map from it as it delivers the message, on its own goroutine, sized
//     for the entries (a large map's table copied whole would keep its
//     size). That is the standard's own division of the work: serialize at
//     the post, deserialize at the receiver. In a burst the two goroutines
//     share it: 12-16% more messages a second of a one-entry map than a map
//     built at the post, which a whole copy does not beat.
//
// A flatMap is a plain message's value (inMsg.plain) only between the post
// and the delivery: materialize builds it before the owner's code sees
// it, and appendData before the message leaves for another node.

// flatMap holds the entries of a flat map, taken when it was posted.
type flatMap struct {
	first flatEntry
	rest  []flatEntry
}

type flatEntry struct {
	key string
	val any
}

// snapshotFlatMap copies data if it is a non-empty map[string]any (not a
// named map type: its clone keeps its type) whose values are all
// primitives (messages.IsPrimitive): into a map or a flatMap, as the
// comment above says. ok is false for anything else, which the caller
// clones as it would have.
func snapshotFlatMap(data any) (_ any, ok bool) {
	m, ok := data.(map[string]any)
	if !ok || len(m) == 0 {
		return nil, false
	}
	// Nothing is made before every value is checked: a map that is not
	// flat (a nested object's, say) costs its post nothing but the look.
	// A map copied whole is looked at once; of the others, a small one is
	// looked at once too, its entries kept on the stack meanwhile, and a
	// larger one twice. The loops that copy entries stop at the last one,
	// sparing the iterator its walk over the empty slots after it.
	l := len(m)
	if l > 1 && mapgroup.Single(mapgroup.Pointer(m)) {
		for _, v := range m {
			if !messages.IsPrimitive(v) {
				return nil, false
			}
		}
		return maps.Clone(m), true
	}
	var small [8]flatEntry
	if l <= len(small) {
		es := small[:0]
		for k, v := range m {
			if !messages.IsPrimitive(v) {
				return nil, false
			}
			if es = append(es, flatEntry{k, v}); len(es) == l {
				break
			}
		}
		f := &flatMap{first: es[0]}
		if l > 1 {
			f.rest = append([]flatEntry(nil), es[1:]...)
		}
		return f, true
	}
	for _, v := range m {
		if !messages.IsPrimitive(v) {
			return nil, false
		}
	}
	es := make([]flatEntry, 0, l)
	for k, v := range m {
		if es = append(es, flatEntry{k, v}); len(es) == l {
			break
		}
	}
	return &flatMap{first: es[0], rest: es[1:]}, true
}

// build makes the map the receiver gets: a new map with the entries.
func (f *flatMap) build() map[string]any {
	m := make(map[string]any, 1+len(f.rest))
	m[f.first.key] = f.first.val
	for _, e := range f.rest {
		m[e.key] = e.val
	}
	return m
}

// plainValue returns the value of a plain message as its receiver gets it:
// a flatMap built, anything else (a flat map copied whole among them) as
// it is.
func plainValue(v any) any {
	if f, ok := v.(*flatMap); ok {
		return f.build()
	}
	return v
}
