package actors

import (
	"github.com/asynkron/protoactor-go/actor"
)

// reportError delivers an ErrorEvent made for s to its code as a task,
// then, unless the code called PreventDefault, tells s's kind (a dedicated
// worker reports it to its creator).
func (s *contextState) reportError(ctx actor.Context, next actor.ReceiverFunc, env *actor.MessageEnvelope, ev *ErrorEvent) {
	s.countTask()
	ev.handling.Store(true)
	s.guard(ctx, next, env)
	ev.handling.Store(false)
	if !ev.canceled.Load() && !s.closing.Load() {
		s.behaviour.unhandled(ctx, s, ev)
	}
}

// workerError carries an error a dedicated worker did not handle to its
// creator.
type workerError struct {
	ev     *ErrorEvent
	worker *Worker // the creator's handle on the worker
}

// IgnoreDeadLetterLogging: the creator may be gone already.
func (*workerError) IgnoreDeadLetterLogging() {}

// unhandled sends the error on to the creator: the web's error event at
// the Worker object, fired in the creator.
func (w *dedicatedWorker) unhandled(ctx actor.Context, s *contextState, ev *ErrorEvent) {
	if s.parent == nil || w.handle == nil {
		return
	}
	ctx.Send(s.parent.self, &workerError{ev: ev, worker: w.handle})
}

// onWorkerError delivers, in the creator, the error of one of its workers
// as an ErrorEvent for that Worker; unless the creator has terminated the
// worker or is being destroyed.
func (s *contextState) onWorkerError(ctx actor.Context, next actor.ReceiverFunc, m *workerError) {
	w := m.worker
	if s.closing.Load() || w == nil || w.creator != s || w.terminated {
		return
	}
	ev := &ErrorEvent{Context: m.ev.Context, Worker: w, Err: m.ev.Err, Stack: m.ev.Stack, target: s}
	s.reportError(ctx, next, actor.WrapEnvelope(ev), ev)
}
