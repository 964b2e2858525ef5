package script

import (
	"strconv"

	"github.com/dop251/goja"
)

// enter counts one more level of nesting, failing past maxCloneDepth.
func (s *serializer) enter() error {
	s.depth++
	if s.depth > maxCloneDepth {
		return cloneError("the value is nested too deeply")
	}
	return nil
}

// properties writes the own enumerable string-keyed properties of o (an
// Array or a plain object, whose node, already begun, has the given ID)
// as the standard's deep step does: the keys are listed first, then each
// one still present (a getter may have deleted it) is read with [[Get]]
// and serialized; properties added meanwhile are not visited.
func (s *serializer) properties(o *goja.Object, id int) error {
	s.remember(o, id)
	if err := s.enter(); err != nil {
		return err
	}
	keys := o.Keys()
	for _, k := range keys {
		if lossyKey(k) {
			return s.propertiesUTF16(o)
		}
	}
	for i, k := range keys {
		// Nothing ran between listing the keys and reading the first one.
		if i > 0 && !mustCall(s.c.in.hasOwn, goja.Undefined(), o, s.c.rt.ToValue(k)).ToBoolean() {
			continue
		}
		v := o.Get(k)
		s.w.Key(k)
		if err := s.value(v); err != nil {
			return atPath(err, keyPath(k))
		}
	}
	s.w.End()
	s.depth--
	return nil
}

// propertiesUTF16 is properties for an object with a key that goja's Go
// strings cannot hold (a lone surrogate): keys stay JavaScript strings.
func (s *serializer) propertiesUTF16(o *goja.Object) error {
	in := s.c.in
	list := mustCall(in.keys, goja.Undefined(), o).(*goja.Object)
	n := int(list.Get("length").ToInteger())
	keys := make([]goja.Value, n)
	for i := range keys {
		keys[i] = list.Get(strconv.Itoa(i))
	}
	for i, k := range keys {
		if i > 0 && !mustCall(in.hasOwn, goja.Undefined(), o, k).ToBoolean() {
			continue
		}
		v := mustCall(in.get, goja.Undefined(), o, k)
		key := wtf8Of(k.(goja.String))
		s.w.Key(key)
		if err := s.value(v); err != nil {
			return atPath(err, keyPath(key))
		}
	}
	s.w.End()
	s.depth--
	return nil
}

// collection writes a Map (isMap) or a Set: a snapshot of its entries in
// order, then each entry.
func (s *serializer) collection(o *goja.Object, isMap bool) error {
	var id int
	forEach := s.c.in.setForEach
	if isMap {
		id, forEach = s.w.BeginMap(), s.c.in.mapForEach
	} else {
		id = s.w.BeginSet()
	}
	s.remember(o, id)
	if err := s.enter(); err != nil {
		return err
	}
	entries, err := s.c.entries(o, forEach)
	if err != nil {
		panic(err)
	}
	for i := 0; i < len(entries); i += 2 {
		if isMap {
			if err := s.value(entries[i]); err != nil {
				return atPath(err, ".<key "+strconv.Itoa(i/2)+">")
			}
		}
		if err := s.value(entries[i+1]); err != nil {
			if isMap {
				return atPath(err, ".<value "+strconv.Itoa(i/2)+">")
			}
			return atPath(err, ".<item "+strconv.Itoa(i/2)+">")
		}
	}
	s.w.End()
	s.depth--
	return nil
}

// errorNames are the names an Error keeps; any other becomes "Error".
var errorNames = map[string]bool{"Error": true, "EvalError": true, "RangeError": true,
	"ReferenceError": true, "SyntaxError": true, "TypeError": true, "URIError": true}

// error writes an Error: its name read with [[Get]] (kept only if it is a
// standard name), its message only if it is an own data property, its
// cause if it has one of its own. The stack is not kept (the standard
// leaves it optional).
func (s *serializer) error(o *goja.Object) error {
	name := "Error"
	if n, ok := o.Get("name").(goja.String); ok && errorNames[n.String()] {
		name = n.String()
	}
	message, hasMessage := "", false
	if m, ok := mustCall(s.c.in.ownMessage, goja.Undefined(), o).(*goja.Object); ok {
		message, hasMessage = toWTF8(m.Get("0")), true
	}
	hasCause := mustCall(s.c.in.hasOwn, goja.Undefined(), o, s.c.rt.ToValue("cause")).ToBoolean()
	s.remember(o, s.w.BeginError(name, message, "", hasMessage, hasCause))
	if hasCause {
		if err := s.enter(); err != nil {
			return err
		}
		if err := s.value(o.Get("cause")); err != nil {
			return atPath(err, ".cause")
		}
		s.depth--
	}
	s.w.End()
	return nil
}

// view writes a typed array (typed) or a DataView, then its buffer through
// the cloneMemory, so that views over one buffer stay over one buffer.
func (s *serializer) view(o *goja.Object, typed bool) error {
	in := s.c.in
	getBuf, getOff, getLen := in.dvBuffer, in.dvOffset, in.dvLength
	if typed {
		getBuf, getOff, getLen = in.taBuffer, in.taOffset, in.taLength
	}
	buf := mustCall(getBuf, o).(*goja.Object)
	off, n := 0, 0
	if ab, ok := buf.Export().(goja.ArrayBuffer); ok && ab.Detached() {
		// A listed buffer detached by a getter fails the transfer
		// list's check after serialization; any other fails now.
		if e, ok := s.mem.get(buf); !ok || e.slot < 0 || e.port {
			return atPath(cloneError("a view of a detached ArrayBuffer could not be cloned"), ".buffer")
		}
	} else {
		off, n = int(mustCall(getOff, o).ToInteger()), int(mustCall(getLen, o).ToInteger())
	}
	if typed {
		kind := elementKinds[mustCall(in.taTag, o).String()]
		if !kind.Valid() {
			return cloneError("an unknown typed array could not be cloned")
		}
		s.remember(o, s.w.BeginTypedArray(uint8(kind), off, n))
	} else {
		s.remember(o, s.w.BeginDataView(off, n))
	}
	if err := s.object(buf); err != nil {
		return atPath(err, ".buffer")
	}
	s.w.End()
	return nil
}
