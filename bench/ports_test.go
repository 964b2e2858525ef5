package bench_test

import (
	"log/slog"
	"maps"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// The port benchmarks run between two contexts (actors with the ports
// middleware) in one process. Baselines in the same file: raw protoactor
// actors doing the same job, and Go channels.
//
//	go test -run '^$' -bench 'Port|Baseline' -benchmem ./bench/

func quietSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
}

// run is a message that runs a function on an actor's goroutine.
type run func(ctx actor.Context)

// benchCtx is a context whose events go to on, and which runs run messages.
type benchCtx struct {
	pid *actor.PID
	on  func(ctx actor.Context, msg any)
}

var pool = ports.NewDispatcher(300, 0)

func spawnCtx(sys *actor.ActorSystem, on func(ctx actor.Context, msg any)) *benchCtx {
	c := &benchCtx{on: on}
	c.pid = sys.Root.Spawn(actor.PropsFromProducer(c.producer,
		actor.WithReceiverMiddleware(ports.ReceiverMiddleware), actor.WithDispatcher(pool)))
	return c
}

// do runs f on c and waits for it.
func (c *benchCtx) do(sys *actor.ActorSystem, f func(ctx actor.Context)) {
	done := make(chan struct{})
	sys.Root.Send(c.pid, run(func(ctx actor.Context) { f(ctx); close(done) }))
	<-done
}

// read makes c hand f the data of each message that reaches port: from
// the *ports.MessageEvent in its Receive, or from an OnData handler on the
// port if onData is set (no event is made).
func (c *benchCtx) read(b *testing.B, sys *actor.ActorSystem, port *ports.MessagePort, onData bool, f func(ctx actor.Context, data any)) {
	if !onData {
		c.on = func(ctx actor.Context, msg any) {
			if ev, ok := msg.(*ports.MessageEvent); ok {
				f(ctx, ev.Data)
			}
		}
		return
	}
	c.do(sys, func(ctx actor.Context) {
		if err := port.OnData(ctx, func(ctx actor.Context, data any, _ []*ports.MessagePort) { f(ctx, data) }); err != nil {
			b.Error(err)
		}
	})
}

// connect gives r the second port of a channel that s creates, both in
// sys.
func connect(b testing.TB, sys *actor.ActorSystem, s, r *benchCtx) (*ports.MessagePort, *ports.MessagePort) {
	return connectAcross(b, sys, sys, s, r)
}

// connectAcross gives r (in system z) the second port of a channel that s
// (in system a) creates, and starts both ports.
func connectAcross(b testing.TB, a, z *actor.ActorSystem, s, r *benchCtx) (*ports.MessagePort, *ports.MessagePort) {
	return connectVia(b, a, z, s, r, func(ctx actor.Context, port *ports.MessagePort) error {
		// A PID caches its process: name r afresh for the other system.
		return ports.PostTo(ctx, actor.NewPID(r.pid.GetAddress(), r.pid.GetId()), nil, port)
	})
}

// connectVia is connectAcross with the second port sent to r by send.
func connectVia(b testing.TB, a, z *actor.ActorSystem, s, r *benchCtx, send func(actor.Context, *ports.MessagePort) error) (*ports.MessagePort, *ports.MessagePort) {
	got := make(chan *ports.MessagePort, 1)
	prev := r.on
	r.on = func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && len(ev.Ports) == 1 {
			got <- ev.Ports[0]
		}
	}
	var p1 *ports.MessagePort
	s.do(a, func(ctx actor.Context) {
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			b.Fatal(err)
		}
		p1 = ch.Port1
		if err := p1.Start(ctx); err != nil {
			b.Fatal(err)
		}
		if err := send(ctx, ch.Port2); err != nil {
			b.Fatal(err)
		}
	})
	var p2 *ports.MessagePort
	select {
	case p2 = <-got:
	case <-time.After(10 * time.Second):
		if os.Getenv("BENCH_DEBUG") != "" {
			_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
		}
		b.Fatal("the port did not reach the other context")
	}
	r.on = prev
	// One message back before the clock starts: once it has arrived, the
	// route is direct (the successor has told p1 to bypass the old actor).
	ready := make(chan struct{})
	sPrev := s.on
	s.on = func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && ev.Target == p1 {
			close(ready)
		}
	}
	r.do(z, func(ctx actor.Context) {
		if err := p2.Start(ctx); err != nil {
			b.Fatal(err)
		}
		if err := p2.PostMessage(ctx, "ready"); err != nil {
			b.Fatal(err)
		}
	})
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		b.Fatal("the first message back did not arrive")
	}
	s.do(a, func(actor.Context) { s.on = sPrev })
	return p1, p2
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// payload is what S1 and S2 post, one row each: a primitive, a small
// struct by pointer (what a protoactor user sends), a small map, and S5's
// 100-key nested object (the same object each time). read is what the
// receiver does with it, on both sides.
type payload struct {
	name string
	make func(i int) any
	read func(v any) int
}

