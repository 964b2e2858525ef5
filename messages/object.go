package messages

import "iter"

// Object is the web's plain object: string keys in insertion order, each
// with a value of any cloneable type. It is a reference type: clones keep
// aliases and cycles through an *Object (an Object may contain itself).
//
// Keys keep the order in which they were first set; setting an existing key
// keeps its place; a deleted key set again goes to the end. (The web puts
// integer-like keys first; Object does not.) The zero value is an empty
// object ready to use. An Object is not safe for concurrent use.
type Object struct {
	keys    []string
	vals    []any
	dead    int            // deleted slots (their value is tombstone{})
	index   map[string]int // key -> slot, built once the object grows
	ranging int            // active Range calls; compaction waits
}

// tombstone marks a deleted slot.
type tombstone struct{}

const indexThreshold = 8

// NewObject returns an empty Object.
func NewObject() *Object { return &Object{} }

// newObjectCap returns an empty Object with room for n keys.
func newObjectCap(n int) *Object {
	o := &Object{keys: make([]string, 0, n), vals: make([]any, 0, n)}
	if n > indexThreshold {
		o.index = make(map[string]int, n)
	}
	return o
}

// Len returns the number of keys.
func (o *Object) Len() int { return len(o.keys) - o.dead }

func (o *Object) find(key string) int {
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			if _, dead := o.vals[i].(tombstone); !dead {
				return i
			}
		}
	}
	return -1
}

// Get returns the value for key and whether the key is present.
func (o *Object) Get(key string) (any, bool) {
	if i := o.find(key); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// Has reports whether key is present.
func (o *Object) Has(key string) bool { return o.find(key) >= 0 }

// Set sets key to v. A new key goes after all existing keys.
func (o *Object) Set(key string, v any) {
	if i := o.find(key); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	if o.index != nil {
		o.index[key] = len(o.keys) - 1
	} else if len(o.keys) > indexThreshold {
		o.reindex()
	}
}

// Delete removes key and reports whether it was present.
func (o *Object) Delete(key string) bool {
	i := o.find(key)
	if i < 0 {
		return false
	}
	o.vals[i] = tombstone{}
	o.dead++
	if o.index != nil {
		delete(o.index, key)
	}
	if o.ranging == 0 && o.dead > indexThreshold && o.dead > len(o.keys)/2 {
		o.compact()
	}
	return true
}

func (o *Object) compact() {
	j := 0
	for i, k := range o.keys {
		if _, dead := o.vals[i].(tombstone); dead {
			continue
		}
		o.keys[j], o.vals[j] = k, o.vals[i]
		j++
	}
	clear(o.keys[j:])
	clear(o.vals[j:])
	o.keys, o.vals, o.dead = o.keys[:j], o.vals[:j], 0
	o.reindex()
}

func (o *Object) reindex() {
	o.index = make(map[string]int, len(o.keys))
	for i, k := range o.keys {
		if _, dead := o.vals[i].(tombstone); !dead {
			o.index[k] = i
		}
	}
}

// Keys returns the keys in order, in a new slice.
func (o *Object) Keys() []string {
	ks := make([]string, 0, o.Len())
	for i, k := range o.keys {
		if _, dead := o.vals[i].(tombstone); !dead {
			ks = append(ks, k)
		}
	}
	return ks
}

// Range calls fn for each key and value in order until fn returns false.
// Keys set during Range are visited; keys deleted during Range are skipped.
func (o *Object) Range(fn func(key string, v any) bool) {
	o.ranging++
	defer func() { o.ranging-- }()
	for i := 0; i < len(o.keys); i++ {
		if _, dead := o.vals[i].(tombstone); dead {
			continue
		}
		if !fn(o.keys[i], o.vals[i]) {
			return
		}
	}
}

// All returns an iterator over the keys and values in order (see Range).
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) { o.Range(yield) }
}
