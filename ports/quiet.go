package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Protocol news that is useless once its receiver has stopped (a Landed for
// a holder that has been claimed and retired, a PrevIs for a peer that has
// closed, an Unwatch of an actor that is gone) is sent so that it never
// becomes a dead letter: to an actor of this process, it goes to the
// actor's process only if that is still registered, and a process that
// stops after that discards it silently (protoactor drops what is left in
// a stopped actor's mailbox). A Watch of a gone actor of this process is
// not sent at all (see watch). The control messages that can race with a
// neighbour's stop (Closed, Bypass, BypassRetry: a port claimed before its
// old holder knows the peer closed forwards a Bypass to the gone peer) go
// through sendControl, which does at once what their dead letter would
// have made the extension do. Dead letters, and protoactor's INFO lines
// about them, are then left to real losses.

// liveLocal returns the process of pid if it is an actor of this process
// that is still registered; ok is false if it is gone. local is false for
// an actor on another node (or with a test transport in place).
func (e *Extension) liveLocal(pid *actor.PID) (p actor.Process, local, ok bool) {
	if _, direct := e.tr.(directTransport); !direct || !e.isLocal(pid) {
		return nil, false, false
	}
	p, ok = e.system.ProcessRegistry.GetLocal(pid.GetId())
	return p, true, ok
}

// sendNews sends msg, news that is useless to an actor that has stopped.
func (e *Extension) sendNews(ctx actor.SenderContext, to *actor.PID, msg any) {
	p, local, ok := e.liveLocal(to)
	switch {
	case !local:
		e.tr.send(ctx, to, msg)
	case ok:
		p.SendUserMessage(to, msg)
	}
}

// watch watches who, unless who is an actor of this process that is gone
// already: then it reports false and sends nothing. protoactor would route
// that Watch to its dead-letter process, which publishes a DeadLetterEvent
// on the EventStream and answers with a Terminated; a port re-watches its
// neighbours each time its role changes, and in a transfer they are often
// gone by then. Everything a gone local actor sent is in its receivers'
// mailboxes already, so the caller may look at the death at once.
func (e *Extension) watch(ctx actor.Context, who *actor.PID) bool {
	if w := e.watchListOf(who); w != nil {
		return w.add(ctx.Self()) // see localwatch.go
	}
	p, local, ok := e.liveLocal(who)
	switch {
	case !local:
		ctx.Watch(who)
	case ok:
		p.SendSystemMessage(who, &actor.Watch{Watcher: ctx.Self()})
	}
	return !local || ok
}

// sendControl sends msg, a control message for a route neighbour. To an
// actor of this process that is gone already it sends nothing and does what
// the message's dead letter would have made the extension do (undelivered:
// a Bypass goes back to the proxy that made it, as a BypassRetry; a Closed
// or BypassRetry for a gone actor tells nobody anything). The outcome is
// the same as sending it, without the DeadLetterEvent and protoactor's INFO
// line. Actors on other nodes get it as always.
func (e *Extension) sendControl(ctx actor.SenderContext, to *actor.PID, msg any) {
	p, local, ok := e.liveLocal(to)
	switch {
	case !local:
		e.tr.send(ctx, to, msg)
	case ok:
		p.SendUserMessage(to, msg)
	default:
		e.undelivered(msg)
	}
}

// sendControl is portActor.send for control messages that may race with
// their receiver's stop (see Extension.sendControl).
func (a *portActor) sendControl(ctx actor.Context, to *wire.Ref, msg any) {
	if to == nil || to.GetPid() == nil {
		return
	}
	a.ext().sendControl(ctx, to.GetPid(), msg)
}

// sendNews is portActor.send for news: nothing if to is gone (see
// Extension.sendNews).
func (a *portActor) sendNews(ctx actor.Context, to *wire.Ref, msg any) {
	if to == nil || to.GetPid() == nil {
		return
	}
	a.ext().sendNews(ctx, to.GetPid(), msg)
}

// unwatch stops watching who, without a dead letter if who is gone.
func (e *Extension) unwatch(ctx actor.Context, who *actor.PID) {
	if w := e.watchListOf(who); w != nil && w.remove(ctx.Self()) {
		return
	}
	// Not in the list (watched before who started): with protoactor.
	p, local, ok := e.liveLocal(who)
	switch {
	case !local:
		ctx.Unwatch(who)
	case ok:
		p.SendSystemMessage(who, &actor.Unwatch{Watcher: ctx.Self()})
	}
}
