package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
)

// Drain begins the graceful stop of ctx's ports while the actor itself
// keeps running its own shutdown work. It closes every open port of ctx
// (their peers get a CloseEvent after the messages already posted) and,
// from then on, ReceiverMiddleware hands the actor no user message and no
// port event, and OnMessage and OnData handlers no longer run; lifecycle messages
// (Terminated, Stopping, Stopped) still reach it, and messages that carry
// ports to it are refused (those ports close). Ports that ctx posted away
// keep finishing their transfers. A PoisonPill then stops the actor once
// its port actors are gone, as it always does.
//
// Drain is for owners that have other things to finish before the
// PoisonPill (the actors package destroys nested contexts first). Calling
// it again does nothing more. It returns an InvalidStateError if ctx
// cannot own ports.
func Drain(ctx actor.Context) error {
	if ctx == nil || ctx.Self() == nil {
		return newError(messages.ErrInvalidState, "Drain is called from inside an actor's Receive")
	}
	o := ownerOf(ctx)
	if o == nil {
		return newError(messages.ErrInvalidState, "the actor has no ports.ReceiverMiddleware")
	}
	if !o.draining {
		o.draining = true
		o.closeAll(ctx)
	}
	return nil
}
