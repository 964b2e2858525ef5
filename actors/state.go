package actors

import (
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/ctxext"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

var stateExtID = ctxext.NextContextExtensionID()

// contextState is the plugin's state of one context: what the web keeps in a
// Window or WorkerGlobalScope. Apart from the fields marked atomic, it is
// touched only on the context's own goroutine.
type contextState struct {
	plugin    *Plugin
	taskCount *atomic.Int64 // this context's stripe of plugin.tasks, taken at its first task (countTask)
	// behaviour is what the context's kind does (window.go, iframe.go,
	// worker.go, sharedworker.go, bridge.go), with that kind's own state.
	behaviour behaviour
	origin    origin.Origin
	self      *actor.PID
	parent    *contextState // the creating context for iframes and dedicated workers
	top       *actor.PID

	// closing is set (possibly by another context) when the context is to
	// be destroyed: from then on its queued tasks are discarded.
	closing atomic.Bool

	destroying bool                     // the destroy sequence has begun
	children   map[string]*contextState // nested contexts (iframes, dedicated workers), by PID id

	timers    map[TimerID]*pendingTimer
	nextTimer TimerID

	// Creator side: the implicit ports of the workers this context made.
	workers map[*ports.MessagePort]*Worker
	// The shared workers this context connected to, told when it goes.
	sharedWith map[string]*actor.PID

	// What the user's code is handling (see handling.go).
	task taskNote
}

// ExtensionID implements ctxext.ContextExtension.
func (*contextState) ExtensionID() ctxext.ContextExtensionID { return stateExtID }

// stateOf returns the plugin state of the actor behind c, or nil if it is
// not one of the plugin's contexts.
func stateOf(c interface {
	Get(ctxext.ContextExtensionID) ctxext.ContextExtension
}) (s *contextState) {
	defer func() {
		// protoactor's context extensions index a slice without a
		// bounds check; an actor that never set ours may lack the slot.
		if recover() != nil {
			s = nil
		}
	}()
	s, _ = c.Get(stateExtID).(*contextState)
	return s
}

// requestDestroy starts the destruction of s from any goroutine: its
// queued tasks are discarded from now on, and the context runs its destroy
// sequence when it next gets to run.
func (s *contextState) requestDestroy(sender actor.SenderContext) {
	s.closing.Store(true)
	s.behaviour.closing(s)
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
func (s *contextState) beginDestroy(ctx actor.Context) {
	if s.destroying {
		return
	}
	s.destroying = true
	s.closing.Store(true)
	s.behaviour.closing(s)
	s.stopTimers()
	s.behaviour.destroying(ctx, s)
	_ = ports.Drain(ctx)
	for _, c := range s.children {
		c.requestDestroy(ctx)
	}
	s.maybeFinish(ctx)
}

// maybeFinish poisons the context once its nested contexts are gone.
func (s *contextState) maybeFinish(ctx actor.Context) {
	if s.destroying && len(s.children) == 0 {
		ctx.Poison(ctx.Self())
	}
}

// childGone forgets a nested context that has stopped.
func (s *contextState) childGone(ctx actor.Context, who *actor.PID) bool {
	if _, ok := s.children[who.GetId()]; !ok {
		return false
	}
	delete(s.children, who.GetId())
	s.maybeFinish(ctx)
	return true
}

// childSeq numbers the nested contexts spawned without a name.
var childSeq atomic.Uint64

// spawnChild spawns a nested context of s (an iframe or a dedicated
// worker) as a child actor, with its state prepared here.
func (s *contextState) spawnChild(ctx actor.Context, child *contextState, prefix, name string, producer actor.Producer, props []actor.PropsOption) (*actor.PID, error) {
	if producer == nil {
		return nil, newError(messages.ErrInvalidState, "a context needs a producer")
	}
	if name == "" {
		name = prefix + "-" + strconv.FormatUint(childSeq.Add(1), 36)
	}
	// protoactor names a child parent/name; knowing the PID before the
	// spawn lets the state be complete before the child runs.
	child.self = actor.NewPID(ctx.ActorSystem().Address(), ctx.Self().GetId()+"/"+name)
	pid, err := ctx.SpawnNamed(contextProps(&spec{made: child}, producer, props), name)
	if err != nil {
		return nil, fmt.Errorf("actors: spawning %s: %w", name, err)
	}
	if s.children == nil {
		s.children = make(map[string]*contextState)
	}
	s.children[pid.GetId()] = child
	return pid, nil
}

// countTask counts a task of this context for actorstest.WaitQuiet, on the
// context's goroutine. Contexts count on stripes of their own, so that two
// contexts busy on two cores do not pass one counter's cache line back and
// forth at every task.
func (s *contextState) countTask() {
	if s.taskCount == nil {
		s.taskCount = s.plugin.tasks.Slot()
	}
	s.taskCount.Add(1)
}
