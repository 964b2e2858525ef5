package script

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// natives builds the host object the surface's files get: the realm's
// facts and its native functions. It never reaches user script.
func (r *realm) natives() *goja.Object {
	h := r.rt.NewObject()
	_ = h.SetPrototype(nil)
	set := func(name string, v any) { _ = h.Set(name, v) }
	set("kind", r.kind.String())
	set("origin", r.scope.Origin().String())
	set("name", r.scope.Name())
	set("location", r.location())
	set("parentKey", r.windowKey(r.scope.Parent()))
	set("topKey", r.windowKey(r.scope.Top()))
	set("closeEvents", r.plugin.Ports().CloseEvents() != ports.CloseEventsNone)
	set("now", func(goja.FunctionCall) goja.Value { return r.now() })
	set("portPost", r.nativePortPost)
	set("portStart", r.nativePortStart)
	set("portClose", r.nativePortClose)
	set("newChannel", r.nativeNewChannel)
	set("structuredClone", r.nativeStructuredClone)
	set("windowPost", r.nativeWindowPost)
	set("workerPost", r.nativeWorkerPost)
	set("proxy", func(c goja.FunctionCall) goja.Value {
		key := c.Argument(0).String()
		ref, ok := r.proxies[key]
		if !ok {
			return goja.Null()
		}
		return r.proxyObject(key, ref)
	})
	set("close", func(goja.FunctionCall) goja.Value {
		_ = actors.Close(r.ctx)
		return goja.Undefined()
	})
	set("setTimer", r.nativeSetTimer)
	set("clearTimer", r.nativeClearTimer)
	set("report", func(c goja.FunctionCall) goja.Value {
		r.reportFromScript(c.Argument(0))
		return goja.Undefined()
	})
	set("console", r.nativeConsole)
	set("onlyMessageHandler", r.nativeOnlyMessageHandler)
	set("newWorker", r.nativeNewWorker)
	set("workerObjectPost", r.nativeWorkerObjectPost)
	set("workerTerminate", r.nativeWorkerTerminate)
	set("importScripts", r.nativeImportScripts)
	return h
}

// now is the time since the realm's time origin, in milliseconds (with
// microseconds), as Event.timeStamp gives it.
func (r *realm) now() goja.Value {
	return r.rt.ToValue(float64(time.Since(r.begun).Microseconds()) / 1000)
}

// windowRef is another browsing context the realm knows: its proxy
// object, made on first use.
type windowRef struct {
	pid *actor.PID
	obj *goja.Object
}

// pidKey names a PID for the proxies' table.
func pidKey(pid *actor.PID) string { return pid.GetAddress() + " " + pid.GetId() }

// windowKey returns the key of a window that is not this realm's own
// (registering it), or null for this realm's own window and for none.
func (r *realm) windowKey(w *actors.WindowProxy) goja.Value {
	if w == nil || w.PID().Equal(r.ctx.Self()) {
		return goja.Null()
	}
	k := pidKey(w.PID())
	if _, ok := r.proxies[k]; !ok {
		r.proxies[k] = &windowRef{pid: w.PID()}
	}
	return r.rt.ToValue(k)
}

// windowSource returns event.source for a window message from the window
// pid.
func (r *realm) windowSource(pid *actor.PID) goja.Value {
	key := pidKey(pid)
	if pid.Equal(r.ctx.Self()) {
		if r.kind == actors.KindWindow || r.kind == actors.KindIFrame {
			return r.global
		}
		return goja.Null()
	}
	ref, ok := r.proxies[key]
	if !ok {
		ref = &windowRef{pid: pid}
		r.proxies[key] = ref
	}
	return r.proxyObject(key, ref)
}

// proxyObject returns the one proxy object of a known window.
func (r *realm) proxyObject(key string, ref *windowRef) goja.Value {
	if ref.obj == nil {
		v, err := r.call(r.js.windowProxy, goja.Undefined(), r.rt.ToValue(key))
		if err != nil {
			return goja.Null()
		}
		ref.obj = v.(*goja.Object)
	}
	return ref.obj
}

// nativeWindowPost is window.postMessage to this window (key null) or to
// another one (a proxy's key).
func (r *realm) nativeWindowPost(c goja.FunctionCall) goja.Value {
	w := actors.WindowOf(r.ctx.Self())
	if k := c.Argument(0); !goja.IsNull(k) && !goja.IsUndefined(k) {
		ref, ok := r.proxies[k.String()]
		if !ok {
			r.throwType("postMessage: unknown window")
		}
		w = actors.WindowOf(ref.pid)
	}
	target := c.Argument(2).String()
	if target != "*" && target != "/" {
		// The standard parses targetOrigin before it serializes.
		if _, err := origin.Parse(target); err != nil {
			panic(r.domException("Failed to execute 'postMessage' on 'Window': Invalid target origin '"+target+"' in a call to 'postMessage'.", "SyntaxError"))
		}
	}
	s, err := r.codec.serialize(c.Argument(1), r.transferArray(c.Argument(3)))
	if err != nil {
		r.throw(err)
	}
	r.post(s, func(data any, t []messages.Transferable) error {
		return w.PostMessage(r.ctx, data, target, t...)
	})
	return goja.Undefined()
}

// nativeWorkerPost is a dedicated worker's self.postMessage.
func (r *realm) nativeWorkerPost(c goja.FunctionCall) goja.Value {
	s, err := r.codec.serialize(c.Argument(0), r.transferArray(c.Argument(1)))
	if err != nil {
		r.throw(err)
	}
	r.post(s, func(data any, t []messages.Transferable) error {
		return actors.WorkerPostMessage(r.ctx, data, t...)
	})
	return goja.Undefined()
}

// location returns the parts of the realm's location: its URL (given for
// a shared worker and for a worker a script started; the origin's root
// otherwise, "about:blank" for an opaque origin).
func (r *realm) location() *goja.Object {
	o := r.scope.Origin()
	u := r.baseURL()
	href := u.String()
	parts := r.rt.NewObject()
	set := func(k, v string) { _ = parts.Set(k, v) }
	set("href", href)
	set("origin", o.String())
	set("protocol", u.Scheme+":")
	set("host", u.Host)
	set("hostname", u.Hostname())
	set("port", u.Port())
	path := u.EscapedPath()
	if u.Opaque != "" {
		path = u.Opaque
	}
	set("pathname", path)
	set("search", prefixed("?", u.RawQuery))
	set("hash", prefixed("#", u.EscapedFragment()))
	return parts
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
