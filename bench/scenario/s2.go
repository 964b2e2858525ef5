package scenario

import (
	"errors"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

const rtt = "round trip p50"

// s2: round trip between two contexts over a channel.
func s2() *Scenario {
	return &Scenario{
		ID:    "S2",
		Title: "round trip between two contexts over a channel (p50 of timed trips after a warm-up)",
		Systems: []System{
			{Entangle, s2Entangle},
			{Protoactor, s2Protoactor},
			{GoChan, s2GoChan},
			{Node, nodeScript("s2.mjs")},
		},
		Compare: []Compare{
			{rtt, Protoactor, rtt},
			{rtt, GoChan, rtt},
			{rtt, Node, rtt + " (main-worker)"},
		},
		Targets: []Target{
			{Text: "<= 1.5x raw actor ping-pong", Metric: rtt, Peer: Protoactor, Op: "<=", Bound: 1.5},
			{Text: "under Node main-to-worker RTT", Metric: rtt, Peer: Node, Op: "<", Bound: 1},
		},
	}
}

func s2Sizes(cfg Config) (warm, n int) { return cfg.pick(2_000, 200), cfg.pick(20_000, 1_000) }

// trips times the trips of a ping-pong: call sent before each send, and
// back when the reply has arrived; back reports whether another trip is due.
type trips struct {
	warm, n, i int
	t0         time.Time
	times      []time.Duration
}

func newTrips(warm, n int) *trips {
	return &trips{warm: warm, n: n, times: make([]time.Duration, 0, n)}
}

func (t *trips) sent() { t.t0 = time.Now() }

func (t *trips) back() bool {
	d := time.Since(t.t0)
	if t.i >= t.warm {
		t.times = append(t.times, d)
	}
	t.i++
	return t.i < t.warm+t.n
}

func s2Entangle(cfg Config) ([]Sample, error) {
	warm, n := s2Sizes(cfg)
	sys, s, r, p1, p2, err := pair()
	if err != nil {
		return nil, err
	}
	defer Teardown(sys, s, r)
	d, err := pingPong(s, r, p1, p2, warm, n, cfg.timeout())
	if err != nil {
		return nil, err
	}
	return []Sample{{rtt, "µs", us(d)}}, nil
}

// pingPong bounces an int between s and r over their ports (r echoes) and
// returns the median of the n trips timed after warm ones.
func pingPong(s, r *Ctx, p1, p2 *ports.MessagePort, warm, n int, timeout time.Duration) (time.Duration, error) {
	done := make(chan struct{})
	tr := newTrips(warm, n)
	var perr error
	if err := r.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok {
			if err := p2.PostMessage(ctx, ev.Data); err != nil {
				perr = err
			}
		}
	}); err != nil {
		return 0, err
	}
	if err := s.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok {
			if !tr.back() {
				close(done)
				return
			}
			tr.sent()
			_ = p1.PostMessage(ctx, ev.Data.(int)+1)
		}
	}); err != nil {
		return 0, err
	}
	s.Send(func(ctx actor.Context) { tr.sent(); _ = p1.PostMessage(ctx, 0) })
	if err := wait(done, timeout, "the ping-pong stopped"); err != nil {
		return 0, err
	}
	if perr != nil {
		return 0, perr
	}
	return percentile50(tr.times), nil
}

type ping struct {
	n    int
	from *actor.PID
}

// Baseline: two raw actors bounce a message carrying the sender's PID,
// with protoactor's default dispatcher (the target's baseline) and with
// the pooled one that entangle's contexts run on (ports.NewDispatcher),
// which saves a goroutine start per hop.
func s2Protoactor(cfg Config) ([]Sample, error) {
	d, err := s2ProtoactorOn(cfg, nil)
	if err != nil {
		return nil, err
	}
	pooled, err := s2ProtoactorOn(cfg, ports.NewDispatcher(300, 0))
	if err != nil {
		return nil, err
	}
	return []Sample{{rtt, "µs", us(d)}, {rtt + " (pooled dispatcher)", "µs", us(pooled)}}, nil
}

func s2ProtoactorOn(cfg Config, disp actor.Dispatcher) (time.Duration, error) {
	var opts []actor.PropsOption
	if disp != nil {
		opts = append(opts, actor.WithDispatcher(disp))
	}
	warm, n := s2Sizes(cfg)
	sys := NewSystem()
	done := make(chan struct{})
	tr := newTrips(warm, n)
	echo := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ping); ok {
			ctx.Send(m.from, &ping{n: m.n, from: ctx.Self()})
		}
	}, opts...))
	self := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ping:
			if !tr.back() {
				close(done)
				return
			}
			tr.sent()
			ctx.Send(echo, &ping{n: m.n + 1, from: ctx.Self()})
		case run:
			m(ctx)
		}
	}, opts...))
	defer StopActors(sys, self, echo)
	sys.Root.Send(self, run(func(ctx actor.Context) { tr.sent(); ctx.Send(echo, &ping{from: ctx.Self()}) }))
	if err := wait(done, cfg.timeout(), "S2 protoactor: the ping-pong stopped"); err != nil {
		return 0, err
	}
	return percentile50(tr.times), nil
}

// Baseline: two goroutines bounce an int over unbuffered channels.
func s2GoChan(cfg Config) ([]Sample, error) {
	warm, n := s2Sizes(cfg)
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
		close(pong)
	}()
	tr := newTrips(warm, n)
	for i := 0; ; i++ {
		tr.sent()
		ping <- i
		if <-pong != i {
			close(ping)
			return nil, errors.New("S2 gochan: out of order")
		}
		if !tr.back() {
			break
		}
	}
	close(ping)
	<-pong
	return []Sample{{rtt, "µs", us(percentile50(tr.times))}}, nil
}
