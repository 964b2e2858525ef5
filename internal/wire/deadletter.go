package wire

import "github.com/asynkron/protoactor-go/actor"

// The protocol's own messages reach a stopped actor in ordinary races (a
// proxy that has just retired, a tombstone that has finished). The ports
// package handles them through its dead-letter hook, so protoactor need not
// log them.

func (*Msg) IgnoreDeadLetterLogging()           {}
func (*Run) IgnoreDeadLetterLogging()           {}
func (*Claim) IgnoreDeadLetterLogging()         {}
func (*State) IgnoreDeadLetterLogging()         {}
func (*ClaimRejected) IgnoreDeadLetterLogging() {}
func (*Bypass) IgnoreDeadLetterLogging()        {}
func (*BypassAck) IgnoreDeadLetterLogging()     {}
func (*BypassRetry) IgnoreDeadLetterLogging()   {}
func (*PrevIs) IgnoreDeadLetterLogging()        {}
func (*Closed) IgnoreDeadLetterLogging()        {}
func (*Abandon) IgnoreDeadLetterLogging()       {}
func (*Landed) IgnoreDeadLetterLogging()        {}
func (*Direct) IgnoreDeadLetterLogging()        {}
func (*RebuildFailed) IgnoreDeadLetterLogging() {}

// DirectFallback handles a Direct that reached the code of an actor without
// the ports middleware (which would have consumed it). The ports package
// sets it; see Direct.GetAutoResponse.
var DirectFallback func(ctx actor.Context, d *Direct) any

// GetAutoResponse implements actor.AutoRespond: protoactor calls it after an
// actor's own Receive has seen the Direct.
func (d *Direct) GetAutoResponse(ctx actor.Context) any {
	if DirectFallback != nil {
		return DirectFallback(ctx, d)
	}
	return nil
}
