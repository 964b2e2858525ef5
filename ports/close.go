package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Closing. An end closed by its owner (or abandoned in transit) sends the
// other end a Closed with its last number and stays on as a tombstone until
// the answer shows it has seen everything (closeEnd, maybeFinishClosing).
// The other end delivers up to that number, then its CloseEvent is due
// (maybeFireClose, in closeevent.go). A broken route ends the channel the
// same way, with what has arrived (fail, failStop).

// onClose: the owner closed this end (the handle is already closed).
func (a *portActor) onClose(ctx actor.Context) {
	switch a.role {
	case rolePending:
		a.pending().wantClose = true
	case roleOpen:
		if a.peerClosed {
			// The other end is gone and this end has answered its
			// Closed already: nothing is left to do.
			a.dropHeld(ctx)
			a.publishClosed(ctx, "closed by its owner")
			a.stop(ctx)
			return
		}
		a.closeEnd(ctx)
	}
}

// closeEnd closes this end: the other end delivers what this end sent up to
// now, then gets its CloseEvent. This actor stays on as a tombstone until
// the other end confirms, dropping (and returning the ports of) whatever
// still arrives, so that nothing in flight is stranded.
func (a *portActor) closeEnd(ctx actor.Context) {
	a.sendNews(ctx, a.peer, &wire.Closed{Key: a.peer.GetKey(), From: a.me(), Last: a.nextOut - 1, Origin: a.me()})
	// Return the ports in what is held, but keep the numbers of the
	// messages waiting behind a gap: the tombstone counts them when the
	// gap fills, to know when it has seen everything.
	a.returnHeldPorts(ctx)
	a.become(closingState{})
	a.publishClosed(ctx, "closed")
	if a.peer == nil {
		a.stop(ctx)
		return
	}
	a.maybeFinishClosing(ctx)
}

func (a *portActor) maybeFinishClosing(ctx actor.Context) {
	if a.role == roleClosing && a.lastKnown && a.nextIn > a.lastIn && a.farSent() {
		a.stop(ctx)
	}
}

// onClosed: the other end closed after sending message number Last (or this
// is the other end's answer to this end's own Closed).
func (a *portActor) onClosed(ctx actor.Context, c *wire.Closed) {
	if c.GetLost() && a.role != rolePending {
		// The other end's route broke: what it sent may never come.
		// Deliver the prefix that is here, wait for nothing, even if
		// an earlier Closed promised more.
		c = &wire.Closed{Key: c.GetKey(), From: c.GetFrom(), Last: min(c.GetLast(), a.nextIn-1), Lost: true, Origin: c.GetOrigin()}
		if a.lastKnown && a.lastIn > c.GetLast() {
			a.lastIn = c.GetLast()
			a.lost = true
			a.breakRoute()
			a.dropBeyondLast(ctx)
			switch a.role {
			case roleOpen, roleShipping:
				a.maybeFireClose(ctx)
				return
			case roleClosing:
				a.maybeFinishClosing(ctx)
				return
			case roleProxy:
				// Pass the news on before retiring (below).
				a.lastKnown = false
			}
		}
	}
	switch a.role {
	case rolePending:
		p := a.pending()
		p.early = append(p.early, c)
	case roleOpen, roleShipping:
		if a.peerClosed {
			return
		}
		a.peerClosed, a.lastKnown, a.lastIn = true, true, c.GetLast()
		a.lost = c.GetLost()
		if from := c.GetFrom().GetPid(); !a.lost && sameActor(c.GetOrigin(), from) && a.ext().isLocal(from) {
			// From the closed end itself, a closing end of this
			// process (never claimed): everything it sent here is
			// on its way already, and this is the last of it, so
			// this actor, as a proxy too, waits on it no more, and
			// its death tells nothing (see rewatch): stop watching
			// it, so that its stop sends nothing here.
			// (A lost Closed may be the answer of an end that is
			// still to be claimed, and to send PrevIs. On another
			// node, the end's owner may still hold posts numbered
			// before its Closed in a run, see farrun.go: its
			// node's death must still break the route.)
			a.senderDone(from, c.GetLast())
			if a.neighbours != nil && len(a.watching) > 0 {
				a.rewatch(ctx)
			}
		}
		if a.lost {
			// Nothing beyond what is here will come: no one is
			// announced any more (see neighbours.go).
			a.breakRoute()
		}
		// Answer, so the closed end knows when it has seen everything
		// this end sent.
		if a.peer != nil {
			// A lost channel is lost for the other end too.
			a.sendNews(ctx, a.peer, &wire.Closed{Key: a.peer.GetKey(), From: a.me(), Last: a.nextOut - 1, Lost: a.lost, Origin: a.me()})
		}
		a.dropBeyondLast(ctx)
		a.maybeFireClose(ctx)
	case roleProxy:
		if !a.lastKnown {
			a.lastKnown, a.lastIn = true, c.GetLast()
		}
		switch {
		case c.GetLost():
			// The route is broken: wait for no one's PrevIs.
			a.former = append(a.former, a.senders...)
			a.senders = nil
		case sameActor(c.GetOrigin(), c.GetFrom().GetPid()):
			// From the closed end itself: its last message here.
			a.senderDone(c.GetFrom().GetPid(), c.GetLast())
		}
		if a.peer != nil {
			a.sendNews(ctx, a.peer, &wire.Closed{Key: a.peer.GetKey(), From: a.me(), Last: c.GetLast(), Lost: c.GetLost(), Origin: c.GetOrigin()})
		}
		a.maybeRetire(ctx)
	case roleClosing:
		if !a.lastKnown {
			a.lastKnown, a.lastIn = true, c.GetLast()
		}
		a.maybeFinishClosing(ctx)
	}
}

