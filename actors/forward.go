package actors

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/entangle-go/entangle/internal/uncaught"
)

func init() {
	uncaught.Forward = forwardReported
}

// forwardReported is uncaught.Forward: the actors package's part of an
// uncaught exception that the context's code reported itself (a script
// realm's error event, already fired and logged): published, and in a
// dedicated worker sent on to the creator. Nothing happens once the
// context is being destroyed.
func forwardReported(ctx actor.Context, err error) {
	s := stateOf(ctx)
	if s == nil || s.closing.Load() {
		return
	}
	ev := &ErrorEvent{Context: ctx.Self(), Err: err, target: s}
	ctx.ActorSystem().EventStream.Publish(ev)
	s.behaviour.unhandled(ctx, s, ev)
}
