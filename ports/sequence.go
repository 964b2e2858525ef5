package ports

import "github.com/asynkron/protoactor-go/actor"

// The slow path of a message, in the port actors. An open actor numbers
// what its owner posts (onPost) and sends it along the route; every actor
// puts what arrives back in number order (onMsg, inOrder) and, by role,
// queues it for the owner (open), keeps it for the successor (shipping),
// forwards it (proxy) or drops it (closing).

// onPost numbers a message the owner posted and sends it towards the other
// end.
func (a *portActor) onPost(ctx actor.Context, p *postReq) {
	a.core.slowPosted()
	switch a.role {
	case rolePending:
		s := a.pending()
		s.earlyPosts = append(s.earlyPosts, p)
	case roleOpen:
		if a.peerClosed {
			a.dropPosted(ctx, p, "the other end is closed")
			return
		}
		p.seq = a.nextOut
		a.nextOut++
		a.sendMsg(ctx, a.peer, &p.inMsg)
	default:
		// The handle was shipped or closed before this post was
		// processed; the handle never sends after that, so this is a
		// race with a teardown. Nothing reaches anyone.
		a.dropPosted(ctx, p, "the port is no longer open")
	}
}

func (a *portActor) dropPosted(ctx actor.Context, p *postReq, reason string) {
	a.abandonTokens(ctx, p.tokens())
	a.ext().dropped.Add(1)
	a.ext().reportDrop(ctx.Self(), reason, 1, int64(p.size()))
}

// onMsg takes a numbered message from the other end (directly or through
// proxies) and handles it in number order.
func (a *portActor) onMsg(ctx actor.Context, m *inMsg) {
	if a.role == rolePending {
		// Nobody sends here before the State (see onState); keep it
		// anyway and sort it out once the counters are known.
		if a.reorder == nil {
			a.reorder = make(map[uint64]*inMsg)
		}
		a.reorder[m.seq] = m
		return
	}
	if m.seq < a.nextIn || a.reorder[m.seq] != nil {
		// A duplicate: the protocol never retransmits, so this is a bug
		// or a forgery. Its ports are the originals' and stay alone.
		a.ext().protoErrors.Add(1)
		a.ext().publish(&ProtocolRejected{Port: ctx.Self(), Message: "Msg", Reason: "duplicate sequence number", Role: a.role.String()})
		return
	}
	if a.lastKnown && m.seq > a.lastIn && a.role != roleProxy {
		// Beyond the other end's last message (it closed, or the
		// route broke): it can never be delivered.
		a.abandonTokens(ctx, m.tokens())
		return
	}
	if m.seq != a.nextIn {
		if a.reorder == nil {
			a.reorder = make(map[uint64]*inMsg)
		}
		a.reorder[m.seq] = m
		return
	}
	a.nextIn++
	a.inOrder(ctx, m)
	a.drainReorder(ctx)
	a.afterInbound(ctx)
}

func (a *portActor) drainReorder(ctx actor.Context) {
	for len(a.reorder) > 0 {
		m, ok := a.reorder[a.nextIn]
		if !ok {
			return
		}
		delete(a.reorder, a.nextIn)
		a.nextIn++
		a.inOrder(ctx, m)
		if a.role == roleDone {
			return
		}
	}
}

// inOrder handles the next message in number order.
func (a *portActor) inOrder(ctx actor.Context, m *inMsg) {
	if a.lastKnown && m.seq > a.lastIn {
		// After the other end's last message: it closed (or the route
		// broke) and this one cannot be delivered.
		a.abandonTokens(ctx, m.tokens())
		return
	}
	switch a.role {
	case roleOpen:
		if len(m.tokens()) > 0 {
			// In the queue, the message is with the owner.
			a.handOver(ctx, m.tokens(), a.core.own.self)
		}
		// Only the never-moved pair in one owner keeps a notification
		// per message (see noteLocked); when unsure, so does this.
		fromOwner := a.peer == nil || a.sameOwner(a.peer.GetPid())
		switch res, note := a.core.arrive(m, fromOwner); res {
		case arriveNotify:
			ctx.Send(a.core.own.self, note)
		case arriveDropped:
			a.abandonTokens(ctx, m.tokens())
		case arriveOverflow:
			a.overflow(ctx, m)
		}
	case roleShipping:
		s := a.shipping()
		s.retained = append(s.retained, m)
	case roleProxy:
		a.sendMsg(ctx, a.peer, m)
	case roleClosing:
		a.abandonTokens(ctx, m.tokens())
	default:
		a.abandonTokens(ctx, m.tokens())
	}
}

// overflow applies the overflow policy to a message the queue cannot take.
func (a *portActor) overflow(ctx actor.Context, m *inMsg) {
	a.ext().dropped.Add(1)
	a.abandonTokens(ctx, m.tokens())
	if a.ext().cfg.overflow == OverflowDrop {
		a.ext().reportDrop(ctx.Self(), "queue limit reached", 1, int64(m.size()))
		return
	}
	a.ext().reportDrop(ctx.Self(), "queue limit reached; closing the channel", 1, int64(m.size()))
	// Close this end as its owner would, and tell the owner why.
	dropped, _ := a.core.closeHandle()
	for _, d := range dropped {
		a.abandonTokens(ctx, d.tokens())
	}
	a.ext().droppedUndispatched(ctx.Self(), len(dropped), "the port closed (queue limit reached) before it dispatched the message")
	// The owner must hear of it in every mode: it forgets the handle
	// (OpenPorts); deliverClose decides whether a CloseEvent goes on.
	ctx.Send(a.core.own.self, &overflowClosed{core: a.core})
	a.closeEnd(ctx)
}

// afterInbound runs the checks that depend on how far the inbound numbers
// have come.
func (a *portActor) afterInbound(ctx actor.Context) {
	switch a.role {
	case roleOpen:
		a.maybeFireClose(ctx)
	case roleProxy:
		a.maybeRetire(ctx)
	case roleClosing:
		a.maybeFinishClosing(ctx)
	}
}
