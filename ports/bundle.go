package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Bundles. A holder that serves its successor's Claim sends it, one after
// another, the State, the messages it kept, the bypass requests it held
// and, when nothing more can come its way, its PrevIs. When the successor
// is an actor of this process they go as one mailbox message, a bundle,
// which the successor handles in one Receive, each in turn, as if they had
// come one by one with nothing between them (one of the orders protoactor
// could have delivered them in). A successor in this process then gets
// what its holder sends while serving the Claim in one mailbox run, not one
// per message (what the holder forwards later still goes alone).
//
// While a.neighbours.outbox is set, whatever the actor sends to the
// outbox's actor (send, sendNews, sendMsg) goes into it instead; sendBundle
// sends what it holds.

// bundle is several protocol messages from one port actor to another of
// this process, in the order they were sent.
type bundle struct {
	to   *actor.PID
	msgs []any
	buf  [4]any // msgs' first array: State, the kept messages, the Bypass requests, and a PrevIs if the holder retires at once
}

func (*bundle) IgnoreDeadLetterLogging() {}

// openBundle starts an outbox for to if it is an actor of this process;
// for another node's actor it does nothing (each message travels alone).
func (a *portActor) openBundle(to *wire.Ref) {
	if pid := to.GetPid(); pid != nil && a.ext().isLocal(pid) {
		b := &bundle{to: pid}
		b.msgs = b.buf[:0]
		a.made().outbox = b
	}
}

// bundled reports whether a message to pid goes into the outbox, and puts
// it there if so.
func (a *portActor) bundled(pid *actor.PID, msg any) bool {
	nb := a.neighbours
	if nb == nil || nb.outbox == nil || !nb.outbox.to.Equal(pid) {
		return false
	}
	nb.outbox.msgs = append(nb.outbox.msgs, msg)
	return true
}

// sendBundle closes the outbox and sends what it holds: a lone message as
// itself, more as a bundle. An actor that is gone gets nothing, and the
// ports inside the messages are returned (see Extension.undelivered).
func (a *portActor) sendBundle(ctx actor.Context) {
	nb := a.neighbours
	if nb == nil || nb.outbox == nil {
		return
	}
	b := nb.outbox
	nb.outbox = nil
	var msg any = b
	switch len(b.msgs) {
	case 0:
		return
	case 1:
		msg = b.msgs[0]
	}
	if _, local, ok := a.ext().liveLocal(b.to); local && !ok {
		a.ext().undelivered(msg)
		return
	}
	a.ext().tr.send(ctx, b.to, msg)
}

// onBundle handles the messages of a bundle in order. What it does not
// handle, because the actor is done (it stopped itself) or handling one
// panicked (Receive then fails the end and it stops), goes where its
// mailbox would have sent it after the stop: undelivered returns the ports
// and Bypass requests in it.
func (a *portActor) onBundle(ctx actor.Context, b *bundle) {
	rest := b.msgs
	defer func() {
		for _, m := range rest {
			a.ext().undelivered(m)
		}
	}()
	for len(rest) > 0 && a.role != roleDone {
		m := rest[0]
		rest = rest[1:]
		if traceHook != nil {
			traceHook(ctx.Self(), a, m)
		}
		a.handle(ctx, m)
		if a.holding() > 0 {
			a.releaseStrangers(ctx)
		}
	}
}
