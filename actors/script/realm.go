package script

import (
	"errors"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/internal/rawmsg"
	"github.com/entangle-go/entangle/ports"
)

// realm is the actor of a context that runs JavaScript: one goja runtime,
// touched only from this actor's Receive (and the callbacks the actors
// package runs on its goroutine: timers, Plugin.Run). The mailbox is the
// event loop: every message is one task, and goja's job queue, drained
// when the outermost call into the runtime returns, is the microtask
// checkpoint after it.
type realm struct {
	sources []Source
	url     string // the location's URL; "" for the origin's root

	host   *Host
	plugin *actors.Plugin
	ctx    actor.Context // the context of the task being run
	scope  *actors.Scope
	kind   actors.Kind
	begun  time.Time // the realm's time origin (Event.timeStamp)

	rt       *goja.Runtime
	global   *goja.Object
	internal *goja.Object
	js       jsFuncs
	codec    codec
	// rangeError is the RangeError constructor as it was before any script.
	rangeError *goja.Object
	// syntaxError is the SyntaxError constructor as it was before any
	// script.
	syntaxError *goja.Object
	// trustedGetter is the getter of every event's own isTrusted.
	trustedGetter *goja.Object
	// messageProto is MessageEvent.prototype as the surface made it, and
	// uaMessage the surface's internal.uaMessage (see messageInline).
	messageProto *goja.Object
	uaMessage    goja.Callable
	// transferArg is the surface's internal.transferArg.
	transferArg goja.Callable
	// messageType is the string "message"; origins caches the value of
	// the origin of the last messages (see originValue).
	messageType goja.Value
	origins     originCache
	// What newAgentState and eventPorts use: the flags of a trusted event
	// being dispatched, the kind of MessageEvent, "", the shared empty
	// ports array and Object.freeze, all as the surface had them.
	agentFlags, messageKind, emptyString, noPorts goja.Value
	// agentBits are agentFlags' bits, endedBits what is left of them
	// once a dispatch ends (and ended that as a value).
	agentBits, endedBits int64
	ended                goja.Value
	// eventStates is the surface's map of event states, and setState
	// its set (see runHandler).
	eventStates *goja.Object
	setState    goja.Callable
	// globalHandler is what a message event at the global runs when its
	// onmessage is its only listener of the type (see onlyHandler).
	globalHandler goja.Callable
	running       running // the event runHandler dispatches
	// stopBits are the flags a dispatch's end clears.
	stopBits, canceledBit int64
	freeze                goja.Callable
	dog                   *watchdog

	nestedFn     func()            // what nested runs
	nestedNative goja.Value        // the native that runs nestedFn
	stack        stackKeep         // goja's value stack, kept between outermost calls
	delivery     delivery          // the message being delivered (see onMessage)
	deliverFn    func()            // r.deliver, made once
	depth        int               // > 0 while Go runs inside a call into the runtime
	interrupted  bool              // the current task was interrupted by the watchdog
	reporting    bool              // an error event is being fired (HTML's error reporting mode)
	rejected     rejectionTracking // unhandled promise rejections (rejections.go)
	propagate    *ScriptError      // an error to hand to the actors package (dedicated worker)

	ports portTable
	// workers are the Worker objects whose worker runs (worker.go), and
	// the implicit ports their messages came on.
	workers     map[*goja.Object]*workerObject
	workerPorts map[*ports.MessagePort]*workerObject
	timers      timerTable
	proxies     map[string]*windowRef
	reports     []errorReport
	broken      error // the realm could not be set up
}

// Receive is the realm's event loop.
func (r *realm) Receive(ctx actor.Context) {
	r.ctx = ctx
	switch m := ctx.Message().(type) {
	case *actor.Started:
		r.start(ctx)
	case *ports.MessageEvent:
		r.onMessage(m)
	case *ports.MessageErrorEvent:
		r.onMessageError(m)
	case *ports.CloseEvent:
		r.onClose(m)
	case *actors.ConnectEvent:
		r.onConnect(m)
	case *actors.ErrorEvent:
		r.onErrorEvent(m)
	case *workerLoadFailed:
		r.onWorkerLoadFailed(m)
	case *rejectionHandled:
		r.onRejectionHandled(m)
	case *actor.Stopping:
		r.stop()
	}
	r.flush()
}

