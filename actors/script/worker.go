package script

import (
	"log/slog"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// The realm's Worker objects (js/35-worker.js): each started one stands
// for the actors package's handle on a dedicated worker of this context.
// Messages from the worker are message events at the object, and the
// worker's errors that its script did not cancel are error events at the
// object first; if the object's listeners do not cancel one either, it is
// reported in this realm as its own (and goes on to this context's
// creator if this is a worker too).

// workerObject is one Worker object.
type workerObject struct {
	obj *goja.Object
	w   *actors.Worker
	// handler is the function a message event at obj runs when it is
	// obj's only listener of the type (see onlyHandler).
	handler goja.Callable
}

// workerLoadFailed is the task that fires error at a Worker object whose
// script could not be fetched or does not parse (HTML's run of a worker
// fails: a task fires a plain error event at the object; no worker
// runs).
type workerLoadFailed struct{ obj *goja.Object }

// nativeNewWorker is host.newWorker(object, url, name, type): the rest of
// new Worker(url, {name, type}) once the surface has read its arguments.
// A URL that does not parse is a SyntaxError; one of another origin is the
// SecurityError that the constructor's first step allows for a policy
// decision (as Chromium throws); a module worker is not supported. A
// script that cannot be fetched, or does not parse, is HTML's failed run
// of a worker: a plain error event at the object, in a task of its own,
// and no worker.
func (r *realm) nativeNewWorker(c goja.FunctionCall) goja.Value {
	const what = "Failed to construct 'Worker'"
	obj := objectArg(c, 0)
	raw, name, typ := c.Argument(1).String(), c.Argument(2).String(), c.Argument(3).String()
	u, err := r.resolveURL(raw)
	if err != nil {
		panic(r.domException(what+": "+err.Error()+".", "SyntaxError"))
	}
	if typ == "module" {
		panic(r.domException(what+": module workers are not supported: goja runs classic scripts only.", "NotSupportedError"))
	}
	if !r.sameOrigin(u) {
		panic(r.domException(what+": Script at '"+u.String()+"' cannot be accessed from origin '"+r.scope.Origin().String()+"'.", "SecurityError"))
	}
	src := Code(u.String(), "")
	src.text, err = r.fetchScript(u)
	if err == nil {
		_, err = src.compile(nil) // the worker's realm finds it compiled
	}
	if err != nil {
		r.log(slog.LevelWarn, "script: new Worker("+u.String()+"): "+err.Error())
		r.ctx.Send(r.ctx.Self(), &workerLoadFailed{obj: obj})
		return goja.Undefined()
	}
	w, err := actors.NewWorker(r.ctx, producerAt(u.String(), []Source{src}), actors.WorkerOptions{Name: name})
	if err != nil {
		r.throw(err)
	}
	if r.workers == nil {
		r.workers = make(map[*goja.Object]*workerObject)
		r.workerPorts = make(map[*ports.MessagePort]*workerObject)
	}
	r.workers[obj] = &workerObject{obj: obj, w: w}
	return goja.Undefined()
}

// workerOf returns the Worker object whose worker sent ev (a message, or
// a probe with its Target) over its implicit channel, or nil.
func (r *realm) workerOf(ev *ports.MessageEvent) *workerObject {
	if o, ok := r.workerPorts[ev.Target]; ok {
		return o
	}
	for _, o := range r.workers {
		if o.w.From(ev) {
			r.workerPorts[ev.Target] = o
			return o
		}
	}
	return nil
}

// workerObjectOf returns the entry of a Worker object, or nil.
func (r *realm) workerObjectOf(obj *goja.Object) *workerObject {
	return r.workers[obj]
}

// forgetWorker drops the entry of a Worker object whose worker is gone
// (terminated, or ended: the close event of its implicit channel): the
// object stays, its worker answers no more.
func (r *realm) forgetWorker(o *workerObject) {
	delete(r.workers, o.obj)
	for p, x := range r.workerPorts {
		if x == o {
			delete(r.workerPorts, p)
		}
	}
}

// nativeWorkerObjectPost is host.workerObjectPost(object, message,
// transfer): worker.postMessage. A message to a worker that never ran, was
// terminated or has ended is dropped (its transfer still happens).
func (r *realm) nativeWorkerObjectPost(c goja.FunctionCall) goja.Value {
	o := r.workerObjectOf(objectArg(c, 0))
	s, err := r.codec.serialize(c.Argument(1), r.transferArray(c.Argument(2)))
	if err != nil {
		r.throw(err)
	}
	if o == nil {
		r.dropSerialized(s)
		return goja.Undefined()
	}
	r.post(s, func(data any, t []messages.Transferable) error {
		return o.w.PostMessage(r.ctx, data, t...)
	})
	return goja.Undefined()
}

// nativeWorkerTerminate is host.workerTerminate(object): worker.terminate().
func (r *realm) nativeWorkerTerminate(c goja.FunctionCall) goja.Value {
	if o := r.workerObjectOf(objectArg(c, 0)); o != nil {
		r.forgetWorker(o)
		if err := o.w.Terminate(r.ctx); err != nil {
			r.throw(err)
		}
	}
	return goja.Undefined()
}

// onWorkerLoadFailed fires error at a Worker object whose script could
// not be fetched or does not parse.
func (r *realm) onWorkerLoadFailed(m *workerLoadFailed) {
	if r.ready() {
		r.firePlainTask(m.obj, "error")
	}
}

// workerError fires an error event at the Worker object of w for the
// worker's uncaught exception msg, at pos; it reports whether the event
// was not canceled (true if w has no object here).
func (r *realm) workerError(w *actors.Worker, msg string, pos position) bool {
	for _, o := range r.workers {
		if o.w != w {
			continue
		}
		ev, err := r.agentEvent(r.js.errorEvent, r.rt.ToValue(msg), r.rt.ToValue(pos.file), r.rt.ToValue(pos.line), r.rt.ToValue(pos.col), goja.Null())
		if err != nil {
			r.uncaught(err)
			return true
		}
		return r.fire(o.obj, ev)
	}
	return true
}
