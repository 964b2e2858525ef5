package ports

import "github.com/asynkron/protoactor-go/actor"

// CloseReason says why a port got a [CloseEvent].
type CloseReason uint8

const (
	// CloseByPeer: the other end was closed, or its owner stopped (the
	// ports of an owner that stops, even hard, are closed as the stop
	// begins), after posting everything delivered before this event.
	CloseByPeer CloseReason = iota
	// CloseLost: the route to the other end broke (an actor on it was
	// stopped before it could hand on what it held, such as a port in
	// transit whose holder's owner was stopped hard, or a node on the way
	// went away). The messages before this event are an in-order prefix
	// of what was sent.
	CloseLost
	// CloseSelf: this end was closed by its owner (only in
	// CloseEventsBoth mode).
	CloseSelf
	// CloseOverflow: this port's queue limit was reached under
	// OverflowClose.
	CloseOverflow
)

// String returns the reason's name.
func (r CloseReason) String() string {
	switch r {
	case CloseByPeer:
		return "peer-closed"
	case CloseLost:
		return "lost"
	case CloseSelf:
		return "self"
	case CloseOverflow:
		return "overflow"
	}
	return "unknown"
}

// CloseEvent tells the owner that a port's channel is gone: the web's close
// event. It comes once per port, after every message the other end posted
// before closing has arrived and been taken from the port's queue. A port
// that was never started gets it as soon as its queue is empty, so a port
// with nothing queued learns at once; one with messages waiting gets it
// after Start (or TryReceive) has taken them.
type CloseEvent struct {
	Target *MessagePort
	Reason CloseReason
}

// wantsCloseEvent is the one place the close-event mode is applied: it
// reports whether a port whose channel ended for reason gets a CloseEvent.
// CloseEventsNone delivers none; CloseEventsStandard every one but
// CloseSelf; CloseEventsBoth every one.
func (e *Extension) wantsCloseEvent(reason CloseReason) bool {
	switch e.cfg.closeEvents {
	case CloseEventsNone:
		return false
	case CloseEventsBoth:
		return true
	}
	return reason != CloseSelf
}

// A CloseEvent comes from one of three places:
//
//   - the channel is gone (CloseByPeer, or CloseLost when the route broke):
//     the port actor sees the other end's last message reach the queue
//     (maybeFireClose) and marks the core (markClosed); the event is
//     dispatched like a message, once the queue is empty (closeDueLocked,
//     from portCore.next);
//   - the owner closed the port (CloseSelf): closeByOwner sends the owner
//     selfClosed;
//   - the queue limit was reached under OverflowClose (CloseOverflow): the
//     port actor closes the end and sends the owner overflowClosed.
//
// Each reaches the actor's code through deliverClose, the one place a
// CloseEvent is made. A port gets at most one: closeFired in the core says
// it fired (here or at a previous owner).

// deliverClose hands c's CloseEvent with reason to the actor's code, in env
// if one is given, unless the mode wants none (wantsCloseEvent) or the
// actor is on its way out (its code does not run again).
func (o *owner) deliverClose(rc actor.ReceiverContext, next actor.ReceiverFunc, env *actor.MessageEnvelope, c *portCore, reason CloseReason) {
	if o.draining || o.stopping || !o.ext.wantsCloseEvent(reason) {
		return
	}
	if env == nil {
		env = actor.WrapEnvelope(nil)
	}
	env.Message = &CloseEvent{Target: &c.handle, Reason: reason}
	next(rc, env)
}

// closeByOwner closes c for its owner's Close. The closing end gets a
// CloseEvent of its own (CloseSelf) if the mode wants one, unless it had
// one already (its peer closed first): one per port.
func (o *owner) closeByOwner(ctx actor.Context, c *portCore) {
	fired := c.closeWasFired()
	if o.closePort(ctx, c) && o.ext.wantsCloseEvent(CloseSelf) && !fired {
		ctx.Send(ctx.Self(), &selfClosed{core: c})
	}
}

// selfClosed delivers the closing end's own CloseEvent in CloseEventsBoth
// mode, after the Receive that called Close.
type selfClosed struct{ core *portCore }

func (*selfClosed) IgnoreDeadLetterLogging() {}

// overflowClosed tells the owner that a port closed itself because its
// queue limit was reached.
type overflowClosed struct{ core *portCore }

func (*overflowClosed) IgnoreDeadLetterLogging() {}

// maybeFireClose tells the owner the channel is gone once every message up
// to the other end's last one has reached the queue.
func (a *portActor) maybeFireClose(ctx actor.Context) {
	if a.role != roleOpen || !a.peerClosed || a.nextIn <= a.lastIn {
		return
	}
	reason := CloseByPeer
	if a.lost {
		reason = CloseLost
	}
	// The core records that the event is due, once (markClosed reports
	// false if it was due or fired already, here or at a previous owner).
	if a.core.markClosed(reason) && a.ext().wantsCloseEvent(reason) {
		ctx.Send(a.core.own.self, &a.core.note)
	}
}

// closeDueLocked reports whether c's CloseEvent is to be dispatched now:
// the channel is gone, the event has not fired, the queue is empty, and
// the mode wants it.
func (c *portCore) closeDueLocked() bool {
	return c.closeMark && !c.closeFired && c.own.ext.wantsCloseEvent(c.closeReason) && c.q.len() == 0
}

// markClosed records that the channel is gone. It reports whether the owner
// should be notified.
func (c *portCore) markClosed(reason CloseReason) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closeMark || c.closeFired {
		return false
	}
	c.closeMark = true
	c.closeReason = reason
	return c.state == handleOpen
}

// markCloseFired records that the close event of this end already fired at
// a previous owner, so this incarnation must not fire it again.
func (c *portCore) markCloseFired() {
	c.mu.Lock()
	c.closeFired = true
	c.mu.Unlock()
}

func (c *portCore) closeWasFired() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeFired
}
