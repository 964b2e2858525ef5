package bench_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

// The contexts users spawn: a window (actors.WindowProps) and the dedicated
// worker it creates (actors.NewWorker), each on its default dispatcher
// (ports.NewGoroutineDispatcher), with the channel's second port posted to
// the worker on its implicit channel. The same S1 and S2 work as the
// plain-actor benchmarks above; their like-for-like baselines are raw
// protoactor actors on that dispatcher (the goroutine-dispatcher rows of
// BenchmarkBaselineActorSendThroughput and BenchmarkBaselineActorPingPong).
//
//	go test -run '^$' -bench 'Window|goroutine-dispatcher' -benchmem ./bench/

// pairMaker spawns two connected contexts in sys and returns them, their
// ports (the first owned by s, the second by r) and what stops them.
type pairMaker func(b *testing.B, sys *actor.ActorSystem) (s, r *benchCtx, p1, p2 *ports.MessagePort, stop func())

// plainPair: two plain actors with the ports middleware on the pooled
// dispatcher; the second port goes over PostTo.
func plainPair(b *testing.B, sys *actor.ActorSystem) (s, r *benchCtx, p1, p2 *ports.MessagePort, stop func()) {
	s, r = spawnCtx(sys, nil), spawnCtx(sys, nil)
	p1, p2 = connect(b, sys, s, r)
	return s, r, p1, p2, func() { stopAll(sys, s, r) }
}

// windowPair: a window and the dedicated worker it creates.
func windowPair(b *testing.B, sys *actor.ActorSystem) (s, r *benchCtx, p1, p2 *ports.MessagePort, stop func()) {
	plugin, err := actors.Register(sys)
	if err != nil {
		b.Fatal(err)
	}
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := plugin.Shutdown(ctx); err != nil {
			b.Error(err)
		}
		ports.Unregister(sys)
		sys.Shutdown()
	}
	s, r = &benchCtx{}, &benchCtx{}
	s.pid = sys.Root.Spawn(actors.WindowProps(origin.MustParse("https://bench.example"), s.producer))
	var w *actors.Worker
	s.do(sys, func(ctx actor.Context) {
		if w, err = actors.NewWorker(ctx, r.producer, actors.WorkerOptions{}); err == nil {
			r.pid = w.PID()
		}
	})
	if err != nil {
		stop()
		b.Fatal(err)
	}
	p1, p2 = connectVia(b, sys, sys, s, r, func(ctx actor.Context, port *ports.MessagePort) error {
		return w.PostMessage(ctx, nil, port)
	})
	return s, r, p1, p2, stop
}

// producer makes c the actor of a context (a plain actor's, spawnCtx's, or
// a window's or worker's): it runs the run messages and hands the rest to
// c.on.
func (c *benchCtx) producer() actor.Actor {
	return actor.ReceiveFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case run:
			m(ctx)
		default:
			if c.on != nil {
				c.on(ctx, m)
			}
		}
	})
}

// S1 between a window and its worker, per payload: read as events in the
// worker's Receive, and (the -ondata rows) by an OnData handler on its
// port, which makes no event.
func BenchmarkWindowThroughput(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) { pairThroughput(b, p, windowPair) })
	}
	for _, p := range payloads {
		b.Run(p.name+"-ondata", func(b *testing.B) { pairThroughputReading(b, p, windowPair, true) })
	}
}

// S2 between a window and its worker, per payload: read as events, and
// (the -ondata rows) by OnData handlers at both ends.
func BenchmarkWindowRoundTrip(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) { pairRoundTrip(b, p, windowPair) })
	}
	for _, p := range payloads {
		b.Run(p.name+"-ondata", func(b *testing.B) { pairRoundTripReading(b, p, windowPair, true) })
	}
}

// object6 is a JSON-like object of six primitives, as services post them:
// a map of one group of slots, which the post copies whole (ports'
// flatmap.go).
var object6 = payload{"object6", func(i int) any {
	return map[string]any{"id": "o-1042", "qty": i, "price": 9.5, "express": true, "who": "ada", "seq": 1_234_567}
}, func(v any) int { return v.(map[string]any)["qty"].(int) }}

// S1's burst between a window and its worker with object6, read as events
// and by OnData; the baseline is raw protoactor on the same dispatcher,
// the receiver copying each map with maps.Clone before it reads it
// (BenchmarkBaselineActorSendThroughputObject6).
//
//	go test ./bench -run '^$' -bench 'Object6' -benchmem
func BenchmarkWindowThroughputObject6(b *testing.B) {
	b.Run("events", func(b *testing.B) { pairThroughputReading(b, object6, windowPair, false) })
	b.Run("ondata", func(b *testing.B) { pairThroughputReading(b, object6, windowPair, true) })
}

// BenchmarkBaselineActorSendThroughputObject6 is the baseline of
// BenchmarkWindowThroughputObject6: raw protoactor Send of object6 between
// two actors on the windows' dispatcher, the receiver copying the map
// with maps.Clone before it reads it.
func BenchmarkBaselineActorSendThroughputObject6(b *testing.B) {
	copied := payload{"object6-copied", object6.make, func(v any) int {
		return object6.read(maps.Clone(v.(map[string]any)))
	}}
	b.Run("copied-goroutine-dispatcher", func(b *testing.B) {
		actorSendThroughput(b, copied, actor.WithDispatcher(ports.NewGoroutineDispatcher(300)))
	})
}