// smallPayload is the small struct of S1 and S2.
type smallPayload struct{ I int }

var (
	nestedPayload = nested()
	payloads      = []payload{
		{"int", func(i int) any { return i }, func(v any) int { return v.(int) }},
		{"struct", func(i int) any { return &smallPayload{I: i} }, func(v any) int { return v.(*smallPayload).I }},
		{"map", func(i int) any { return map[string]any{"i": i} }, func(v any) int { return v.(map[string]any)["i"].(int) }},
		{"nested", func(int) any { return nestedPayload }, func(v any) int { return len(v.(map[string]any)) }},
	}
)

// sink keeps what receivers read from being optimised away.
var sink int

// S1: throughput over one channel between two contexts, per payload.
func BenchmarkPortThroughput(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) { portThroughput(b, p) })
	}
}

func portThroughput(b *testing.B, p payload) {
	pairThroughput(b, p, plainPair)
}

func pairThroughput(b *testing.B, p payload, makePair pairMaker) {
	pairThroughputReading(b, p, makePair, false)
}

// pairThroughputReading runs pairThroughput's burst, the receiver reading
// its port with an OnData handler if onData is set, else as events.
func pairThroughputReading(b *testing.B, p payload, makePair pairMaker, onData bool) {
	b.ReportAllocs()
	sys := quietSystem()
	done := make(chan struct{})
	want, count := b.N, 0
	s, r, p1, p2, stop := makePair(b, sys)
	r.read(b, sys, p2, onData, func(_ actor.Context, data any) {
		sink += p.read(data)
		count++
		if count == want {
			done <- struct{}{}
		}
	})
	b.ResetTimer()
	sys.Root.Send(s.pid, run(func(ctx actor.Context) {
		for i := 0; i < want; i++ {
			if err := p1.PostMessage(ctx, p.make(i)); err != nil {
				b.Error(err)
				return
			}
		}
	}))
	<-done
	b.StopTimer()
	reportRate(b)
	stop()
}

// Baseline for S1: one actor sends the same payload to another, which reads
// it, on the plain contexts' dispatcher; int-default-dispatcher is the int
// row on protoactor's default dispatcher, and the -goroutine-dispatcher rows
// are on the windows' (BenchmarkWindowThroughput's baseline).
func BenchmarkBaselineActorSendThroughput(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) { actorSendThroughput(b, p, actor.WithDispatcher(pool)) })
	}
	b.Run("int-default-dispatcher", func(b *testing.B) { actorSendThroughput(b, payloads[0]) })
	for _, p := range payloads {
		b.Run(p.name+"-goroutine-dispatcher", func(b *testing.B) {
			actorSendThroughput(b, p, actor.WithDispatcher(ports.NewGoroutineDispatcher(300)))
		})
	}
	// The map with the receiver's own copy made by hand: what one copy
	// costs a protoactor user (the structured clone must make one).
	b.Run("map-copied-goroutine-dispatcher", func(b *testing.B) {
		actorSendThroughput(b, copiedMap, actor.WithDispatcher(ports.NewGoroutineDispatcher(300)))
	})
}

// copiedMap is the map payload read by a receiver that first copies it
// with maps.Clone.
var copiedMap = payload{"map-copied", payloads[2].make, func(v any) int {
	return payloads[2].read(maps.Clone(v.(map[string]any)))
}}

func actorSendThroughput(b *testing.B, p payload, opts ...actor.PropsOption) {
	b.ReportAllocs()
	sys := quietSystem()
	done := make(chan struct{})
	want, count := b.N, 0
	recv := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case actor.SystemMessage, actor.AutoReceiveMessage:
		default:
			sink += p.read(m)
			count++
			if count == want {
				done <- struct{}{}
			}
		}
	}, opts...))
	send := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if n, ok := ctx.Message().(run); ok {
			n(ctx)
		}
	}, opts...))
	b.ResetTimer()
	sys.Root.Send(send, run(func(ctx actor.Context) {
		for i := 0; i < want; i++ {
			ctx.Send(recv, p.make(i))
		}
	}))
	<-done
	b.StopTimer()
	reportRate(b)
	_ = sys.Root.StopFuture(send).Wait()
	_ = sys.Root.StopFuture(recv).Wait()
}

// Baseline for S1: a goroutine sends to another over a buffered channel.
func BenchmarkBaselineGoChanThroughput(b *testing.B) {
	b.ReportAllocs()
	c := make(chan int, 1024)
	done := make(chan struct{})
	go func() {
		for range b.N {
			<-c
		}
		close(done)
	}()
	for i := 0; i < b.N; i++ {
		c <- i
	}
	<-done
	reportRate(b)
}

// S2: round trip between two contexts over a channel, per payload: the
// echo posts back what it got, the sender reads it and posts the next.
func BenchmarkPortRoundTrip(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) { portRoundTrip(b, p) })
	}
}

func portRoundTrip(b *testing.B, p payload) {
	pairRoundTrip(b, p, plainPair)
}

