package script

import "github.com/dop251/goja"

// memEntry is what the serializer's cloneMemory holds for an object: the ID of
// the node it was written as, or, for an entry of the transfer list, its
// slot (an ArrayBuffer gets an ID the first time the value names it).
type memEntry struct {
	id   int // node ID, or -1 for a transferred buffer not written yet
	slot int // transfer slot, or -1
	port bool
}

// cloneMemory maps objects to their entries: a short list scanned linearly (most
// messages hold a few objects), then a map.
type cloneMemory struct {
	objs    []*goja.Object
	entries []memEntry
	m       map[*goja.Object]int // index into entries, once objs is long
}

const memLinear = 16

func (m *cloneMemory) get(o *goja.Object) (*memEntry, bool) {
	if m.m != nil {
		i, ok := m.m[o]
		if !ok {
			return nil, false
		}
		return &m.entries[i], true
	}
	for i, x := range m.objs {
		if x == o {
			return &m.entries[i], true
		}
	}
	return nil, false
}

func (m *cloneMemory) put(o *goja.Object, e memEntry) {
	m.objs = append(m.objs, o)
	m.entries = append(m.entries, e)
	if m.m != nil {
		m.m[o] = len(m.entries) - 1
	} else if len(m.objs) > memLinear {
		m.m = make(map[*goja.Object]int, 2*len(m.objs))
		for i, x := range m.objs {
			m.m[x] = i
		}
	}
}

func (m *cloneMemory) reset() {
	clear(m.objs)
	m.objs = m.objs[:0]
	m.entries = m.entries[:0]
	m.m = nil
}
