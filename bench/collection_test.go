package bench_test

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// notice is a struct of about 1 KiB: the message of the broadcast rows.
type notice struct {
	ID   int64
	From string
	Tags []string
	Body []byte
}

func newNotice() notice {
	return notice{ID: 7, From: "hub", Tags: []string{"news", "all"}, Body: make([]byte, 1000)}
}

// B1: one context posts a 1 KiB struct to 1,000 ports whose other ends
// another context owns, and waits until all 1,000 have been received: with
// a PortCollection (one PostMessage), and with 1,000 separate
// MessagePort.PostMessage calls of the same value. One op is one whole
// broadcast.
//
//	go test -run '^$' -bench 'Broadcast' -benchmem ./bench/
func BenchmarkBroadcast1000(b *testing.B) {
	const fan = 1000
	for _, bc := range []struct {
		name string
		post func(ctx actor.Context, pc *ports.PortCollection, ps []*ports.MessagePort, v notice) error
	}{
		{"collection", func(ctx actor.Context, pc *ports.PortCollection, _ []*ports.MessagePort, v notice) error {
			return pc.PostMessage(ctx, v)
		}},
		{"separate", func(ctx actor.Context, _ *ports.PortCollection, ps []*ports.MessagePort, v notice) error {
			for _, p := range ps {
				if err := p.PostMessage(ctx, v); err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			sys := quietSystem()
			s, r := spawnCtx(sys, nil), spawnCtx(sys, nil)
			pc := ports.NewPortCollection()
			ends := make([]*ports.MessagePort, 0, fan)
			got := make(chan struct{}, 1)
			s.do(sys, func(ctx actor.Context) {
				far := make([]*ports.MessagePort, 0, fan)
				for range fan {
					ch, err := ports.NewMessageChannel(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if err := pc.Add(ctx, ch.Port1); err != nil {
						b.Fatal(err)
					}
					ends = append(ends, ch.Port1)
					far = append(far, ch.Port2)
				}
				if err := ports.PostTo(ctx, r.pid, "join", toTransferables(far)...); err != nil {
					b.Fatal(err)
				}
			})
			count := 0
			r.on = func(ctx actor.Context, msg any) {
				ev, ok := msg.(*ports.MessageEvent)
				if !ok {
					return
				}
				if len(ev.Ports) == fan {
					for _, p := range ev.Ports {
						if err := p.Start(ctx); err != nil {
							b.Error(err)
						}
					}
					got <- struct{}{}
					return
				}
				if count++; count == fan {
					count = 0
					got <- struct{}{}
				}
			}
			<-got
			v := newNotice()
			b.ResetTimer()
			for range b.N {
				sys.Root.Send(s.pid, run(func(ctx actor.Context) {
					if err := bc.post(ctx, pc, ends, v); err != nil {
						b.Error(err)
					}
				}))
				<-got
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*fan)/b.Elapsed().Seconds(), "msgs/s")
			stopAll(sys, s, r)
		})
	}
}

func toTransferables(ps []*ports.MessagePort) []messages.Transferable {
	out := make([]messages.Transferable, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}
