package script

import (
	"errors"

	"github.com/dop251/goja"
)

// Most targets of messages have one listener of type message: their
// onmessage handler, or one function given to addEventListener. The
// surface tells Go which function that is (host.onlyMessageHandler, after
// every change of a target's message listeners or of its onmessage; see
// js/10-events.js), and a message event at such a target is dispatched
// from Go: the function called with the target as this and the event,
// and nothing else of the surface runs. It is what uaMessage would do,
// seen from the script: the event is registered, its only listener runs,
// an exception it throws is reported, the dispatch ends.

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
		} else if w := r.workerObjectOf(target); w != nil {
			w.handler = fn
		}
	}
	return goja.Undefined()
}

// onlyHandler returns the function a message event at target runs, if it
// is target's only listener of the type; nil if the surface has to
// dispatch it.
func (r *realm) onlyHandler(target *goja.Object) goja.Callable {
	if target == r.global {
		return r.globalHandler
	}
	if e, ok := r.ports.byObj[target]; ok {
		return e.handler
	}
	if w := r.workerObjectOf(target); w != nil {
		return w.handler
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
	saved := r.running
	r.running = running{ev: ev, s: s}
	_, err := r.call(fn, target, ev)
	r.running = saved
	notCanceled := s.end(r)
	if err != nil {
		if r.interrupted {
			return nil
		}
		r.uncaught(err)
	}
	return r.rt.ToValue(notCanceled)
}

// running is the event runHandler is dispatching and its state.
type running struct {
	ev *goja.Object
	s  *agentState
}

// bindDataGetter makes MessageEvent.prototype's data getter a native one
// that answers for the event runHandler is dispatching from its state in
// Go (the handler's first read of data is then no call of the surface)
// and asks the surface's getter for every other receiver. The getter
// keeps its name and length.
func (r *realm) bindDataGetter() error {
	d, err := r.rt.RunString(`(p) => Object.getOwnPropertyDescriptor(p, 'data')`)
	if err != nil {
		return err
	}
	descOf, _ := goja.AssertFunction(d)
	v, err := descOf(goja.Undefined(), r.messageProto)
	if err != nil {
		return err
	}
	desc, _ := v.(*goja.Object)
	if desc == nil {
		return errors.New("script: MessageEvent.prototype has no data")
	}
	surfaceGet, ok := goja.AssertFunction(desc.Get("get"))
	if !ok {
		return errors.New("script: MessageEvent.prototype's data has no getter")
	}
	get := r.rt.ToValue(func(c goja.FunctionCall) goja.Value {
		if c.This == goja.Value(r.running.ev) && r.running.ev != nil {
			return r.running.s.msg[0]
		}
		v, err := surfaceGet(c.This)
		if err != nil {
			r.throw(err)
		}
		return v
	}).(*goja.Object)
	if err := get.DefineDataProperty("name", r.rt.ToValue("get data"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := get.DefineDataProperty("length", r.rt.ToValue(0), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return r.messageProto.DefineAccessorProperty("data", get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
