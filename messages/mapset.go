package messages

import (
	"fmt"
	"iter"
	"math"
	"reflect"
	"unsafe"
)

// Map is the web's Map: entries in insertion order, keyed by any comparable
// value. Keys are equal under SameValueZero adapted to Go: same Go type and
// ==, except that NaN equals NaN and -0 equals +0 (a -0 key is stored as +0,
// as on the web); pointers (and *Object, *Map, *Set) compare by identity,
// and so do Go maps. Slices, funcs and other values that Go cannot compare
// are not valid keys: Set panics on them, as a Go map would.
//
// Map is a reference type: clones keep aliases and cycles through it. The
// zero value is an empty map ready to use. A Map is not safe for concurrent
// use.
type Map struct{ o ordered }

// Set is the web's Set: values in insertion order, with the same key
// equality as Map. The zero value is an empty set ready to use. A Set is
// not safe for concurrent use.
type Set struct{ o ordered }

// NewMap returns an empty Map.
func NewMap() *Map { return &Map{} }

// Len returns the number of entries.
func (m *Map) Len() int { return m.o.len() }

// Get returns the value for key and whether key is present.
func (m *Map) Get(key any) (any, bool) {
	if i := m.o.find(key); i >= 0 {
		return m.o.vals[i], true
	}
	return nil, false
}

// Has reports whether key is present.
func (m *Map) Has(key any) bool { return m.o.find(key) >= 0 }

// Set sets key to v; a new key goes last. It panics when key is not
// comparable (see Map).
func (m *Map) Set(key, v any) { m.o.set(key, v, true) }

// Delete removes key and reports whether it was present.
func (m *Map) Delete(key any) bool { return m.o.delete(key) }

// Keys returns the keys in order, in a new slice.
func (m *Map) Keys() []any { return m.o.keyList() }

// Range calls fn for each entry in order until fn returns false. Entries
// added during Range are visited; deleted ones are skipped.
func (m *Map) Range(fn func(key, v any) bool) { m.o.rangeAll(fn) }

// All returns an iterator over the entries in order (see Range).
func (m *Map) All() iter.Seq2[any, any] {
	return func(yield func(any, any) bool) { m.o.rangeAll(yield) }
}

// NewSet returns an empty Set.
func NewSet() *Set { return &Set{} }

// Len returns the number of values.
func (s *Set) Len() int { return s.o.len() }

// Has reports whether v is in the set.
func (s *Set) Has(v any) bool { return s.o.find(v) >= 0 }

// Add adds v (last) unless it is present. It panics when v is not
// comparable (see Map).
func (s *Set) Add(v any) { s.o.set(v, nil, false) }

// Delete removes v and reports whether it was present.
func (s *Set) Delete(v any) bool { return s.o.delete(v) }

// Values returns the values in order, in a new slice.
func (s *Set) Values() []any { return s.o.keyList() }

// Range calls fn for each value in order until fn returns false.
func (s *Set) Range(fn func(v any) bool) {
	s.o.rangeAll(func(k, _ any) bool { return fn(k) })
}

// All returns an iterator over the values in order.
func (s *Set) All() iter.Seq[any] {
	return func(yield func(any) bool) { s.Range(yield) }
}

// ordered is the insertion-ordered store behind Map and Set.
type ordered struct {
	keys    []any
	vals    []any // nil for a Set
	live    []bool
	dead    int
	index   map[any]int // hash key -> slot
	ranging int
}

// nanKey stands for every NaN of one float width in the index.
type nanKey struct{ bits int }

// identityKey stands for a Go map in the index.
type identityKey struct {
	p unsafe.Pointer
	t reflect.Type
}

// hashKey returns the index key for k and the key to store (-0 becomes +0),
// or ok false when k cannot be a key.
func hashKey(k any) (hk, stored any, ok bool) {
	switch x := k.(type) {
	case nil, string, bool, int, int64, int32, uint, uint64, uint32, *Object, *Map, *Set, UndefinedType:
		return k, k, true
	case float64:
		if math.IsNaN(x) {
			return nanKey{64}, k, true
		}
		if x == 0 {
			return float64(0), float64(0), true
		}
		return k, k, true
	case float32:
		if x != x {
			return nanKey{32}, k, true
		}
		if x == 0 {
			return float32(0), float32(0), true
		}
		return k, k, true
	}
	rv := reflect.ValueOf(k)
	if rv.Kind() == reflect.Map {
		return identityKey{rv.UnsafePointer(), rv.Type()}, k, true
	}
	if !rv.Comparable() {
		return nil, nil, false
	}
	return k, k, true
}

func (o *ordered) len() int { return len(o.keys) - o.dead }

func (o *ordered) find(k any) int {
	if o.index == nil {
		return -1
	}
	hk, _, ok := hashKey(k)
	if !ok {
		return -1
	}
	if i, ok := o.index[hk]; ok {
		return i
	}
	return -1
}

func (o *ordered) set(k, v any, isMap bool) {
	hk, stored, ok := hashKey(k)
	if !ok {
		panic(fmt.Sprintf("messages: key of type %T is not comparable", k))
	}
	if o.index == nil {
		o.index = make(map[any]int)
	}
	if i, ok := o.index[hk]; ok {
		if isMap {
			o.vals[i] = v
		}
		return
	}
	o.index[hk] = len(o.keys)
	o.keys = append(o.keys, stored)
	o.live = append(o.live, true)
	if isMap {
		o.vals = append(o.vals, v)
	}
}

func (o *ordered) delete(k any) bool {
	i := o.find(k)
	if i < 0 {
		return false
	}
	hk, _, _ := hashKey(k)
	delete(o.index, hk)
	o.live[i] = false
	o.keys[i] = nil
	if o.vals != nil {
		o.vals[i] = nil
	}
	o.dead++
	if o.ranging == 0 && o.dead > indexThreshold && o.dead > len(o.keys)/2 {
		o.compact()
	}
	return true
}

func (o *ordered) compact() {
	j := 0
	for i := range o.keys {
		if !o.live[i] {
			continue
		}
		o.keys[j], o.live[j] = o.keys[i], true
		if o.vals != nil {
			o.vals[j] = o.vals[i]
		}
		hk, _, _ := hashKey(o.keys[j])
		o.index[hk] = j
		j++
	}
	clear(o.keys[j:])
	o.keys, o.live, o.dead = o.keys[:j], o.live[:j], 0
	if o.vals != nil {
		clear(o.vals[j:])
		o.vals = o.vals[:j]
	}
}

func (o *ordered) keyList() []any {
	ks := make([]any, 0, o.len())
	for i, k := range o.keys {
		if o.live[i] {
			ks = append(ks, k)
		}
	}
	return ks
}

func (o *ordered) rangeAll(fn func(k, v any) bool) {
	o.ranging++
	defer func() { o.ranging-- }()
	for i := 0; i < len(o.keys); i++ {
		if !o.live[i] {
			continue
		}
		var v any
		if o.vals != nil {
			v = o.vals[i]
		}
		if !fn(o.keys[i], v) {
			return
		}
	}
}
