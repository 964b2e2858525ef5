package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// maxBypassHops bounds how far a Bypass may travel round a route. A route
// has two live ends and a few proxies; a Bypass that goes further than this
// has lost its way and is dropped (and counted as a protocol error).
const maxBypassHops = 256

// onShip freezes the port: its owner put it in a message. The queue moves
// out of the shared core into the actor, which keeps receiving and waits
// for the successor's Claim.
func (a *portActor) onShip(ctx actor.Context, nonce uint64, custodian *actor.PID) {
	switch a.role {
	case rolePending:
		a.wantShip, a.wantCustody = nonce, custodian
	case roleOpen:
		a.beginShipping(ctx, nonce, custodian)
	default:
		// Already closing or gone: the token can never be claimed.
		// The successor's Claim gets ClaimRejected.
	}
}

func (a *portActor) beginShipping(ctx actor.Context, nonce uint64, custodian *actor.PID) {
	fresh := a.freshPair()
	a.role = roleShipping
	a.shipNonce = nonce
	a.custodian = custodian
	if fresh {
		// The pair is fresh no more: both watch from now on (see
		// freshPair). The notice goes before anything else this actor
		// sends the other port.
		a.send(ctx, a.peer, &peerMoved{key: a.peer.GetKey()})
	}
	if custodian != nil || fresh {
		a.rewatch(ctx)
	}
	items, fired := a.core.takeAll()
	a.retained = append(items, a.retained...)
	// What the successor needs to know is whether the owner has seen the
	// close event, not whether this actor asked for it: a notification
	// still in the owner's mailbox is dropped with the shipped handle.
	a.closeFired = fired
	if a.wantAbandon {
		a.wantAbandon = false
		a.onAbandon(ctx, nonce)
		return
	}
	if c := a.claim; c != nil {
		a.claim = nil
		a.onClaim(ctx, c)
	}
}

// onClaim hands the port to its successor.
func (a *portActor) onClaim(ctx actor.Context, c *wire.Claim) {
	switch a.role {
	case roleShipping:
		if c.GetNonce() == a.shipNonce {
			a.serveClaim(ctx, c.GetFrom())
			return
		}
	case rolePending:
		if a.wantShip != 0 && c.GetNonce() == a.wantShip && a.claim == nil {
			a.claim = c
			return
		}
	}
	a.send(ctx, c.GetFrom(), &wire.ClaimRejected{Key: c.GetFrom().GetKey(), From: a.me(), Nonce: c.GetNonce()})
}

func (a *portActor) serveClaim(ctx actor.Context, succ *wire.Ref) {
	oldPeer := a.peer
	// The retained messages were never consumed: the successor takes them
	// as its next inbound numbers.
	nextIn := a.nextIn
	if len(a.retained) > 0 {
		nextIn = a.retained[0].seq
	}
	// The successor sends straight to the old peer from now on. The old
	// peer hears of it first: it takes messages only from actors it knows
	// (see neighbours.go), and in this process it then knows the
	// successor before the successor can write to it.
	if oldPeer != nil {
		a.send(ctx, oldPeer, &wire.PrevIs{Key: oldPeer.GetKey(), From: a.me(), Prev: succ, Last: a.nextOut - 1})
	}
	a.send(ctx, succ, &wire.State{
		Key:        succ.GetKey(),
		From:       a.me(),
		NextOut:    a.nextOut,
		NextIn:     nextIn,
		Peer:       oldPeer,
		PeerClosed: a.peerClosed,
		LastIn:     a.lastIn,
		CloseFired: a.closeFired,
		Lost:       a.lost,
	})
	for _, m := range a.retained {
		a.sendMsg(ctx, succ, m)
	}
	a.retained = nil
	for _, b := range a.held {
		a.send(ctx, succ, &wire.Bypass{Key: succ.GetKey(), From: a.me(), Proxy: b.GetProxy(), Target: b.GetTarget(), Hops: b.GetHops() + 1})
	}
	a.held = nil
	a.role = roleProxy
	a.ext.proxies.Add(1)
	a.custodian = nil
	a.peer = succ
	a.rewatch(ctx)
	a.ext.publish(&PortTransferred{From: ctx.Self(), To: succ.GetPid()})
	if a.lastKnown {
		// The other end has closed or is lost: nothing new will come
		// this way, so there is nobody to ask for a bypass.
		a.maybeRetire(ctx)
		return
	}
	a.send(ctx, succ, &wire.Bypass{Key: succ.GetKey(), From: a.me(), Proxy: a.me(), Target: succ})
	// Messages that arrived out of order are forwarded as the gaps fill.
	a.maybeRetire(ctx)
}

// onState adopts the counters and route of the port this actor succeeds.
func (a *portActor) onState(ctx actor.Context, s *wire.State) {
	if a.role != rolePending || !sameRef(a.holder.GetHolder(), s.GetFrom()) {
		a.reject(ctx, s, "State from an actor that is not this port's holder")
		return
	}
	a.adopt(ctx, s.GetFrom(), s.GetPeer(), s.GetNextOut(), s.GetNextIn(), s.GetPeerClosed(), s.GetLost(), s.GetLastIn(), s.GetCloseFired())
}

