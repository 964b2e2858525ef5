package uncaught

import "github.com/asynkron/protoactor-go/actor"

// Forward hands err, an uncaught exception of the current task of the
// context ctx that the context's code reported and did not cancel, on as
// package actors hands on an uncaught panic, without logging it again or
// delivering it back to the context: the actors.ErrorEvent is published on
// the actor system's EventStream and, in a dedicated worker, goes to the
// creator. It must be called on the context's goroutine.
var Forward func(ctx actor.Context, err error)
