package bench_test

import (
	"runtime"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// S4: a 1 MiB ArrayBuffer bounced between two contexts over a channel,
// transferred both ways or cloned both ways; one op is one round trip.
func BenchmarkPortBuffer1MiB(b *testing.B) {
	for _, transfer := range []bool{true, false} {
		name := "copy"
		if transfer {
			name = "transfer"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(2 << 20)
			sys := quietSystem()
			done := make(chan struct{})
			s, r := spawnCtx(sys, nil), spawnCtx(sys, nil)
			p1, p2 := connect(b, sys, s, r)
			post := func(ctx actor.Context, p *ports.MessagePort, buf *messages.ArrayBuffer) {
				var err error
				if transfer {
					err = p.PostMessage(ctx, buf, buf)
				} else {
					err = p.PostMessage(ctx, buf)
				}
				if err != nil {
					b.Error(err)
				}
			}
			left := b.N
			r.on = func(ctx actor.Context, msg any) {
				if ev, ok := msg.(*ports.MessageEvent); ok {
					post(ctx, p2, ev.Data.(*messages.ArrayBuffer))
				}
			}
			s.on = func(ctx actor.Context, msg any) {
				if ev, ok := msg.(*ports.MessageEvent); ok {
					if left--; left == 0 {
						done <- struct{}{}
						return
					}
					post(ctx, p1, ev.Data.(*messages.ArrayBuffer))
				}
			}
			buf := messages.NewArrayBuffer(make([]byte, 1<<20))
			b.ResetTimer()
			s.do(sys, func(ctx actor.Context) { post(ctx, p1, buf) })
			<-done
			b.StopTimer()
			stopAll(sys, s, r)
		})
	}
}

type buffer struct {
	b    []byte
	from *actor.PID
}

// Baseline for S4: two raw actors bounce a 1 MiB []byte, handed over as is
// (a move, like a transfer) or copied before every send.
func BenchmarkBaselineActorBuffer1MiB(b *testing.B) {
	for _, move := range []bool{true, false} {
		name := "copy"
		if move {
			name = "move"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(2 << 20)
			sys := quietSystem()
			done := make(chan struct{})
			pass := func(p []byte) []byte {
				if move {
					return p
				}
				return append([]byte(nil), p...)
			}
			echo := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
				if m, ok := ctx.Message().(*buffer); ok {
					ctx.Send(m.from, &buffer{b: pass(m.b), from: ctx.Self()})
				}
			}))
			left := b.N
			self := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *buffer:
					if left--; left == 0 {
						done <- struct{}{}
						return
					}
					ctx.Send(echo, &buffer{b: pass(m.b), from: ctx.Self()})
				case run:
					m(ctx)
				}
			}))
			b.ResetTimer()
			sys.Root.Send(self, run(func(ctx actor.Context) { ctx.Send(echo, &buffer{b: make([]byte, 1<<20), from: ctx.Self()}) }))
			<-done
			b.StopTimer()
			_ = sys.Root.StopFuture(self).Wait()
			_ = sys.Root.StopFuture(echo).Wait()
		})
	}
}

// liveHeap returns the heap in use after two collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// S6: memory of idle open channels, 100 per context: one op is one
// channel; reported as heap bytes and goroutines per channel.
func BenchmarkOpenChannelMemory(b *testing.B) {
	sys := quietSystem()
	const perCtx = 100
	ctxs := make([]*benchCtx, (b.N+perCtx-1)/perCtx)
	for i := range ctxs {
		ctxs[i] = spawnCtx(sys, nil)
		ctxs[i].do(sys, func(actor.Context) {})
	}
	h0, g0 := liveHeap(), runtime.NumGoroutine()
	held := make([]*ports.MessageChannel, 0, b.N)
	b.ResetTimer()
	for i, c := range ctxs {
		n := min(perCtx, b.N-i*perCtx)
		c.do(sys, func(ctx actor.Context) {
			for range n {
				ch, err := ports.NewMessageChannel(ctx)
				if err != nil {
					b.Fatal(err)
				}
				held = append(held, ch)
			}
		})
	}
	b.StopTimer()
	h1, g1 := liveHeap(), runtime.NumGoroutine()
	b.ReportMetric(float64(int64(h1)-int64(h0))/float64(b.N), "B/channel")
	b.ReportMetric(float64(g1-g0)/float64(b.N), "goroutines/channel")
	runtime.KeepAlive(held)
	stopAll(sys, ctxs...)
}

// Baseline for S6: idle raw protoactor actors, two per channel's worth.
func BenchmarkBaselineIdleActorMemory(b *testing.B) {
	sys := quietSystem()
	idle := actor.PropsFromFunc(func(actor.Context) {})
	h0, g0 := liveHeap(), runtime.NumGoroutine()
	pids := make([]*actor.PID, 0, 2*b.N)
	b.ResetTimer()
	for range b.N {
		pids = append(pids, sys.Root.Spawn(idle), sys.Root.Spawn(idle))
	}
	b.StopTimer()
	h1, g1 := liveHeap(), runtime.NumGoroutine()
	b.ReportMetric(float64(int64(h1)-int64(h0))/float64(b.N), "B/pair")
	b.ReportMetric(float64(g1-g0)/float64(b.N), "goroutines/pair")
	for _, p := range pids {
		_ = sys.Root.StopFuture(p).Wait()
	}
}