// dropBeyondLast drops messages numbered above the other end's last one.
func (a *portActor) dropBeyondLast(ctx actor.Context) {
	for seq, m := range a.reorder {
		if seq > a.lastIn {
			delete(a.reorder, seq)
			a.abandonTokens(ctx, m.tokens())
		}
	}
}

// onAbandon: the message carrying this port was dropped, so this end is
// gone; close it like its owner would have.
func (a *portActor) onAbandon(ctx actor.Context, nonce uint64) {
	switch s := a.state.(type) {
	case *shippingState:
		if nonce != s.nonce {
			return
		}
		if a.peerClosed {
			a.dropHeld(ctx)
			a.stop(ctx)
			return
		}
		a.closeEnd(ctx)
	case *pendingState:
		if nonce == s.wantShip {
			s.wantAbandon = true
		}
	}
}

// fail ends the channel for this end because the route broke: the owner
// gets the in-order prefix that has arrived, then a CloseEvent (lost).
func (a *portActor) fail(ctx actor.Context) {
	switch a.role {
	case roleOpen, roleShipping:
		if !a.peerClosed && a.peer != nil {
			// The other end may not have noticed (the actor that died
			// may have been a proxy it had already bypassed): tell it
			// this end is gone, after what it sent.
			a.sendNews(ctx, a.peer, &wire.Closed{Key: a.peer.GetKey(), From: a.me(), Last: a.nextOut - 1, Lost: true, Origin: a.me()})
		}
		a.peerClosed, a.lost = true, true
		// Whatever has not arrived yet never will: keep the prefix.
		if !a.lastKnown || a.lastIn >= a.nextIn {
			a.lastKnown, a.lastIn = true, a.nextIn-1
		}
		a.dropBeyondLast(ctx)
		a.forgetNeighbours()
		a.rewatch(ctx) // a shipping port keeps watching its carrier's custodian
		a.maybeFireClose(ctx)
	case rolePending:
		a.adoptLost(ctx)
	default:
		a.dropHeld(ctx)
	}
}

// failStop stops this actor because its route broke. Its neighbours watch
// it and see it go; those of the same owner are also told at once, with a
// Closed that says the route is lost and promises nothing (they keep the
// prefix they have), because a Terminated from a sibling is not always
// looked at before the owner's own teardown reaches them.
func (a *portActor) failStop(ctx actor.Context) {
	a.tellSiblingsLost(ctx)
	a.stop(ctx)
}

// tellSiblingsLost sends the neighbours of this actor's own owner a lost
// Closed that promises nothing.
func (a *portActor) tellSiblingsLost(ctx actor.Context) {
	for _, r := range append([]*wire.Ref{a.peer}, a.senders...) {
		if r != nil && r.GetPid() != nil && a.sameOwner(r.GetPid()) {
			a.sendNews(ctx, r, &wire.Closed{Key: r.GetKey(), From: a.me(), Last: ^uint64(0), Lost: true})
		}
	}
}

func (a *portActor) publishClosed(ctx actor.Context, reason string) {
	a.ext().publish(&PortClosed{Port: ctx.Self(), Reason: reason})
}
