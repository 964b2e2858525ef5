package scenario

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

const (
	mib          = 1 << 20
	s4Transfer   = "1 MiB transfer per message"
	s4Copy       = "1 MiB copy per message"
	s4Ratio      = "1 MiB copy/transfer over a channel"
	s4CodecXfer  = "codec transfer 1 MiB"
	s4CodecCopy  = "codec copy 1 MiB"
	s4CodecRatio = "codec copy/transfer"
)

// s4: a 1 MiB ArrayBuffer over a channel, transferred or copied, and the
// codec alone.
func s4() *Scenario {
	return &Scenario{
		ID:    "S4",
		Title: "1 MiB ArrayBuffer bounced over a channel, transfer vs structured copy (p50 of RTT/2), and the codec alone (mean)",
		Systems: []System{
			{Entangle, s4Entangle},
			{Node, nodeScript("s4.mjs")},
		},
		Compare: []Compare{
			{Metric: s4Transfer, Peer: Node, PeerMetric: s4Transfer},
			{Metric: s4Copy, Peer: Node, PeerMetric: s4Copy},
			{Metric: s4CodecXfer, Peer: Node, PeerMetric: s4CodecXfer},
			{Metric: s4CodecCopy, Peer: Node, PeerMetric: s4CodecCopy},
		},
		Targets: []Target{
			{Metric: s4Ratio, Goal: Goal{Text: "transfer >= 30x faster than copy over a channel", Op: ">=", Bound: 30}},
			{Metric: s4CodecRatio, Goal: Goal{Text: "transfer >= 100x faster than copy in the codec", Op: ">=", Bound: 100}},
		},
		Higher: []string{s4Ratio, s4CodecRatio},
	}
}

func s4Entangle(cfg Config) ([]Sample, error) {
	tr, err := s4Bounce(cfg, true, cfg.pick(200, 20), cfg.pick(2_000, 100))
	if err != nil {
		return nil, err
	}
	cp, err := s4Bounce(cfg, false, cfg.pick(30, 5), cfg.pick(300, 20))
	if err != nil {
		return nil, err
	}
	ct, err := s4Codec(true, cfg.pick(1_000, 100), cfg.pick(20_000, 1_000))
	if err != nil {
		return nil, err
	}
	cc, err := s4Codec(false, cfg.pick(30, 5), cfg.pick(300, 20))
	if err != nil {
		return nil, err
	}
	return []Sample{
		{s4Transfer, "µs", tr},
		{s4Copy, "µs", cp},
		{s4Ratio, "x", cp / tr},
		{s4CodecXfer, "µs", ct},
		{s4CodecCopy, "µs", cc},
		{s4CodecRatio, "x", cc / ct},
	}, nil
}

// s4Bounce bounces one 1 MiB ArrayBuffer between two contexts, in the
// transfer list or copied on each post, and returns the p50 of RTT/2 in µs.
func s4Bounce(cfg Config, transfer bool, warm, n int) (float64, error) {
	sys, s, r, p1, p2, err := pair()
	if err != nil {
		return 0, err
	}
	defer Teardown(sys, s, r)
	post := func(ctx actor.Context, p *ports.MessagePort, ab *messages.ArrayBuffer) error {
		if transfer {
			return p.PostMessage(ctx, ab, ab)
		}
		return p.PostMessage(ctx, ab)
	}
	done := make(chan struct{})
	tr := newTrips(warm, n)
	var perr error
	fail := func(err error) {
		if perr == nil {
			perr = err
			close(done)
		}
	}
	if err := r.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok {
			if err := post(ctx, p2, ev.Data.(*messages.ArrayBuffer)); err != nil {
				fail(err)
			}
		}
	}); err != nil {
		return 0, err
	}
	if err := s.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok {
			ab := ev.Data.(*messages.ArrayBuffer)
			if ab.ByteLength() != mib {
				fail(fmt.Errorf("S4: got %d bytes", ab.ByteLength()))
				return
			}
			if !tr.back() {
				close(done)
				return
			}
			tr.sent()
			if err := post(ctx, p1, ab); err != nil {
				fail(err)
			}
		}
	}); err != nil {
		return 0, err
	}
	s.Send(func(ctx actor.Context) {
		tr.sent()
		if err := post(ctx, p1, messages.NewArrayBuffer(make([]byte, mib))); err != nil {
			fail(err)
		}
	})
	if err := wait(done, cfg.timeout(), "S4: the bounce stopped"); err != nil {
		return 0, err
	}
	if perr != nil {
		return 0, perr
	}
	return us(percentile50(tr.times)) / 2, nil
}

// s4Codec times messages.StructuredClone of a 1 MiB ArrayBuffer, with the
// buffer in the transfer list or copied, and returns the mean in µs.
func s4Codec(transfer bool, warm, n int) (float64, error) {
	ab := messages.NewArrayBuffer(make([]byte, mib))
	var start time.Time
	for i := 0; i < warm+n; i++ {
		if i == warm {
			start = time.Now()
		}
		var out any
		var err error
		if transfer {
			out, err = messages.StructuredClone(ab, ab)
		} else {
			out, err = messages.StructuredClone(ab)
		}
		if err != nil {
			return 0, err
		}
		if transfer {
			ab = out.(*messages.ArrayBuffer)
		}
	}
	return us(time.Since(start)) / float64(n), nil
}
