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
	// The core records that the event is due, once (markClosed reports
	// false if it was due or fired already, here or at a previous owner).
	reason := CloseByPeer
	if a.lost {
		reason = CloseLost
	}
	if a.core.markClosed(reason) && a.ext.cfg.closeEvents != CloseEventsNone {
		ctx.Send(a.core.own.self, &a.core.note)
	}
}
