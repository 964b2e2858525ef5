package actors

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
)

// Kind is the kind of web context an actor plays.
type Kind uint8

// The kinds of context.
const (
	// KindWindow is a top-level browsing context (a window or tab).
	KindWindow Kind = iota + 1
	// KindIFrame is a nested browsing context, created by another
	// browsing context with CreateIFrame.
	KindIFrame
	// KindDedicatedWorker is a dedicated worker, created with NewWorker.
	KindDedicatedWorker
	// KindSharedWorker is a shared worker, created or connected to with
	// NewSharedWorker.
	KindSharedWorker
	// KindBridge is the context behind a Bridge, for code outside actors.
	KindBridge
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindWindow:
		return "window"
	case KindIFrame:
		return "iframe"
	case KindDedicatedWorker:
		return "dedicated-worker"
	case KindSharedWorker:
		return "shared-worker"
	case KindBridge:
		return "bridge"
	}
	return "unknown"
}

// behaviour is what one kind of context does that the others do not. Each
// kind is a type of its own, in its own file (window.go, iframe.go,
// worker.go, sharedworker.go, bridge.go), holding the state only that kind
// has; a context's state holds its behaviour, and the context's middleware
// calls it at the points below, on the context's goroutine unless said
// otherwise. A kind embeds plainKind for the points where it does nothing.
type behaviour interface {
	// kind returns the Kind of the context.
	kind() Kind
	// browsing reports whether the context is a browsing context: it has
	// window.postMessage, a parent and a top, and may embed iframes.
	browsing() bool
	// started is told of the context's Started before the user's code
	// sees it; it returns false to hold the Started back (the kind then
	// hands it to next itself, later).
	started(s *contextState, env *actor.MessageEnvelope) bool
	// event is shown a context message meant for one kind (a worker's
	// implicit port, a shared worker's connection: a *ports.MessageEvent
	// whose meta.Kind says so), unless the context is closing, and every
	// *ports.CloseEvent, before the user's code. It returns true when it
	// has consumed the event; a context message that no kind consumes has
	// its ports closed.
	event(ctx actor.Context, s *contextState, ev any, meta contextmsg.Meta, next actor.ReceiverFunc) bool
	// gone is told that an actor the context watches has stopped, or said
	// it is leaving; it returns true if that actor was one of the kind's.
	gone(ctx actor.Context, s *contextState, who *actor.PID) bool
	// closing is told that the context is to be destroyed. It may run on
	// any goroutine, more than once.
	closing(s *contextState)
	// destroying runs when the context's destroy sequence begins, after
	// its timers have stopped and before its ports are drained.
	destroying(ctx actor.Context, s *contextState)
	// stopped runs once the context's actor has stopped and left the
	// plugin's books, before the user's code sees the Stopped.
	stopped(s *contextState)
	// unhandled is told of an ErrorEvent the context's code has handled
	// without PreventDefault, while the context is not closing: a
	// dedicated worker reports it to its creator.
	unhandled(ctx actor.Context, s *contextState, ev *ErrorEvent)
}

// plainKind is the behaviour of a kind at the points where it does
// nothing of its own.
type plainKind struct{}

func (plainKind) started(*contextState, *actor.MessageEnvelope) bool { return true }

func (plainKind) event(actor.Context, *contextState, any, contextmsg.Meta, actor.ReceiverFunc) bool {
	return false
}

func (plainKind) gone(actor.Context, *contextState, *actor.PID) bool  { return false }
func (plainKind) closing(*contextState)                               {}
func (plainKind) destroying(actor.Context, *contextState)             {}
func (plainKind) stopped(*contextState)                               {}
func (plainKind) unhandled(actor.Context, *contextState, *ErrorEvent) {}

// Message kinds carried in contextmsg.Meta.Kind between contexts.
const (
	kindWindowMessage = "entangle/window"
	kindWorkerInit    = "entangle/worker-init"
	kindConnect       = "entangle/connect"
)
