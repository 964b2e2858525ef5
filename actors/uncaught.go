package actors

import (
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/asynkron/protoactor-go/actor"
)

// ErrorEvent is the web's uncaught exception: a panic in a task of a
// context (its Receive, a middleware after the plugin's, a port's
// OnMessage handler, a timer callback, a continuation given to
// ctx.ReenterAfter, a function given to Plugin.Run). The task ends there; the context
// keeps running with its ports and nested contexts. The event is delivered
// to the context itself as its next task (unless the panic happened while
// handling an ErrorEvent, which would loop), published on the actor
// system's EventStream, and logged at Error level.
type ErrorEvent struct {
	// Context is the context whose task panicked.
	Context *actor.PID
	// Err is the panic value, as an error (a non-error value is
	// formatted with %v).
	Err error
	// Message is the message the user's code was handling when it
	// panicked, as that code received it: the *ports.MessageEvent (or
	// CloseEvent, ConnectEvent, *actor.Started, a message of the user's
	// own...) for a panic in Receive or in middleware added after the
	// plugin's, a *Continuation for a continuation given to
	// ctx.ReenterAfter. It is nil where the user's code was not handling
	// a message: a timer callback, a function given to Plugin.Run, and a
	// port's OnMessage handler (the ports package does not say which
	// event its handler was running). It never holds a type the user's
	// code could not have received (an unexported type, or one of an
	// internal package: the plumbing of ports and of this package).
	Message any
	// Stack is the goroutine's stack at the panic.
	Stack string
}

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
	msg = s.task.message(msg)
	ev := &ErrorEvent{Context: ctx.Self(), Err: err, Message: msg, Stack: string(debug.Stack())}
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
}

// ReenterAfter runs cont as a task of the context once f completes: a
// panic in it is an uncaught exception (an ErrorEvent), and it does not
// run once the context is being destroyed.
func (g *guardedContext) ReenterAfter(f *actor.Future, cont func(res interface{}, err error)) {
	msg := g.Message()
	if s := stateOf(g.Context); s != nil {
		msg = s.task.current(msg)
	}
	g.Context.ReenterAfter(f, func(res interface{}, err error) {
		s := stateOf(g.Context)
		if s == nil {
			cont(res, err)
			return
		}
		if s.closing.Load() {
			return
		}
		s.plugin.tasks.Add(1)
		s.task.begin()
		defer func() {
			if r := recover(); r != nil {
				s.uncaught(g, &Continuation{Message: msg}, r)
			}
		}()
		cont(res, err)
	})
}