func pairRoundTrip(b *testing.B, p payload, makePair pairMaker) {
	pairRoundTripReading(b, p, makePair, false)
}

// pairRoundTripReading runs pairRoundTrip's ping-pong, both ends reading
// with OnData handlers if onData is set, else as events.
func pairRoundTripReading(b *testing.B, p payload, makePair pairMaker, onData bool) {
	b.ReportAllocs()
	sys := quietSystem()
	done := make(chan struct{})
	s, r, p1, p2, stop := makePair(b, sys)
	want, n := b.N, 0
	r.read(b, sys, p2, onData, func(ctx actor.Context, data any) { _ = p2.PostMessage(ctx, data) })
	s.read(b, sys, p1, onData, func(ctx actor.Context, data any) {
		sink += p.read(data)
		n++
		if n == want {
			done <- struct{}{}
			return
		}
		_ = p1.PostMessage(ctx, p.make(n))
	})
	b.ResetTimer()
	s.do(sys, func(ctx actor.Context) { _ = p1.PostMessage(ctx, p.make(0)) })
	<-done
	b.StopTimer()
	stop()
}

type ping struct {
	v    any
	from *actor.PID
}

// Baseline for S2: two raw actors bounce the payload (with the sender's
// PID), on the plain contexts' dispatcher; int-default-dispatcher is the int
// row on protoactor's default dispatcher, and the -goroutine-dispatcher
// rows are on the windows' (BenchmarkWindowRoundTrip's baseline).
func BenchmarkBaselineActorPingPong(b *testing.B) {
	for _, p := range payloads {
		b.Run(p.name, func(b *testing.B) { actorPingPong(b, p, actor.WithDispatcher(pool)) })
	}
	b.Run("int-default-dispatcher", func(b *testing.B) { actorPingPong(b, payloads[0]) })
	for _, p := range payloads {
		b.Run(p.name+"-goroutine-dispatcher", func(b *testing.B) {
			actorPingPong(b, p, actor.WithDispatcher(ports.NewGoroutineDispatcher(300)))
		})
	}
}

func actorPingPong(b *testing.B, p payload, opts ...actor.PropsOption) {
	b.ReportAllocs()
	sys := quietSystem()
	done := make(chan struct{})
	want, n := b.N, 0
	echo := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ping); ok {
			ctx.Send(m.from, &ping{v: m.v, from: ctx.Self()})
		}
	}, opts...))
	var self *actor.PID
	self = sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ping:
			sink += p.read(m.v)
			n++
			if n == want {
				done <- struct{}{}
				return
			}
			ctx.Send(echo, &ping{v: p.make(n), from: self})
		case run:
			m(ctx)
		}
	}, opts...))
	b.ResetTimer()
	sys.Root.Send(self, run(func(ctx actor.Context) { ctx.Send(echo, &ping{v: p.make(0), from: self}) }))
	<-done
	b.StopTimer()
	_ = sys.Root.StopFuture(self).Wait()
	_ = sys.Root.StopFuture(echo).Wait()
}

// S3: create a channel, post one end to another context, until a message
// has arrived on it there; both ends are closed again each time.
func BenchmarkPortTransfer(b *testing.B) {
	b.ReportAllocs()
	sys := quietSystem()
	arrived := make(chan struct{})
	s := spawnCtx(sys, nil)
	r := spawnCtx(sys, func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && len(ev.Ports) == 1 {
			p := ev.Ports[0]
			_ = p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
				_ = ev.Target.Close(ctx)
				arrived <- struct{}{}
			})
		}
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sys.Root.Send(s.pid, run(func(ctx actor.Context) {
			ch, err := ports.NewMessageChannel(ctx)
			if err != nil {
				b.Error(err)
				return
			}
			_ = ports.PostTo(ctx, r.pid, nil, ch.Port2)
			_ = ch.Port1.PostMessage(ctx, "hi")
			_ = ch.Port1.Close(ctx)
		}))
		<-arrived
	}
	b.StopTimer()
	stopAll(sys, s, r)
}

// Baseline for S3: spawn a child actor and stop it, waiting for Terminated.
func BenchmarkBaselineActorSpawnStop(b *testing.B) {
	b.ReportAllocs()
	sys := quietSystem()
	done := make(chan struct{})
	child := actor.PropsFromFunc(func(ctx actor.Context) {})
	parent := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case run:
			m(ctx)
		case *actor.Terminated:
			done <- struct{}{}
		}
	}))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sys.Root.Send(parent, run(func(ctx actor.Context) { ctx.Stop(ctx.Spawn(child)) }))
		<-done
	}
	b.StopTimer()
	_ = sys.Root.StopFuture(parent).Wait()
}

func stopAll(sys *actor.ActorSystem, cs ...*benchCtx) {
	for _, c := range cs {
		_ = sys.Root.PoisonFuture(c.pid).Wait()
	}
	// Let the dispatcher goroutines wind down before the next benchmark.
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > 8 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}