// start sets the realm up and runs its sources, in its first task.
func (r *realm) start(ctx actor.Context) {
	r.host = Get(ctx.ActorSystem())
	r.plugin = actors.Get(ctx.ActorSystem())
	r.scope = actors.ScopeOf(ctx)
	r.kind = r.scope.Kind()
	r.begun = time.Now()
	r.proxies = make(map[string]*windowRef)
	r.ports.init()
	r.timers.init()
	if err := rawmsg.SetRaw(ctx); err != nil {
		r.fail(err)
		return
	}
	r.rt = goja.New()
	r.stack = newStackKeep(r.rt)
	r.rt.SetMaxCallStackSize(maxCallStack)
	r.rt.SetPromiseRejectionTracker(r.track)
	r.dog = newWatchdog(r.rt, r.host.cfg.taskLimit)
	r.global = r.rt.GlobalObject()
	// Neither object inherits: a getter a script puts on
	// Object.prototype never sees them.
	r.internal = r.rt.NewObject()
	_ = r.internal.SetPrototype(nil)
	r.rangeError = r.global.Get("RangeError").(*goja.Object)
	r.syntaxError = r.global.Get("SyntaxError").(*goja.Object)
	if err := r.installMethods(); err != nil {
		r.fail(err)
		return
	}
	if err := r.install(r.natives(), r.internal); err != nil {
		r.fail(err)
		return
	}
	if err := r.js.bind(r.internal); err != nil {
		r.fail(err)
		return
	}
	r.trustedGetter, _ = r.internal.Get("trustedGetter").(*goja.Object)
	r.messageProto, _ = r.internal.Get("messageProto").(*goja.Object)
	if r.uaMessage, _ = goja.AssertFunction(r.internal.Get("uaMessage")); r.uaMessage == nil || r.messageProto == nil || r.trustedGetter == nil {
		r.fail(errors.New("script: the web surface has no internal.uaMessage, messageProto or trustedGetter"))
		return
	}
	if r.transferArg, _ = goja.AssertFunction(r.internal.Get("transferArg")); r.transferArg == nil {
		r.fail(errors.New("script: the web surface has no internal.transferArg"))
		return
	}
	r.messageType = r.rt.ToValue("message")
	if err := r.bindDataGetter(); err != nil {
		r.fail(err)
		return
	}
	if err := r.bindAgentEvents(); err != nil {
		r.fail(err)
		return
	}
	r.codec = newCodec(r.rt, r.internal, r)
	r.nestedNative = r.rt.ToValue(func(goja.FunctionCall) goja.Value {
		if fn := r.nestedFn; fn != nil {
			r.nestedFn = nil
			fn()
		}
		return goja.Undefined()
	})
	r.deliverFn = r.deliver
	r.runSources(r.sources)
}

// maxCallStack bounds the depth of JavaScript calls (a RangeError beyond).
const maxCallStack = 10000

// fail reports a realm that could not be set up: it logs, and the
// context serves nothing (its ports and messages are dropped).
func (r *realm) fail(err error) {
	r.broken = err
	r.rt = nil
	r.log(slog.LevelError, "script: the realm could not start: "+err.Error())
}

// ready reports whether the realm can run tasks.
func (r *realm) ready() bool { return r.rt != nil }

// runSources runs sources in order as one task, in one outermost call, so
// that nothing (no microtask) runs between them; a source that does not
// compile or throws is reported, and the next one runs.
func (r *realm) runSources(sources []Source) {
	runAll := func(goja.FunctionCall) goja.Value {
		for _, src := range sources {
			if r.interrupted {
				break
			}
			prog, err := src.compile(r.host.cfg.fs)
			if err != nil {
				r.reportLoad(src, err)
				continue
			}
			if _, err := r.run(prog); err != nil {
				r.uncaught(err)
			}
		}
		return goja.Undefined()
	}
	r.beginTask()
	if _, err := r.call(r.js.within, goja.Undefined(), r.rt.ToValue(runAll)); err != nil {
		r.uncaught(err)
	}
	r.endTask()
}

// stop releases what the realm holds outside the runtime.
func (r *realm) stop() {
	if r.dog != nil {
		r.dog.stop()
	}
	r.timers.clear()
}

// installMethods puts on the realm's internal object, for the surface's
// files, the methods of its interfaces that are natives: portPostMethod
// (MessagePort.prototype.postMessage, see methodPortPost), named and
// sized as the method of script it stands for.
func (r *realm) installMethods() error {
	fn := r.rt.ToValue(r.methodPortPost).(*goja.Object)
	if err := fn.DefineDataProperty("name", r.rt.ToValue("postMessage"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := fn.DefineDataProperty("length", r.rt.ToValue(2), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return r.internal.Set("portPostMethod", fn)
}
