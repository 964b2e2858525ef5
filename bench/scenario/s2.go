package scenario

import (
	"errors"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

const rtt = "round trip p50"

// s2: round trip between two contexts over a channel, per payload.
func s2() *Scenario {
	sc := &Scenario{
		ID:    "S2",
		Title: "round trip between two contexts over a channel, per payload (p50 of timed trips after a warm-up; the echo posts back what it read)",
		Systems: []System{
			{Entangle, s2Entangle},
			{Protoactor, s2Protoactor},
			{GoChan, s2GoChan},
			{Node, nodeScript("s2.mjs")},
		},
		CrossThread: true,
	}
	goals := map[string]Goal{
		pInt.name:    {Text: "<= 1.3x raw protoactor ping-pong, same dispatcher", Op: "<=", Bound: 1.3},
		pStruct.name: {Text: "<= 1.5x raw protoactor ping-pong, same dispatcher", Op: "<=", Bound: 1.5},
	}
	for _, p := range s12Payloads {
		m := p.metric(rtt)
		g := goals[p.name]
		sc.Compare = append(sc.Compare,
			Compare{Metric: m, Peer: Protoactor, PeerMetric: m + onGoroutine, Goal: g},
			Compare{Metric: m, Peer: Protoactor, PeerMetric: m},
			Compare{Metric: m + pooled.suffix(), Peer: Protoactor, PeerMetric: m + onPooled, Goal: g},
			Compare{Metric: m + Busy, Peer: Protoactor, PeerMetric: m + Busy},
			Compare{Metric: m + Busy, Peer: Node, PeerMetric: p.jsMetric(rtt+" main-worker") + Busy},
			Compare{Metric: m, Peer: Node, PeerMetric: p.jsMetric(rtt + " main-worker")},
			Compare{Metric: m + onData, Peer: Protoactor, PeerMetric: m + onGoroutine, Goal: g},
		)
	}
	sc.Compare = append(sc.Compare, Compare{Metric: pInt.metric(rtt), Peer: GoChan, PeerMetric: pInt.metric(rtt)})
	return sc
}

// s2Sizes returns the warm-up and timed trips for a payload.
func s2Sizes(cfg Config, p payload) (warm, n int) {
	if p.name == pNested.name {
		return cfg.pick(50, 5), cfg.pick(500, 20)
	}
	return cfg.pick(2_000, 200), cfg.pick(20_000, 1_000)
}

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
	var out []Sample
	for _, run := range ourRuns { // the OnData run reads with OnData at both ends
		for _, p := range s12Payloads {
			warm, n := s2Sizes(cfg, p)
			s, r, p1, p2, stop, err := contexts(run.k)
			if err != nil {
				return nil, err
			}
			d, err := pingPong(s, r, p1, p2, p, warm, n, cfg.timeout(), run.rs)
			stop()
			if err != nil {
				return nil, fmt.Errorf("S2 %s%s: %w", p.name, run.suffix(), err)
			}
			out = append(out, Sample{p.metric(rtt) + run.suffix(), "µs", us(d)})
		}
	}
	return out, nil
}

// pingPong bounces p between s and r over their ports (r reads what
// arrives and posts it back; s reads the reply and posts a new p), both
// reading as rs says, and returns the median of the n trips timed after
// warm ones.
func pingPong(s, r *Ctx, p1, p2 *ports.MessagePort, p payload, warm, n int, timeout time.Duration, rs reading) (time.Duration, error) {
	done := make(chan struct{})
	tr := newTrips(warm, n)
	var perr error
	fail := func(err error) {
		if perr == nil {
			perr = err
			close(done)
		}
	}
	echo := func(ctx actor.Context, data any) {
		if err := p.read(data); err != nil {
			fail(err)
			return
		}
		if err := p2.PostMessage(ctx, data); err != nil {
			fail(err)
		}
	}
	i := 0
	reply := func(ctx actor.Context, data any) {
		if perr != nil {
			return
		}
		if err := p.read(data); err != nil {
			fail(err)
			return
		}
		if !tr.back() {
			close(done)
			return
		}
		i++
		tr.sent()
		if err := p1.PostMessage(ctx, p.make(i)); err != nil {
			fail(err)
		}
	}
	if err := readWith(r, p2, rs, echo); err != nil {
		return 0, err
	}
	if err := readWith(s, p1, rs, reply); err != nil {
		return 0, err
	}
	s.Send(func(ctx actor.Context) {
		tr.sent()
		if err := p1.PostMessage(ctx, p.make(0)); err != nil {
			fail(err)
		}
	})
	if err := wait(done, timeout, "the ping-pong stopped"); err != nil {
		return 0, err
	}
	if perr != nil {
		return 0, perr
	}
	return percentile50(tr.times), nil
}

