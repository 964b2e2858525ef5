package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
)

// MessageEvent is a message that reached the owner: on one of its ports
// (Target is that port) or posted straight to it with [PostTo] (Target is
// nil). It arrives in the owner's mailbox like any other message, one
// Receive per event, unless the port has a handler set with
// [MessagePort.OnMessage].
type MessageEvent struct {
	// Data is the structured clone of the value that was posted.
	Data any
	// Ports are the ports that were transferred with the message, in
	// transfer-list order. They are already owned by the receiving actor
	// (their actors are its children) and, as on the web, their queues
	// start disabled: call Start or OnMessage before they deliver.
	Ports []*MessagePort
	// Target is the port the message arrived on; nil for PostTo messages.
	Target *MessagePort
	// Origin is the sender's origin for messages posted by the actors
	// package's windows; "" for port and worker messages, as on the web.
	Origin string
	// LastEventID is always "" for messages (it exists for parity with the
	// web's MessageEvent).
	LastEventID string
	// Source is the context that posted a window message (the actors
	// package sets it); nil for port messages.
	Source *actor.PID

	meta contextmsg.Meta // the actors package's plumbing, read through contextmsg.MetaOf
}

// MessageErrorEvent takes the place of a message whose data could not be
// rebuilt by the receiver, the web's messageerror: for example a struct type
// that was not registered with messages.Register on the receiving node, a
// record that exceeded the decode limits, or one that could not be encoded
// for the trip. Ports that travelled with it are closed (their peers get a
// CloseEvent). Later messages on the same port still arrive.
type MessageErrorEvent struct {
	Target *MessagePort // nil for PostTo messages
	Err    error        // matches messages.ErrDataClone
	Origin string
	Source *actor.PID

	meta contextmsg.Meta // as in MessageEvent, so the actors package checks the origin of this one too
}

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
