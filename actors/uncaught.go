package actors

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
)

// ErrorEvent is the web's uncaught exception: a panic in a task of a
// context (its Receive, a middleware after the plugin's, a port's
// OnMessage or OnData handler, a timer callback, a continuation given to
// ctx.ReenterAfter, a function given to Plugin.Run). The task ends there;
// the context keeps running with its ports and nested contexts. The event
// is delivered to the context itself as its next task (unless the panic
// happened while handling an ErrorEvent, which would loop), published on
// the actor system's EventStream, and logged at Error level.
//
// In a dedicated worker, the event then goes on to the creator, as the
// HTML Standard's "report an exception" does, unless the worker's code
// calls PreventDefault while its Receive handles the event: the creator
// gets an ErrorEvent of its own for that worker (Worker set), as its next
// task; if the creator, in turn, does not call PreventDefault and is a
// dedicated worker itself, the event goes on to its creator, and so on up.
// The copies are not published or logged again. Nothing goes to the
// creator once it has called Terminate on that worker, or once the worker
// or the creator is being destroyed. Windows, iframes and shared workers
// report to no one else (a shared worker's errors do not reach the
// contexts connected to it, as on the web).
type ErrorEvent struct {
	// Context is the context whose task panicked (in a creator, the
	// worker where the panic happened, however deeply nested).
	Context *actor.PID
	// Worker is nil in the context whose task panicked. In a creator, it
	// is the creator's handle on its worker the error came from: the
	// web's error event at the Worker object.
	Worker *Worker
	// Err is the panic value, as an error (a non-error value is
	// formatted with %v).
	Err error
	// Message is the message the user's code was handling when it
	// panicked, as that code received it: the *ports.MessageEvent (or
	// CloseEvent, ConnectEvent, *actor.Started, a message of the user's
	// own...) for a panic in Receive or in middleware added after the
	// plugin's, a *Continuation for a continuation given to
	// ctx.ReenterAfter, the *ports.MessageEvent a port's OnMessage
	// handler was given, the data an OnData handler was given (whatever
	// its type). It is nil where the user's code was not handling
	// a message: a timer callback, a function given to Plugin.Run. It
	// never holds a type the user's
	// code could not have received (an unexported type, or one of an
	// internal package: the plumbing of ports and of this package). In a
	// creator (Worker set) it is nil: the message belongs to the worker.
	Message any
	// Stack is the goroutine's stack at the panic.
	Stack string

	// target is the context the plugin delivers the event to; nil for an
	// ErrorEvent made by someone else.
	target *contextState
	// handling is set while target's Receive handles the event.
	handling atomic.Bool
	// canceled is set by PreventDefault while handling.
	canceled atomic.Bool
}

// PreventDefault is the web's event.preventDefault() on an error event:
// called by the context's code while its Receive handles the event, it
// marks the error handled, so that it goes no further (to the creator of
// a dedicated worker). Called at any other time, or on an event the
// plugin did not deliver, it does nothing.
func (e *ErrorEvent) PreventDefault() {
	if e.handling.Load() {
		e.canceled.Store(true)
	}
}

// DefaultPrevented reports whether PreventDefault took effect.
func (e *ErrorEvent) DefaultPrevented() bool { return e.canceled.Load() }

// Error returns a description of the uncaught exception.
func (e *ErrorEvent) Error() string {
	return fmt.Sprintf("actors: uncaught exception in %s: %v", e.Context, e.Err)
}

// Unwrap returns the panic value if it was an error.
func (e *ErrorEvent) Unwrap() error { return e.Err }

// guard runs one task of the context and turns a panic into an ErrorEvent.
func (s *contextState) guard(ctx actor.Context, next actor.ReceiverFunc, env *actor.MessageEnvelope) {
	s.task.begin()
	defer func() {
		if r := recover(); r != nil {
			s.uncaught(ctx, env.Message, r)
		}
	}()
	next(ctx, env)
}

// uncaught reports a panic of a task.
func (s *contextState) uncaught(ctx actor.Context, msg any, r any) {
	err, ok := r.(error)
	if !ok {
		err = fmt.Errorf("%v", r)
	}
	msg = s.task.message(msg, contextmsg.PanickedInHandler(ctx))
	ev := &ErrorEvent{Context: ctx.Self(), Err: err, Message: msg, Stack: string(debug.Stack()), target: s}
	s.plugin.log.Error("uncaught exception in a context task",
		slog.String("context", ctx.Self().String()),
		slog.String("kind", s.behaviour.kind().String()),
		slog.String("message", fmt.Sprintf("%T", msg)),
		slog.Any("error", err))
	ctx.ActorSystem().EventStream.Publish(ev)
	if _, loop := msg.(*ErrorEvent); !loop && !s.closing.Load() {
		ctx.Send(ctx.Self(), ev)
	}
}

// Continuation is the Message of an ErrorEvent for a panic in a
// continuation given to ctx.ReenterAfter.
type Continuation struct {
	// Message is the message the context's code was handling when it
	// called ReenterAfter, by the rules of ErrorEvent.Message.
	Message any
}

// guardContinuations decorates a context's actor.Context so that the
// continuations given to ReenterAfter run as tasks of the context, under
// the uncaught-exception guard. protoactor runs them as system messages,
// past the receiver middleware: unguarded, a panic in one would restart
// the context and stop all its ports.
func guardContinuations(next actor.ContextDecoratorFunc) actor.ContextDecoratorFunc {
	return func(ctx actor.Context) actor.Context {
		return next(&guardedContext{Context: ctx})
	}
}

type guardedContext struct {
	actor.Context
	// state is the context's, kept by stateOfTask once it has looked it
	// up, so that the plugin's middleware finds it without a lookup.
	state *contextState
}

// ReenterAfter runs cont as a task of the context once f completes: a
// panic in it is an uncaught exception (an ErrorEvent), and it does not
// run once the context is being destroyed.
func (g *guardedContext) ReenterAfter(f *actor.Future, cont func(res interface{}, err error)) {
	msg := g.Message()
	if s := stateOf(g.Context); s != nil {
		msg = s.task.current(msg, false) // (in a port's handler g.Message() is not set: nothing to name)
	}
	g.Context.ReenterAfter(f, func(res interface{}, err error) {
		// Posts to other nodes gathered in the continuation leave when
		// it ends, as after any task (ports' ReceiverMiddleware does that
		// for messages; continuations pass it by).
		defer contextmsg.EndTurn(g.Context)
		s := stateOf(g.Context)
		if s == nil {
			cont(res, err)
			return
		}
		if s.closing.Load() {
			return
		}
		s.countTask()
		s.task.begin()
		defer func() {
			if r := recover(); r != nil {
				s.uncaught(g, &Continuation{Message: msg}, r)
			}
		}()
		cont(res, err)
	})
}
