package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Proxies and the bypass. A shipped port's old actor forwards, in order,
// to its successor until the actor that sends to it has been asked to send
// to the successor instead (Bypass, walking the route) and has answered
// with its last number (BypassAck); then the proxy hands its place on
// (PrevIs) and retires.

// maxBypassHops bounds how far a Bypass may travel round a route. A route
// has two live ends and a few proxies; a Bypass that goes further than this
// has lost its way and is dropped (and counted as a protocol error).
const maxBypassHops = 256

// onBypass: proxy asks the actor that sends to it to send to target
// instead. The request walks the route until it finds that actor.
func (a *portActor) onBypass(ctx actor.Context, b *wire.Bypass) {
	if sameRef(b.GetProxy(), a.me()) || b.GetHops() > maxBypassHops {
		a.ext().protoErrors.Add(1)
		return
	}
	if t := b.GetTarget(); t.GetPid() == nil || t.GetKey() == 0 {
		a.reject(ctx, b, "Bypass to no actor")
		return
	}
	switch s := a.state.(type) {
	case *pendingState:
		s.early = append(s.early, b)
	case *shippingState:
		// The successor inherits the peer; it decides.
		s.held = append(s.held, b)
	case openState:
		if sameRef(a.peer, b.GetProxy()) {
			// Switch first: with synchronous dispatch the proxy may
			// retire while the ack is being sent.
			a.peer = b.GetTarget()
			a.markGone(b.GetProxy(), 0) // a proxy forwards away from here
			a.rewatch(ctx)
			a.send(ctx, b.GetProxy(), &wire.BypassAck{Key: b.GetProxy().GetKey(), From: a.me(), Last: a.nextOut - 1})
			return
		}
		a.forwardBypass(ctx, b)
	case *proxyState:
		if sameRef(a.peer, b.GetProxy()) {
			// A proxy cannot promise a last number for others; the
			// asker tries again once this proxy is gone.
			s.owed = append(s.owed, b.GetProxy())
			return
		}
		a.forwardBypass(ctx, b)
	default:
		// A closing end: the Closed it sent tells the proxy its last
		// number instead.
	}
}

func (a *portActor) forwardBypass(ctx actor.Context, b *wire.Bypass) {
	if a.peer == nil {
		return
	}
	a.sendNews(ctx, a.peer, &wire.Bypass{Key: a.peer.GetKey(), From: a.me(), Proxy: b.GetProxy(), Target: b.GetTarget(), Hops: b.GetHops() + 1})
}

// onBypassAck: the actor that sent to this proxy now sends to the successor;
// nothing numbered above Last comes this way.
func (a *portActor) onBypassAck(ctx actor.Context, ack *wire.BypassAck) {
	if p := a.pending(); p != nil {
		p.early = append(p.early, ack)
		return
	}
	px := a.proxy()
	if px == nil {
		a.reject(ctx, ack, "BypassAck for an actor that is not a proxy")
		return
	}
	if !a.lastKnown {
		a.lastKnown, a.lastIn = true, ack.GetLast()
	}
	px.ackFrom = ack.GetFrom()
	// The ack is the last thing its sender sends here.
	a.senderDone(ack.GetFrom().GetPid(), ack.GetLast())
	a.maybeRetire(ctx)
}

func (a *portActor) onBypassRetry(ctx actor.Context) {
	switch {
	case a.role == rolePending:
		p := a.pending()
		p.early = append(p.early, &wire.BypassRetry{})
	case a.role == roleProxy && !a.lastKnown && a.peer != nil:
		a.sendNews(ctx, a.peer, &wire.Bypass{Key: a.peer.GetKey(), From: a.me(), Proxy: a.me(), Target: a.peer})
	}
}

// onPrevIs: from now on prev sends to this actor.
func (a *portActor) onPrevIs(ctx actor.Context, p *wire.PrevIs) {
	if s := a.pending(); s != nil {
		s.early = append(s.early, p)
		return
	}
	// The sender is done here; the actor it names sends here instead.
	a.senderDone(p.GetFrom().GetPid(), p.GetLast())
	a.addSender(p.GetPrev())
	a.rewatch(ctx)
	a.maybeRetire(ctx)
}

// maybeRetire stops a proxy once nothing more can come its way: it knows
// the last number that comes this way (from a BypassAck or a Closed), it
// has forwarded up to it, and every actor that ever sent here has said it
// is done (an older predecessor can still have Bypass requests on their
// way here when the ack arrives).
func (a *portActor) maybeRetire(ctx actor.Context) {
	if a.role != roleProxy || !a.lastKnown || a.nextIn <= a.lastIn {
		return
	}
	if len(a.senders) > 0 && !a.lost {
		// (On a lost route nobody will say so: what came, came.)
		return
	}
	a.retire(ctx)
}

// retire hands over and stops a proxy that has nothing left to forward.
func (a *portActor) retire(ctx actor.Context) {
	px := a.proxy()
	if a.peer != nil {
		prev := px.ackFrom
		if prev == nil {
			prev = &wire.Ref{}
		}
		a.sendNews(ctx, a.peer, &wire.PrevIs{Key: a.peer.GetKey(), From: a.me(), Prev: prev, Last: a.nextIn - 1})
		if a.ext().isLocal(a.peer.GetPid()) {
			// After the PrevIs the successor waits for nothing from
			// here (a BypassRetry below is only a request to ask
			// again), and it goes before this actor stops: the
			// successor need not hear of the stop as well (a lostPort
			// it would only drop).
			a.core.dropWatcher(a.peer.GetPid())
		}
	}
	for _, o := range px.owed {
		a.sendNews(ctx, o, &wire.BypassRetry{Key: o.GetKey(), From: a.me()})
	}
	px.owed = nil
	a.stop(ctx)
}
