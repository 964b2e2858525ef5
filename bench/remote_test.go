package bench_test

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// S7: the same jobs between two actor systems joined by protoactor remote
// on loopback, with raw remote Send and request/response as baselines.

// twoNodes starts two systems with remote on 127.0.0.1 and returns them
// with a function that stops both.
func twoNodes(b *testing.B) (a, z *actor.ActorSystem, stop func()) {
	a, z = quietSystem(), quietSystem()
	ra := remote.NewRemote(a, remote.Configure("127.0.0.1", 0))
	rz := remote.NewRemote(z, remote.Configure("127.0.0.1", 0))
	ra.Start()
	rz.Start()
	return a, z, func() {
		ra.Shutdown(false)
		rz.Shutdown(false)
	}
}

// on names pid for another system (a PID caches its process).
func on(pid *actor.PID) *actor.PID { return actor.NewPID(pid.GetAddress(), pid.GetId()) }

// small (S1's small struct) is registered, so that it crosses nodes.
func init() { messages.RegisterType(&small{}) }

// S7: small-message throughput over a channel whose ends are on two nodes,
// per payload: a Go int and a small registered struct.
func BenchmarkRemotePortThroughput(b *testing.B) {
	for _, p := range []struct {
		name string
		make func(i int) any
	}{
		{"int", func(i int) any { return i }},
		{"struct", func(i int) any { return &small{I: i} }},
	} {
		b.Run(p.name, func(b *testing.B) { remotePortBurst(b, p.make) })
	}
}

func remotePortBurst(b *testing.B, payload func(int) any) {
	b.ReportAllocs()
	a, z, stop := twoNodes(b)
	defer stop()
	s, r := spawnCtx(a, nil), spawnCtx(z, nil)
	p1, _ := connectAcross(b, a, z, s, r)
	done := make(chan struct{})
	want, count := b.N, 0
	r.on = func(ctx actor.Context, msg any) {
		if _, ok := msg.(*ports.MessageEvent); ok {
			if count++; count == want {
				close(done)
			}
		}
	}
	b.ResetTimer()
	a.Root.Send(s.pid, run(func(ctx actor.Context) {
		for i := 0; i < want; i++ {
			_ = p1.PostMessage(ctx, payload(i))
		}
	}))
	<-done
	b.StopTimer()
	reportRate(b)
	stopAll(a, s)
	stopAll(z, r)
}

// Baseline for S7: raw remote Send of a small protobuf message to an actor
// on the other node, which counts.
func BenchmarkBaselineRemoteSendThroughput(b *testing.B) {
	b.ReportAllocs()
	a, z, stop := twoNodes(b)
	defer stop()
	done := make(chan struct{})
	want, count := b.N, 0
	sink := z.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*wrapperspb.Int64Value); ok {
			if count++; count == want {
				close(done)
			}
		}
	}))
	to := on(sink)
	b.ResetTimer()
	for i := 0; i < want; i++ {
		a.Root.Send(to, &wrapperspb.Int64Value{Value: int64(i)})
	}
	<-done
	b.StopTimer()
	reportRate(b)
	_ = z.Root.StopFuture(sink).Wait()
}

// S7: round trip over a channel whose ends are on two nodes, per payload:
// the echo posts back what it got, the sender reads it and posts the next.
func BenchmarkRemotePortRoundTrip(b *testing.B) {
	for _, p := range []struct {
		name string
		make func(i int) any
		read func(v any) int
	}{
		{"int", func(i int) any { return i }, func(v any) int { return v.(int) }},
		{"struct", func(i int) any { return &small{I: i} }, func(v any) int { return v.(*small).I }},
	} {
		b.Run(p.name, func(b *testing.B) { remotePortRoundTrip(b, p.make, p.read) })
	}
}

func remotePortRoundTrip(b *testing.B, payload func(int) any, read func(any) int) {
	b.ReportAllocs()
	a, z, stop := twoNodes(b)
	defer stop()
	s, r := spawnCtx(a, nil), spawnCtx(z, nil)
	p1, p2 := connectAcross(b, a, z, s, r)
	done := make(chan struct{})
	want := b.N
	r.on = func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok {
			_ = p2.PostMessage(ctx, ev.Data)
		}
	}
	s.on = func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok {
			i := read(ev.Data) + 1
			if i == want {
				close(done)
				return
			}
			_ = p1.PostMessage(ctx, payload(i))
		}
	}
	b.ResetTimer()
	s.do(a, func(ctx actor.Context) { _ = p1.PostMessage(ctx, payload(0)) })
	<-done
	b.StopTimer()
	stopAll(a, s)
	stopAll(z, r)
}

// Baseline for S7: raw remote request/response (RequestFuture and Respond).
func BenchmarkBaselineRemoteRequestResponse(b *testing.B) {
	b.ReportAllocs()
	a, z, stop := twoNodes(b)
	defer stop()
	echo := z.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*wrapperspb.Int64Value); ok {
			ctx.Respond(m)
		}
	}))
	to := on(echo)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Root.RequestFuture(to, &wrapperspb.Int64Value{Value: int64(i)}, 5*time.Second).Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	_ = z.Root.StopFuture(echo).Wait()
}
