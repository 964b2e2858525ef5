package scenario

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

const transferRound = "port transfer round"

const s3Work = "3 child spawn+stops and 2 hops"

// s3: create a channel, post one end to another context over a long-lived
// channel, post a message on the other end, until that message has arrived
// there; both ends are closed each time.
func s3() *Scenario {
	return &Scenario{
		ID:    "S3",
		Title: "new channel, one end posted to another context over a long-lived channel, until a message posted on the other end arrives there (mean per round, both ends closed, acknowledged on the long-lived channel)",
		Systems: []System{
			{Entangle, s3Entangle},
			{Protoactor, s3Protoactor},
			{Node, nodeScript("s3.mjs")},
		},
		CrossThread: true,
		// Node's same-thread round (the port goes to the other end of a
		// channel in the same event loop) and its round to a worker.
		Compare: []Compare{
			{Metric: transferRound, Peer: Node, PeerMetric: transferRound,
				Goal: Goal{Text: "<= 1.25x Node's same-thread round", Op: "<=", Bound: 1.25}},
			{Metric: transferRound + Busy, Peer: Node, PeerMetric: transferRound + toWorker + Busy,
				Goal: Goal{Text: "<= 0.5x Node's round to a worker, busy machine", Op: "<=", Bound: 0.5}},
			{Metric: transferRound, Peer: Node, PeerMetric: transferRound + toWorker},
			{Metric: transferRound, Peer: Protoactor, PeerMetric: s3Work + onGoroutine,
				Goal: Goal{Text: "<= 1.3x the raw protoactor work it cannot avoid, same dispatcher", Op: "<=", Bound: 1.3}},
			{Metric: transferRound, Peer: Protoactor, PeerMetric: s3Work},
			{Metric: transferRound + Busy, Peer: Protoactor, PeerMetric: s3Work + Busy},
			{Metric: transferRound + pooled.suffix(), Peer: Protoactor, PeerMetric: s3Work + onPooled,
				Goal: Goal{Text: "<= 1.3x the raw protoactor work it cannot avoid, same dispatcher", Op: "<=", Bound: 1.3}},
			// No target: how far entangle's round is from the protocol's
			// own messages written by hand (s3floor.go).
			{Metric: transferRound, Peer: Protoactor, PeerMetric: s3Floor + onGoroutine},
			{Metric: transferRound + pooled.suffix(), Peer: Protoactor, PeerMetric: s3Floor + onPooled},
		},
	}
}

func s3Sizes(cfg Config) (warm, n int) { return cfg.pick(500, 50), cfg.pick(5_000, 200) }

// rounds counts rounds and times the measured ones.
type rounds struct {
	warm, n, i int
	start      time.Time
	elapsed    time.Duration
}

// next reports whether another round is due, starting the clock after the
// warm-up and stopping it after the last round.
func (r *rounds) next() bool {
	if r.i == r.warm {
		r.start = time.Now()
	}
	if r.i == r.warm+r.n {
		r.elapsed = time.Since(r.start)
		return false
	}
	r.i++
	return true
}

func (r *rounds) perRound() float64 { return us(r.elapsed) / float64(r.n) }

func s3Entangle(cfg Config) ([]Sample, error) {
	var out []Sample
	for _, k := range []kind{users, pooled} {
		v, err := s3On(cfg, k)
		if err != nil {
			return nil, fmt.Errorf("S3%s: %w", k.suffix(), err)
		}
		out = append(out, Sample{transferRound + k.suffix(), "µs", v})
	}
	return out, nil
}

// s3On runs the rounds between two contexts of kind k and returns the mean
// per round in µs.
func s3On(cfg Config, k kind) (float64, error) {
	warm, n := s3Sizes(cfg)
	s, r, p1, p2, stop, err := contexts(k)
	if err != nil {
		return 0, err
	}
	defer stop()
	done := make(chan struct{})
	rs := &rounds{warm: warm, n: n}
	var perr error
	fail := func(err error) {
		if perr == nil {
			perr = err
			close(done)
		}
	}
	// One round, on s: a new channel, port2 posted to r over p1, a message
	// on port1, port1 closed. r closes the adopted port when the message
	// has arrived on it and acknowledges on p2; the ack starts the next
	// round.
	round := func(ctx actor.Context) {
		if !rs.next() {
			close(done)
			return
		}
		ch, err := ports.NewMessageChannel(ctx)
		if err == nil {
			err = p1.PostMessage(ctx, nil, ch.Port2)
		}
		if err == nil {
			err = ch.Port1.PostMessage(ctx, "hi")
		}
		if err == nil {
			err = ch.Port1.Close(ctx)
		}
		if err != nil {
			fail(err)
		}
	}
	if err := r.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && ev.Target == p2 && len(ev.Ports) == 1 {
			if err := ev.Ports[0].OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
				_ = ev.Target.Close(ctx)
				if err := p2.PostMessage(ctx, 0); err != nil {
					fail(err)
				}
			}); err != nil {
				fail(err)
			}
		}
	}); err != nil {
		return 0, err
	}
	if err := s.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && ev.Target == p1 && perr == nil {
			round(ctx)
		}
	}); err != nil {
		return 0, err
	}
	s.Send(round)
	if err := wait(done, cfg.timeout(), "S3: a round did not finish"); err != nil {
		return 0, err
	}
	if perr != nil {
		return 0, perr
	}
	return rs.perRound(), nil
}

// Baseline: the work a round cannot avoid while each port is an actor:
// a parent spawns three children and stops them (the new channel's two
// ports and the adopted one), waits for their Terminated, then a message
// goes to another actor and back (two hops); on each of rawDispatchers.
func s3Protoactor(cfg Config) ([]Sample, error) {
	var out []Sample
	for _, rd := range rawDispatchers {
		opts, suffix := rd.opts(), rd.suffix
		v, err := s3ProtoactorOn(cfg, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, Sample{s3Work + suffix, "µs", v})
		if rd.make == nil {
			continue // the floor only on the dispatchers entangle's rows are held against
		}
		f, err := s3FloorOn(cfg, rd.opts())
		if err != nil {
			return nil, err
		}
		out = append(out, Sample{s3Floor + suffix, "µs", f})
	}
	return out, nil
}

func s3ProtoactorOn(cfg Config, opts []actor.PropsOption) (float64, error) {
	warm, n := s3Sizes(cfg)
	sys := NewSystem()
	done := make(chan struct{})
	rs := &rounds{warm: warm, n: n}
	child := actor.PropsFromFunc(func(actor.Context) {}, opts...)
	other := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ping); ok {
			ctx.Send(m.from, &ping{from: ctx.Self()})
		}
	}, opts...))
	left := 0
	round := func(ctx actor.Context) {
		if !rs.next() {
			close(done)
			return
		}
		left = 3
		for range 3 {
			ctx.Stop(ctx.Spawn(child))
		}
	}
	parent := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case run:
			m(ctx)
		case *actor.Terminated:
			if left--; left == 0 {
				ctx.Send(other, &ping{from: ctx.Self()})
			}
		case *ping:
			round(ctx)
		}
	}, opts...))
	sys.Root.Send(parent, run(round))
	err := wait(done, cfg.timeout(), "S3 protoactor: a round did not finish")
	StopActors(sys, parent, other)
	if err != nil {
		return 0, err
	}
	return rs.perRound(), nil
}
