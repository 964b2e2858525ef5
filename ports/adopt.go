package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// The transfer, at the new owner. The owner that receives a token spawns
// a pending successor (owner.adopt), which claims the port from the holder
// and becomes the open end with the State it gets (onState, adopt), or a
// port whose channel is lost if the claim is refused or the holder dies.

// adopt makes a transferred port this actor's own: a successor actor is
// spawned as its child and claims the port's state from the holder.
//
// The holder watches this actor while the message is with it (in its
// mailbox, or in the queue of one of its ports) and learns here that the
// successor has the port now: from this actor, so before this actor could
// be seen to die.
func (o *owner) adopt(ctx actor.Context, t *wire.Token) *MessagePort {
	c := o.newCore(t.GetChannel(), t.GetSide(), t.GetHolder().GetEpoch()+1)
	o.spawn(ctx, portInit{core: c, holder: t})
	handOver(o.ext, ctx, []*wire.Token{t}, c.pid)
	return &c.handle
}

// onState adopts the counters and route of the port this actor succeeds.
func (a *portActor) onState(ctx actor.Context, s *wire.State) {
	if p := a.pending(); p == nil || !sameRef(p.holder.GetHolder(), s.GetFrom()) {
		a.reject(ctx, s, "State from an actor that is not this port's holder")
		return
	}
	a.adopt(ctx, s.GetFrom(), s.GetPeer(), s.GetNextOut(), s.GetNextIn(), s.GetPeerClosed(), s.GetLost(), s.GetLastIn(), s.GetCloseFired())
}

// onClaimRejected: the port arrived dead (its holder had closed it, or the
// message carrying it was abandoned). It behaves as a port whose channel
// was lost.
func (a *portActor) onClaimRejected(ctx actor.Context, m *wire.ClaimRejected) {
	if p := a.pending(); p == nil || !sameRef(p.holder.GetHolder(), m.GetFrom()) {
		a.reject(ctx, m, "ClaimRejected for a port that is not claiming")
		return
	}
	a.adoptLost(ctx)
}

// adoptLost makes a pending port a port whose channel is gone. Its close
// event fires unless it had already fired before the port was shipped.
func (a *portActor) adoptLost(ctx actor.Context) {
	a.adopt(ctx, nil, nil, 1, 1, true, true, 0, a.pending().holder.GetClosed())
}

// adopt makes a pending actor the open end with the counters and route it
// was given (from is the holder, which sends here until it retires), then
// does what its owner and the route asked of it while it was pending: the
// posts, a ship or a close, and the protocol messages that came early.
func (a *portActor) adopt(ctx actor.Context, from, peer *wire.Ref, nextOut, nextIn uint64, peerClosed, lost bool, lastIn uint64, closeFired bool) {
	p := a.pending()
	a.become(openState{})
	a.nextOut, a.nextIn = nextOut, nextIn
	a.peer = peer
	a.senders = nil
	if a.neighbours != nil {
		a.doneEarly = nil
	}
	a.addSender(from)
	a.peerClosed, a.lost = peerClosed, lost
	if lost {
		a.breakRoute()
	}
	if peerClosed {
		a.lastKnown, a.lastIn = true, lastIn
	}
	if closeFired {
		a.core.markCloseFired()
	}
	a.rewatch(ctx)
	for _, post := range p.earlyPosts {
		a.onPost(ctx, post)
	}
	switch {
	case p.wantShip != 0:
		a.beginShipping(ctx, &shippingState{nonce: p.wantShip, custodian: p.wantCustody, custodySeq: p.custodySeq}, p.claim, p.wantAbandon)
	case p.wantClose:
		a.onClose(ctx)
	}
	for _, m := range p.early {
		a.replay(ctx, m)
		if a.role == roleDone {
			return
		}
	}
	a.drainReorder(ctx)
	a.afterInbound(ctx)
}

// replay handles a protocol message that reached this actor while it was
// pending.
func (a *portActor) replay(ctx actor.Context, m any) {
	switch m := m.(type) {
	case *wire.Bypass:
		a.onBypass(ctx, m)
	case *wire.PrevIs:
		a.onPrevIs(ctx, m)
	case *wire.Closed:
		a.onClosed(ctx, m)
	case *wire.BypassRetry:
		a.onBypassRetry(ctx)
	case *wire.BypassAck:
		a.onBypassAck(ctx, m)
	}
}
