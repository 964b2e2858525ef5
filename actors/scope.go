package actors

import (
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/ctxext"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

var scopeExtID = ctxext.NextContextExtensionID()

// scope is the plugin's state of one context: what the web keeps in a
// Window or WorkerGlobalScope. Apart from the fields marked atomic, it is
// touched only on the context's own goroutine.
type scope struct {
	plugin *Plugin
	kind   Kind
	origin origin.Origin
	name   string // a shared worker's name
	self   *actor.PID
	parent *scope // the creating context for iframes and dedicated workers
	top    *actor.PID

	// closing is set (possibly by another context) when the context is to
	// be destroyed: from then on its queued tasks are discarded.
	closing atomic.Bool

	destroying bool              // the destroy sequence has begun
	children   map[string]*scope // nested contexts (iframes, dedicated workers), by PID id

	timers    map[TimerID]*pendingTimer
	nextTimer TimerID

	// Dedicated worker: its end of the implicit channel, and the Started
	// message held back until that port has arrived.
	workerPort  *ports.MessagePort
	heldStarted *actor.MessageEnvelope
	// Creator side: the implicit ports of the workers this context made.
	workers map[*ports.MessagePort]*Worker

	// Shared worker: the contexts that connected (its owner set), and its
	// registry entry.
	owners map[string]*actor.PID
	entry  *sharedEntry
	// Any context: the shared workers it connected to, told when it goes.
	sharedWith map[string]*actor.PID

	// bridge, for a Bridge's context.
	bridge *Bridge
}

// ExtensionID implements ctxext.ContextExtension.
func (*scope) ExtensionID() ctxext.ContextExtensionID { return scopeExtID }

// scopeOf returns the plugin state of the actor behind c, or nil if it is
// not one of the plugin's contexts.
func scopeOf(c interface {
	Get(ctxext.ContextExtensionID) ctxext.ContextExtension
}) (s *scope) {
	defer func() {
		// protoactor's context extensions index a slice without a
		// bounds check; an actor that never set ours may lack the slot.
		if recover() != nil {
			s = nil
		}
	}()
	s, _ = c.Get(scopeExtID).(*scope)
	return s
}

// requestDestroy starts the destruction of s from any goroutine: its
// queued tasks are discarded from now on, and the context runs its destroy
// sequence when it next gets to run.
func (s *scope) requestDestroy(sender actor.SenderContext) {
	s.closing.Store(true)
	s.leaveRegistry()
	sender.Send(s.self, &destroyReq{})
}

// destroyReq asks a context to destroy itself (see beginDestroy).
type destroyReq struct{}

// beginDestroy runs the destroy sequence on the context's goroutine: it
// stops the timers, closes the ports (ports.Drain: the peers get their
// close after what was posted; ports posted away finish their transfer),
// destroys the nested contexts, and, once they are all gone, poisons
// itself so that the ports middleware stops it when its port actors have
// retired.
func (s *scope) beginDestroy(ctx actor.Context) {
	if s.destroying {
		return
	}
	s.destroying = true
	s.closing.Store(true)
	s.leaveRegistry()
	s.stopTimers()
	for id, owner := range s.owners {
		ctx.Unwatch(owner)
		delete(s.owners, id)
	}
	_ = ports.Drain(ctx)
	for _, c := range s.children {
		c.requestDestroy(ctx)
	}
	s.maybeFinish(ctx)
}

// maybeFinish poisons the context once its nested contexts are gone.
func (s *scope) maybeFinish(ctx actor.Context) {
	if s.destroying && len(s.children) == 0 {
		ctx.Poison(ctx.Self())
	}
}

// childGone forgets a nested context that has stopped.
func (s *scope) childGone(ctx actor.Context, who *actor.PID) bool {
	if _, ok := s.children[who.GetId()]; !ok {
		return false
	}
	delete(s.children, who.GetId())
	s.maybeFinish(ctx)
	return true
}