// onClaimRejected: the port arrived dead (its holder had closed it, or the
// message carrying it was abandoned). It behaves as a port whose channel
// was lost.
func (a *portActor) onClaimRejected(ctx actor.Context, m *wire.ClaimRejected) {
	if a.role != rolePending || !sameRef(a.holder.GetHolder(), m.GetFrom()) {
		a.reject(ctx, m, "ClaimRejected for a port that is not claiming")
		return
	}
	a.adoptLost(ctx)
}

// adoptLost makes a pending port a port whose channel is gone. Its close
// event fires unless it had already fired before the port was shipped.
func (a *portActor) adoptLost(ctx actor.Context) {
	a.adopt(ctx, nil, nil, 1, 1, true, true, 0, a.holder.GetClosed())
}

func (a *portActor) adopt(ctx actor.Context, from, peer *wire.Ref, nextOut, nextIn uint64, peerClosed, lost bool, lastIn uint64, closeFired bool) {
	a.role = roleOpen
	a.nextOut, a.nextIn = nextOut, nextIn
	a.peer = peer
	a.senders, a.doneEarly = nil, nil
	a.addSender(from)
	a.peerClosed, a.lost = peerClosed, lost
	if lost {
		a.breakRoute()
	}
	if peerClosed {
		a.lastKnown, a.lastIn = true, lastIn
	}
	if closeFired {
		a.closeFired = true
		a.core.markCloseFired()
	}
	a.rewatch(ctx)
	for _, p := range a.earlyPosts {
		a.onPost(ctx, p)
	}
	a.earlyPosts = nil
	switch {
	case a.wantShip != 0:
		nonce, custodian := a.wantShip, a.wantCustody
		a.wantShip, a.wantCustody = 0, nil
		a.beginShipping(ctx, nonce, custodian)
	case a.wantClose:
		a.onClose(ctx)
	}
	early := a.early
	a.early = nil
	for _, m := range early {
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

// onBypass: proxy asks the actor that sends to it to send to target
// instead. The request walks the route until it finds that actor.
func (a *portActor) onBypass(ctx actor.Context, b *wire.Bypass) {
	if sameRef(b.GetProxy(), a.me()) || b.GetHops() > maxBypassHops {
		a.ext.protoErrors.Add(1)
		return
	}
	if t := b.GetTarget(); t.GetPid() == nil || t.GetKey() == 0 {
		a.reject(ctx, b, "Bypass to no actor")
		return
	}
	switch a.role {
	case rolePending:
		a.early = append(a.early, b)
	case roleShipping:
		// The successor inherits the peer; it decides.
		a.held = append(a.held, b)
	case roleOpen:
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
	case roleProxy:
		if sameRef(a.peer, b.GetProxy()) {
			// A proxy cannot promise a last number for others; the
			// asker tries again once this proxy is gone.
			a.owed = append(a.owed, b.GetProxy())
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
	a.send(ctx, a.peer, &wire.Bypass{Key: a.peer.GetKey(), From: a.me(), Proxy: b.GetProxy(), Target: b.GetTarget(), Hops: b.GetHops() + 1})
}

// onBypassAck: the actor that sent to this proxy now sends to the successor;
// nothing numbered above Last comes this way.
func (a *portActor) onBypassAck(ctx actor.Context, ack *wire.BypassAck) {
	if a.role == rolePending {
		a.early = append(a.early, ack)
		return
	}
	if a.role != roleProxy {
		a.reject(ctx, ack, "BypassAck for an actor that is not a proxy")
		return
	}
	if !a.lastKnown {
		a.lastKnown, a.lastIn = true, ack.GetLast()
	}
	a.ackFrom = ack.GetFrom()
	// The ack is the last thing its sender sends here.
	a.senderDone(ack.GetFrom().GetPid(), ack.GetLast())
	a.maybeRetire(ctx)
}

func (a *portActor) onBypassRetry(ctx actor.Context) {
	switch {
	case a.role == rolePending:
		a.early = append(a.early, &wire.BypassRetry{})
	case a.role == roleProxy && !a.lastKnown && a.peer != nil:
		a.send(ctx, a.peer, &wire.Bypass{Key: a.peer.GetKey(), From: a.me(), Proxy: a.me(), Target: a.peer})
	}
}

// onPrevIs: from now on prev sends to this actor.
func (a *portActor) onPrevIs(ctx actor.Context, p *wire.PrevIs) {
	if a.role == rolePending {
		a.early = append(a.early, p)
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
	if a.peer != nil {
		var prev *wire.Ref
		if a.ackFrom != nil {
			prev = a.ackFrom
		} else {
			prev = &wire.Ref{}
		}
		a.send(ctx, a.peer, &wire.PrevIs{Key: a.peer.GetKey(), From: a.me(), Prev: prev, Last: a.nextIn - 1})
	}
	for _, o := range a.owed {
		a.send(ctx, o, &wire.BypassRetry{Key: o.GetKey(), From: a.me()})
	}
	a.owed = nil
	a.stop(ctx)
}

// onLanded: the message carrying this port has been taken by its receiver,
// and the successor it spawned keeps custody until it claims the port.
func (a *portActor) onLanded(ctx actor.Context, nonce uint64, custodian *actor.PID, seq uint32) {
	if seq <= a.custodySeq {
		return // older news
	}
	switch {
	case a.role == roleShipping && nonce == a.shipNonce:
		a.custodySeq = seq
		a.custodian = custodian
		a.rewatch(ctx)
	case a.role == rolePending && nonce == a.wantShip:
		a.custodySeq = seq
		a.wantCustody = custodian
	}
}
