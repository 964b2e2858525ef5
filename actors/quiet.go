package actors

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/quiet"
)

// The test helpers of package actors/actorstest reach the plugin through
// internal/quiet.
func init() {
	quiet.Wait = func(ctx context.Context, p any) error { return p.(*Plugin).waitQuiet(ctx) }
	quiet.Activity = func(p any) uint64 { return p.(*Plugin).activity() }
}

// probe and probeAck measure whether a context has worked through its
// mailbox (see waitQuiet).
type (
	probe    struct{}
	probeAck struct{}
)

// waitQuiet is actorstest.WaitQuiet: it returns once every context that
// was spawned has started, every live context has answered a probe (so it
// has worked through what was in its mailbox before) and, across that
// whole round and the round after it, no context ran a task, the ports'
// counters did not move and no port is a proxy; or ctx's error.
func (p *Plugin) waitQuiet(ctx context.Context) error {
	// Two rounds in a row must find nothing: a task that was already
	// running when a round began is not counted by it, and what it sends
	// (a message to its own context, say) can queue behind that round's
	// probe; the next round's probe queues behind it.
	quietRounds := 0
	for {
		for {
			n, changed := p.startingCount()
			if n == 0 {
				break
			}
			select {
			case <-changed:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		before, st0 := p.tasks.Load(), p.ports.Stats()
		p.mu.Lock()
		pids := make([]*actor.PID, 0, len(p.contexts))
		for _, s := range p.contexts {
			pids = append(pids, s.self)
		}
		p.mu.Unlock()
		answered := true
		for _, pid := range pids {
			f := p.system.Root.RequestFuture(pid, &probe{}, time.Second)
			if r, err := f.Result(); err != nil {
				answered = false
			} else if _, ok := r.(*probeAck); !ok {
				answered = false // stopped meanwhile
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		after, st1 := p.tasks.Load(), p.ports.Stats()
		if answered && before == after && st0 == st1 && st1.Proxies == 0 && noneStarting(p) {
			if quietRounds++; quietRounds == 2 {
				return nil
			}
			continue
		}
		quietRounds = 0
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func noneStarting(p *Plugin) bool {
	n, _ := p.startingCount()
	return n == 0
}

// activity is actorstest.Activity: the number of tasks the plugin's
// contexts have run so far.
func (p *Plugin) activity() uint64 { return uint64(p.tasks.Load()) }
