package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Protocol messages whose receiver may have stopped by the time they are
// sent (a Landed for a holder that has been claimed and retired, a PrevIs
// for a peer that has closed, a Closed or Bypass for a neighbour that
// closed meanwhile: a port claimed before its old holder knows the peer
// closed forwards a Bypass to the gone peer) go through sendNews, so that
// none becomes a dead letter: to an actor of this process, a message goes
// to the actor's process only if that is still registered, and one that
// stops after that leaves it in its mailbox (a port actor's mailbox hands
// what is left to undelivered; protoactor's drops it). For an actor that
// is gone already the extension does at once what the dead letter would
// have made it do. An Unwatch of a gone actor,
// and a Watch of one, are not sent at all (see watch). Dead letters, and
// protoactor's INFO lines about them, are then left to real losses.

// liveLocal returns the process of pid if it is an actor of this process
// that is still registered; ok is false if it is gone. local is false for
// an actor on another node (or with a test transport in place).
func (e *Extension) liveLocal(pid *actor.PID) (p actor.Process, local, ok bool) {
	if _, direct := e.tr.(directTransport); !direct || !e.isLocal(pid) {
		return nil, false, false
	}
	p, ok = e.localProcess(pid)
	return p, true, ok
}

// sendNews sends msg to a port's neighbour, or to the actor that needs the
// news. To an actor of this process that is gone already it sends nothing
// and does what the message's dead letter would have made the extension do
// (undelivered: a Bypass goes back to the proxy that made it, as a
// BypassRetry; news for a gone actor tells nobody anything). The outcome
// is the same as sending it, without the DeadLetterEvent and protoactor's
// INFO line. Actors on other nodes get it as always.
func (e *Extension) sendNews(ctx actor.SenderContext, to *actor.PID, msg any) {
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

// sendNews is portActor.send for messages whose receiver may have stopped
// (see Extension.sendNews).
func (a *portActor) sendNews(ctx actor.Context, to *wire.Ref, msg any) {
	if to == nil || to.GetPid() == nil || a.bundled(to.GetPid(), msg) {
		return
	}
	a.ext().sendNews(ctx, to.GetPid(), msg)
}

// unwatch stops watching who, without a dead letter if who is gone.
func (e *Extension) unwatch(ctx actor.Context, who *actor.PID) {
	if w := e.watchListOf(who); w != nil && w.remove(ctx.Self()) {
		return
	}
	// Not in the list: watched before who started (with protoactor), or
	// who took this actor out itself (a retiring proxy, see retire); a
	// protoactor Unwatch covers both.
	p, local, ok := e.liveLocal(who)
	switch {
	case !local:
		ctx.Unwatch(who)
	case ok:
		p.SendSystemMessage(who, &actor.Unwatch{Watcher: ctx.Self()})
	}
}
