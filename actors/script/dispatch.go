package script

import (
	"strconv"

	"github.com/dop251/goja"
)

// fire dispatches an event of the user agent at target and reports
// whether it was not canceled. Outside JavaScript the dispatch is driven
// from Go, one outermost call per listener, so that the microtask
// checkpoint runs after each listener as in browsers (an exception in a
// listener is reported, and the next listener runs); when at most one
// listener can run, the surface does it all in one call (uaFire), which
// is the same thing seen from the script. Inside JavaScript (an event
// fired while script runs, such as the error event of reportError) the
// dispatch is one nested call.
func (r *realm) fire(target *goja.Object, ev goja.Value) bool {
	if r.depth > 0 {
		v, err := r.call(r.js.dispatch, goja.Undefined(), target, ev)
		if err != nil {
			return true
		}
		return v.ToBoolean()
	}
	var done goja.Value
	r.nested(func() { done = r.fireInline(target, ev) })
	if done == nil {
		return r.endDispatch(ev)
	}
	return r.drive(target, ev, done)
}

// fireInline begins the dispatch of ev at target inside a call into the
// engine (see nested) and, when at most one listener can run, runs it
// (uaFire); an exception of that listener is reported here, where the
// exception still has its place and before the microtasks it queued run,
// as in browsers. It returns what uaFire returns (whether the event was
// not canceled, or the capture listeners for drive), or nil if the task
// was interrupted.
func (r *realm) fireInline(target *goja.Object, ev goja.Value) goja.Value {
	done, err := r.call(r.js.uaFire, goja.Undefined(), target, ev)
	if err == nil {
		return done
	}
	return r.afterThrow(ev, err)
}

// afterThrow handles the error of uaFire or uaMessage: an exception of
// the listener is reported and the dispatch ended (its result returned);
// nil if the task was interrupted.
func (r *realm) afterThrow(ev goja.Value, err error) goja.Value {
	if r.interrupted {
		return nil
	}
	r.uncaught(err)
	v, err := r.js.uaEnd(goja.Undefined(), ev)
	if err != nil {
		return nil
	}
	return v
}

// drive goes on with a dispatch that uaFire began: done is what uaFire
// returned (whether the event was not canceled, once it is done; or the
// capture listeners, for Go to call one by one).
func (r *realm) drive(target *goja.Object, ev goja.Value, done goja.Value) bool {
	if _, isList := done.(*goja.Object); !isList {
		return done.ToBoolean()
	}
	list := done
	var err error
	for _, capture := range []bool{true, false} {
		if !capture {
			if list, err = r.call(r.js.uaList, goja.Undefined(), target, ev); err != nil {
				break
			}
		}
		if !r.invokeAll(target, ev, list, capture) {
			break
		}
	}
	return r.endDispatch(ev)
}

// endDispatch resets the event's dispatch state, even after an
// interrupted listener, and reports whether it was not canceled.
func (r *realm) endDispatch(ev goja.Value) bool {
	if r.interrupted {
		r.rt.ClearInterrupt()
	}
	v, err := r.js.uaEnd(goja.Undefined(), ev)
	if err != nil {
		return true
	}
	return v.ToBoolean()
}

// invokeAll calls the listeners of one phase; it returns false once the
// task was interrupted.
func (r *realm) invokeAll(target *goja.Object, ev goja.Value, list goja.Value, capture bool) bool {
	if goja.IsNull(list) || goja.IsUndefined(list) {
		return true
	}
	arr := list.ToObject(r.rt)
	n := int(arr.Get("length").ToInteger())
	phase := r.rt.ToValue(capture)
	for i := range n {
		l := arr.Get(strconv.Itoa(i))
		go_, err := r.call(r.js.uaInvoke, goja.Undefined(), target, ev, l, phase)
		if err != nil {
			if r.interrupted {
				return false
			}
			r.uncaught(err)
			continue
		}
		if !go_.ToBoolean() {
			break
		}
	}
	return !r.interrupted
}

// agentEvent makes an event of the user agent with the surface's factory
// fn and gives it its own isTrusted accessor, as every event has.
func (r *realm) agentEvent(fn goja.Callable, args ...goja.Value) (goja.Value, error) {
	v, err := r.call(fn, goja.Undefined(), args...)
	if err != nil {
		return nil, err
	}
	if o, ok := v.(*goja.Object); ok {
		if err := o.DefineAccessorProperty("isTrusted", r.trustedGetter, nil, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
			return nil, err
		}
	}
	return v, nil
}
