package scenario

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

const transferRound = "port transfer round"

// s3: create a channel, post one end to another context, until a message
// has arrived on it there; both ends are closed each time.
func s3() *Scenario {
	return &Scenario{
		ID:    "S3",
		Title: "new channel, one end posted to another context, until a message arrives on it there (mean per round, both ends closed)",
		Systems: []System{
			{Entangle, s3Entangle},
			{Protoactor, s3Protoactor},
			{Node, nodeScript("s3.mjs")},
		},
		// The other context is another actor, on its own goroutine: in
		// Node.js that is a worker. Node's same-thread round (the port
		// goes to the other end of a channel in the same event loop, so it
		// never leaves its context) is reported too, in the node rows.
		Compare: []Compare{
			{transferRound, Node, transferRound + " (to worker)"},
			{transferRound, Protoactor, "spawn+stop child, wait Terminated"},
		},
		Targets: []Target{
			{Text: "<= 0.75x Node's time (to a worker: another context)", Metric: transferRound, Peer: Node, Op: "<=", Bound: 0.75},
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
	warm, n := s3Sizes(cfg)
	sys := NewSystem()
	d := ports.NewDispatcher(300, 0)
	s, r := SpawnCtx(sys, d), SpawnCtx(sys, d)
	defer Teardown(sys, s, r)
	done := make(chan struct{})
	rs := &rounds{warm: warm, n: n}
	var perr error
	// One round, on s: a new channel, port2 posted to r, a message on port1,
	// port1 closed. r sends the next round back to s when the message has
	// arrived on its adopted port.
	round := func(ctx actor.Context) {
		if !rs.next() {
			close(done)
			return
		}
		ch, err := ports.NewMessageChannel(ctx)
		if err == nil {
			err = ports.PostTo(ctx, r.PID, nil, ch.Port2)
		}
		if err == nil {
			err = ch.Port1.PostMessage(ctx, "hi")
		}
		if err == nil {
			err = ch.Port1.Close(ctx)
		}
		if err != nil {
			perr = err
			close(done)
		}
	}
	if err := r.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && len(ev.Ports) == 1 {
			p := ev.Ports[0]
			_ = p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
				_ = ev.Target.Close(ctx)
				ctx.Send(s.PID, run(round))
			})
		}
	}); err != nil {
		return nil, err
	}
	s.Send(round)
	if err := wait(done, cfg.timeout(), "S3: a round did not finish"); err != nil {
		return nil, err
	}
	if perr != nil {
		return nil, perr
	}
	return []Sample{{transferRound, "µs", rs.perRound()}}, nil
}

// Baseline: a parent spawns a child and stops it, waiting for Terminated
// before the next round (a port is a child actor).
func s3Protoactor(cfg Config) ([]Sample, error) {
	warm, n := s3Sizes(cfg)
	sys := NewSystem()
	done := make(chan struct{})
	rs := &rounds{warm: warm, n: n}
	child := actor.PropsFromFunc(func(actor.Context) {})
	round := func(ctx actor.Context) {
		if !rs.next() {
			close(done)
			return
		}
		ctx.Stop(ctx.Spawn(child))
	}
	parent := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case run:
			m(ctx)
		case *actor.Terminated:
			round(ctx)
		}
	}))
	defer StopActors(sys, parent)
	sys.Root.Send(parent, run(round))
	if err := wait(done, cfg.timeout(), "S3 protoactor: a round did not finish"); err != nil {
		return nil, err
	}
	return []Sample{{"spawn+stop child, wait Terminated", "µs", rs.perRound()}}, nil
}
