package script

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/ports"
)

// agentState is the state of a message event of the user agent, kept in
// Go: the surface's event state (js/10-events.js: type, flags, target,
// cur, time, k and x) as a goja dynamic object, which costs a few
// allocations where an object literal of the same properties costs many.
// It is the event's own fields (x) too: x is the object itself, and its
// properties "0" to "4" are a MessageEvent's data, origin, lastEventId,
// source and ports (M_DATA and the others). Only the surface sees it.
type agentState struct {
	obj                              *goja.Object
	typ, flags, target, cur, time, k goja.Value
	msg                              [5]goja.Value
}

// Get implements goja.DynamicObject.
func (s *agentState) Get(key string) goja.Value {
	switch key {
	case "type":
		return s.typ
	case "flags":
		return s.flags
	case "target":
		return s.target
	case "cur":
		return s.cur
	case "time":
		return s.time
	case "k":
		return s.k
	case "x":
		return s.obj
	}
	if i := msgIndex(key); i >= 0 {
		return s.msg[i]
	}
	return nil
}

// Set implements goja.DynamicObject; it refuses a property the state
// does not have.
func (s *agentState) Set(key string, v goja.Value) bool {
	switch key {
	case "type":
		s.typ = v
	case "flags":
		s.flags = v
	case "target":
		s.target = v
	case "cur":
		s.cur = v
	case "time":
		s.time = v
	case "k":
		s.k = v
	default:
		i := msgIndex(key)
		if i < 0 {
			return false
		}
		s.msg[i] = v
	}
	return true
}

// Has implements goja.DynamicObject.
func (s *agentState) Has(key string) bool { return s.Get(key) != nil }

// Delete implements goja.DynamicObject: nothing can be deleted.
func (s *agentState) Delete(key string) bool { return !s.Has(key) }

// Keys implements goja.DynamicObject.
func (s *agentState) Keys() []string {
	return []string{"type", "flags", "target", "cur", "time", "k", "x", "0", "1", "2", "3", "4"}
}

// msgIndex returns the index of a MessageEvent field key ("0" to "4"),
// or -1.
func msgIndex(key string) int {
	if len(key) == 1 && key[0] >= '0' && key[0] <= '4' {
		return int(key[0] - '0')
	}
	return -1
}

// newAgentState makes the state of a message event of the user agent
// being dispatched at target, as the surface's begin leaves it (trusted,
// initialized, dispatching, at target).
func (r *realm) newAgentState(target *goja.Object, typ, data, origin, source, ports goja.Value) *agentState {
	s := &agentState{typ: typ, flags: r.agentFlags, target: target, cur: target, time: r.now(), k: r.messageKind}
	s.msg = [5]goja.Value{data, origin, r.emptyString, source, ports}
	s.obj = r.rt.NewDynamicObject(s)
	return s
}

// bindAgentEvents finds what newAgentState and eventPorts need in the
// surface's internal object, before any user script runs.
func (r *realm) bindAgentEvents() error {
	flags, _ := r.internal.Get("flags").(*goja.Object)
	kinds, _ := r.internal.Get("kinds").(*goja.Object)
	freeze, ok := goja.AssertFunction(r.global.Get("Object").ToObject(r.rt).Get("freeze"))
	if flags == nil || kinds == nil || !ok {
		return errors.New("script: the web surface has no internal.flags, internal.kinds or Object.freeze")
	}
	bits := int64(0)
	for _, name := range []string{"INITIALIZED", "TRUSTED", "DISPATCHING"} {
		bits |= flags.Get(name).ToInteger()
	}
	r.agentBits = bits
	r.agentFlags = r.rt.ToValue(bits)
	r.stopBits = 0
	for _, name := range []string{"DISPATCHING", "STOP", "STOP_NOW"} {
		r.stopBits |= flags.Get(name).ToInteger()
	}
	r.endedBits = bits &^ r.stopBits
	r.ended = r.rt.ToValue(r.endedBits)
	r.canceledBit = flags.Get("CANCELED").ToInteger()
	states, _ := r.internal.Get("eventStates").(*goja.Object)
	if states == nil {
		return errors.New("script: the web surface has no internal.eventStates")
	}
	set, ok := goja.AssertFunction(states.Get("set"))
	if !ok || r.stopBits == 0 || r.canceledBit == 0 {
		return errors.New("script: the web surface's event states have no set, or its flags no STOP, STOP_NOW or CANCELED")
	}
	r.eventStates, r.setState = states, set
	r.messageKind = kinds.Get("K_MESSAGE")
	r.emptyString = r.rt.ToValue("")
	r.noPorts = r.internal.Get("noPorts")
	r.freeze = freeze
	return nil
}

// eventPorts returns the MessagePort objects of ps as an event's frozen
// ports array (the shared empty one for none).
func (r *realm) eventPorts(ps []*ports.MessagePort) goja.Value {
	if len(ps) == 0 {
		return r.noPorts
	}
	v, err := r.freeze(goja.Undefined(), r.portArray(ps))
	if err != nil {
		r.throw(err)
	}
	return v
}

// end ends the dispatch of the event whose state s is, as the surface's
// end does: no current target, and the dispatch and stop flags cleared.
// It reports whether the event was not canceled.
func (s *agentState) end(r *realm) bool {
	s.cur = goja.Null()
	f := s.flags.ToInteger()
	if f == r.agentBits {
		s.flags = r.ended
		return true
	}
	f &^= r.stopBits
	s.flags = r.rt.ToValue(f)
	return f&r.canceledBit == 0
}
