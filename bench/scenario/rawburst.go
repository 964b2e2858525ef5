package scenario

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// rawBurst is the raw protoactor side of a burst (S1, S8): it spawns two
// actors in sys with opts, has the first Send the second n messages made
// by mk, which the second reads with read, and returns the time from the
// first Send until the last message was read, and both PIDs (also on
// error) for the caller to stop. what names the burst in a timeout.
func rawBurst(cfg Config, sys *actor.ActorSystem, opts []actor.PropsOption, n int, mk func(i int) any, read func(v any) error, what string) (d time.Duration, send, recv *actor.PID, err error) {
	done := make(chan struct{})
	count := 0
	var rerr error
	recv = sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case actor.SystemMessage, actor.AutoReceiveMessage:
		default:
			if err := read(m); err != nil && rerr == nil {
				rerr = err
			}
			if count++; count == n {
				close(done)
			}
		}
	}, opts...))
	send = sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if f, ok := ctx.Message().(run); ok {
			f(ctx)
		}
	}, opts...))
	start := time.Now()
	sys.Root.Send(send, run(func(ctx actor.Context) {
		for i := 0; i < n; i++ {
			ctx.Send(recv, mk(i))
		}
	}))
	if err := wait(done, cfg.timeout(), what+": not every message arrived"); err != nil {
		return 0, send, recv, err
	}
	return time.Since(start), send, recv, rerr
}