// readWith makes c hand f the data of each message that reaches port:
// from the *ports.MessageEvent in its Receive (events), or from an OnData
// handler on the port (dataHandler).
func readWith(c *Ctx, port *ports.MessagePort, rs reading, f func(ctx actor.Context, data any)) error {
	if rs == dataHandler {
		var herr error
		err := c.Do(func(ctx actor.Context) {
			herr = port.OnData(ctx, func(ctx actor.Context, data any, _ []*ports.MessagePort) { f(ctx, data) })
		})
		return errors.Join(err, herr)
	}
	return c.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && ev.Target == port {
			f(ctx, ev.Data)
		}
	})
}

type ping struct {
	data any
	from *actor.PID
}

// Baseline: two raw actors bounce each payload in a message carrying the
// sender's PID (the echo reads it and sends it back), on each of
// rawDispatchers.
func s2Protoactor(cfg Config) ([]Sample, error) {
	var out []Sample
	for _, rd := range rawDispatchers {
		for _, p := range s12Payloads {
			var disp actor.Dispatcher
			if rd.make != nil {
				disp = rd.make()
			}
			suffix := rd.suffix
			d, err := s2ProtoactorOn(cfg, p, disp)
			if err != nil {
				return nil, err
			}
			out = append(out, Sample{p.metric(rtt) + suffix, "µs", us(d)})
		}
	}
	return out, nil
}

func s2ProtoactorOn(cfg Config, p payload, disp actor.Dispatcher) (time.Duration, error) {
	var opts []actor.PropsOption
	if disp != nil {
		opts = append(opts, actor.WithDispatcher(disp))
	}
	warm, n := s2Sizes(cfg, p)
	sys := NewSystem()
	done := make(chan struct{})
	tr := newTrips(warm, n)
	var rerr error
	echo := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ping); ok {
			if err := p.read(m.data); err != nil && rerr == nil {
				rerr = err
			}
			ctx.Send(m.from, &ping{data: m.data, from: ctx.Self()})
		}
	}, opts...))
	i := 0
	self := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ping:
			if err := p.read(m.data); err != nil && rerr == nil {
				rerr = err
			}
			if !tr.back() {
				close(done)
				return
			}
			i++
			tr.sent()
			ctx.Send(echo, &ping{data: p.make(i), from: ctx.Self()})
		case run:
			m(ctx)
		}
	}, opts...))
	sys.Root.Send(self, run(func(ctx actor.Context) { tr.sent(); ctx.Send(echo, &ping{data: p.make(0), from: ctx.Self()}) }))
	err := wait(done, cfg.timeout(), "S2 protoactor: the ping-pong stopped")
	StopActors(sys, self, echo)
	if err == nil {
		err = rerr
	}
	if err != nil {
		return 0, err
	}
	return percentile50(tr.times), nil
}

// Baseline: two goroutines bounce an int over unbuffered channels.
func s2GoChan(cfg Config) ([]Sample, error) {
	warm, n := s2Sizes(cfg, pInt)
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
	return []Sample{{pInt.metric(rtt), "µs", us(percentile50(tr.times))}}, nil
}
