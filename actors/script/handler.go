package script

import (
	"github.com/dop251/goja"
)

// Most targets of messages have one listener of type message, their
// onmessage handler. The surface tells Go which function that is
// (host.onlyMessageHandler, after every change of a target's message
// listeners or of its onmessage), and a message event at such a target
// is dispatched from Go: the handler called with the target as this and
// the event, and nothing else of the surface runs. It is what uaMessage
// would do, seen from the script: the event is registered, its only
// listener runs, an exception it throws is reported, the dispatch ends.

// nativeOnlyMessageHandler is host.onlyMessageHandler(target, fn): fn is
// the function a message event at target runs, or null when the surface
// has to dispatch it. Targets Go never delivers messages to are ignored.
func (r *realm) nativeOnlyMessageHandler(c goja.FunctionCall) goja.Value {
	target, _ := c.Argument(0).(*goja.Object)
	var fn goja.Callable
	if f, ok := c.Argument(1).(*goja.Object); ok {
		fn, _ = goja.AssertFunction(f)
	}
	switch {
	case target == nil:
	case target == r.global:
		r.globalHandler = fn
	default:
		if e, ok := r.ports.byObj[target]; ok {
			e.handler = fn
		}
	}
	return goja.Undefined()
}

// onlyHandler returns the function a message event at target runs, if it
// is target's only listener; nil if the surface has to dispatch it.
func (r *realm) onlyHandler(target *goja.Object) goja.Callable {
	if target == r.global {
		return r.globalHandler
	}
	if e, ok := r.ports.byObj[target]; ok {
		return e.handler
	}
	return nil
}

// runHandler dispatches ev, whose state is s, at target by calling fn,
// target's only listener of its type, and returns what uaMessage would:
// whether the event was not canceled, or nil if the task was
// interrupted. The handler's return value is not looked at: returning
// false cancels an event only if it is cancelable, and a message event
// of the user agent is not.
func (r *realm) runHandler(fn goja.Callable, target, ev *goja.Object, s *agentState) goja.Value {
	if _, err := r.setState(r.eventStates, ev, s.obj); err != nil {
		r.uncaught(err)
		return nil
	}
	_, err := r.call(fn, target, ev)
	notCanceled := s.end(r)
	if err != nil {
		if r.interrupted {
			return nil
		}
		r.uncaught(err)
	}
	return r.rt.ToValue(notCanceled)
}
