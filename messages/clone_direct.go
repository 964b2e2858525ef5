package messages

import (
	"sync"
	"unsafe"
)

// directCloner copies graphs made only of map[string]any, []any and
// immutable scalars without building a record. The result is the same as
// Serialize+Deserialize (maps keep their identity, cycles stay cycles,
// scalars keep their interface boxes, nil stays nil); on any other value it
// gives up and StructuredClone takes the record path, which also produces
// the errors. FuzzCloneRoundTrip compares both paths.
type directCloner struct {
	mem   map[unsafe.Pointer]map[string]any
	depth int
}

var directPool = sync.Pool{New: func() any { return &directCloner{mem: map[unsafe.Pointer]map[string]any{}} }}

// cloneDirect returns the clone and true, or false when v holds anything
// the direct path does not handle.
func cloneDirect(v any) (any, bool) {
	c := directPool.Get().(*directCloner)
	out, ok := c.value(v)
	if len(c.mem) <= 1<<12 {
		clear(c.mem)
		c.depth = 0
		directPool.Put(c)
	}
	return out, ok
}

func (c *directCloner) value(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, float64, int, bool, int64, UndefinedType:
		return v, true
	case []any:
		if x == nil {
			return v, true
		}
		if c.depth++; c.depth > maxContainerDepth {
			return nil, false
		}
		s := make([]any, len(x))
		for i, e := range x {
			var ok bool
			if s[i], ok = c.value(e); !ok {
				return nil, false
			}
		}
		c.depth--
		return s, true
	case map[string]any:
		if x == nil {
			return v, true
		}
		p := *(*unsafe.Pointer)(unsafe.Pointer(&x))
		if m, ok := c.mem[p]; ok {
			return m, true
		}
		if c.depth++; c.depth > maxContainerDepth {
			return nil, false
		}
		m := make(map[string]any, len(x))
		c.mem[p] = m
		for k, e := range x {
			ce, ok := c.value(e)
			if !ok {
				return nil, false
			}
			m[k] = ce
		}
		c.depth--
		return m, true
	}
	return nil, false
}
