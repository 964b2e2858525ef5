package contextmsg

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
)

// Meta is what a context message carries for the receiving context's
// middleware, beyond the fields of the event a user sees.
type Meta struct {
	// Kind tells the receiving context what the message is (a window
	// message, a worker's implicit port, a shared worker's connect); ""
	// for a plain ports.PostTo.
	Kind string
	// TargetOrigin is the origin the sender requires of the receiver
	// (serialized, or "*"); the receiver enforces it.
	TargetOrigin string
}

// Options are the fields of a context message: the two that reach the user
// (Origin and Source, copied to the event) and the Meta.
type Options struct {
	Meta
	// Origin is the sender's origin, copied to the event's Origin.
	Origin string
	// Source is the PID the receiver can answer to, copied to the event's
	// Source.
	Source *actor.PID
}

// PostTo is ports.PostTo with Options. The ports package sets it in its
// init; it is never nil once ports is linked in.
var PostTo func(ctx actor.Context, to *actor.PID, data any, opts Options, transfer []messages.Transferable) error

// PanickedInHandler reports whether a task of the actor behind ctx
// panicked out of a port's OnMessage or OnData handler: the task's
// envelope then holds what the handler got (its event, or its data,
// whatever its type). Asking clears it, so that it names no later task.
// The actors package asks when a task panics. The ports package sets it in
// its init.
var PanickedInHandler func(ctx actor.Context) bool

// EndTurn ends a turn of an actor that owns ports, as ReceiverMiddleware
// does after each message: posts to other nodes gathered in the turn leave
// now. The actors package calls it after a continuation (ReenterAfter),
// which protoactor runs past the middleware. The ports package sets it in
// its init.
var EndTurn func(ctx actor.Context)

// MetaOf returns the Meta of a *ports.MessageEvent or *ports.MessageErrorEvent
// (the zero Meta for anything else). The ports package sets it in its init.
var MetaOf func(event any) Meta
