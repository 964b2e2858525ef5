package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
)

// MessageEvent is a message that reached the owner: on one of its ports
// (Target is that port) or posted straight to it with [PostTo] (Target is
// nil). It arrives in the owner's mailbox like any other message, one
// Receive per event, unless the port has a handler set with
// [MessagePort.OnMessage] (which gets the event) or [MessagePort.OnData]
// (which gets the data, and no event is made).
type MessageEvent struct {
	// Data is the structured clone of the value that was posted.
	Data any
	// Ports are the ports that were transferred with the message, in
	// transfer-list order. They are already owned by the receiving actor
	// (their actors are its children) and, as on the web, their queues
	// start disabled: call Start, OnMessage or OnData before they deliver.
	Ports []*MessagePort
	// Target is the port the message arrived on; nil for PostTo messages.
	Target *MessagePort
	// Origin is the sender's origin for messages posted by the actors
	// package's windows; "" for port and worker messages, as on the web.
	Origin string
	// Source is the context that posted a window message (the actors
	// package sets it); nil for port messages.
	Source *actor.PID

	meta *contextmsg.Meta // the actors package's plumbing (nil for a port's message), read through contextmsg.MetaOf
}

// LastEventID is the web MessageEvent's lastEventId: always "" for
// messages posted to ports, windows and workers. It is a method, not a
// field, so that the event each message allocates is 16 bytes smaller.
func (*MessageEvent) LastEventID() string { return "" }

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

	meta *contextmsg.Meta // as in MessageEvent, so the actors package checks the origin of this one too

	// direct is set on the event PostTo puts in a local actor's mailbox
	// when the message carries ports: ReceiverMiddleware takes it and
	// dispatches the message (a MessageEvent with the ports adopted); an
	// actor without the middleware receives the event itself, and
	// GetAutoResponse closes the ports after its Receive.
	direct *localDirect
}

// GetAutoResponse implements protoactor's actor.AutoRespond; protoactor calls
// it after an actor's Receive has handled the event. For the event that
// stands for a PostTo carrying ports to an actor without ReceiverMiddleware
// it closes those ports (their peers get a CloseEvent); otherwise it does
// nothing. The value it returns goes to the envelope's sender, which for
// the events of this package is a sink that discards it.
func (e *MessageErrorEvent) GetAutoResponse(ctx actor.Context) any {
	if d := e.direct; d != nil {
		e.direct = nil
		abandonTokens(Get(ctx.ActorSystem()), ctx, d.tokens)
		if d.rec != nil {
			d.rec.Release()
		}
	}
	return sinkReply{}
}
