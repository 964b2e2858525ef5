package scenario

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/ports"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const remoteRTT = "round trip p50"

// s7: the jobs of S1 and S2 between two actor systems joined by protoactor
// remote on 127.0.0.1, against raw remote Send and request/response.
func s7() *Scenario {
	return &Scenario{
		ID:    "S7",
		Title: "cross-node channel: burst throughput and round trip between two actor systems over protoactor remote (loopback)",
		Systems: []System{
			{Entangle, s7Entangle},
			{Protoactor, s7Protoactor},
		},
		Compare: []Compare{
			{throughput, Protoactor, throughput},
			{remoteRTT, Protoactor, "request/response p50"},
		},
		Targets: []Target{
			{Text: ">= 0.5x raw remote Send throughput", Metric: throughput, Peer: Protoactor, Op: ">=", Bound: 0.5},
		},
		Higher: []string{throughput},
	}
}

func s7Sizes(cfg Config) (burst, warm, trips int) {
	return cfg.pick(300_000, 5_000), cfg.pick(500, 50), cfg.pick(3_000, 200)
}

// nodes starts two actor systems with remote on 127.0.0.1 (port 0) and
// returns them with a function that shuts both down.
func nodes() (a, z *actor.ActorSystem, stop func()) {
	a, z = NewSystem(), NewSystem()
	ra := remote.NewRemote(a, remote.Configure("127.0.0.1", 0))
	rz := remote.NewRemote(z, remote.Configure("127.0.0.1", 0))
	ra.Start()
	rz.Start()
	return a, z, func() {
		ra.Shutdown(true)
		rz.Shutdown(true)
	}
}

func s7Entangle(cfg Config) ([]Sample, error) {
	burst, warm, n := s7Sizes(cfg)
	a, z, stop := nodes()
	defer stop()
	d := ports.NewDispatcher(300, 0)
	s, r := SpawnCtx(a, d), SpawnCtx(z, d)
	defer Teardown(a, s)
	defer Teardown(z, r)
	// A PID caches its process: name r afresh for a's system.
	p1, p2, err := connectVia(s, r, actor.NewPID(r.PID.GetAddress(), r.PID.GetId()))
	if err != nil {
		return nil, err
	}

	// Throughput: a burst from s, counted at r.
	done := make(chan struct{})
	count := 0
	if err := r.On(func(ctx actor.Context, msg any) {
		if _, ok := msg.(*ports.MessageEvent); ok {
			if count++; count == burst {
				close(done)
			}
		}
	}); err != nil {
		return nil, err
	}
	start := time.Now()
	s.Send(func(ctx actor.Context) {
		for i := 0; i < burst; i++ {
			_ = p1.PostMessage(ctx, i)
		}
	})
	if err := wait(done, cfg.timeout(), "S7: not every message arrived"); err != nil {
		return nil, err
	}
	samples := rate(burst, time.Since(start))

	// Round trip: r echoes.
	trip, err := pingPong(s, r, p1, p2, warm, n, cfg.timeout())
	if err != nil {
		return nil, err
	}
	return append(samples, Sample{remoteRTT, "µs", us(trip)}), nil
}

// Baseline: raw remote Send of a small protobuf message to an actor on the
// other node, which counts; then RequestFuture and Respond.
func s7Protoactor(cfg Config) ([]Sample, error) {
	burst, warm, n := s7Sizes(cfg)
	a, z, stop := nodes()
	defer stop()
	done := make(chan struct{})
	count := 0
	sink := z.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *wrapperspb.Int64Value:
			if m.Value < 0 {
				ctx.Respond(m) // a request
				return
			}
			if count++; count == burst {
				close(done)
			}
		}
	}))
	defer StopActors(z, sink)
	to := actor.NewPID(sink.GetAddress(), sink.GetId())
	// One request first, so that the connection is up before the clock
	// starts, as it is for entangle.
	if _, err := a.Root.RequestFuture(to, &wrapperspb.Int64Value{Value: -1}, cfg.timeout()).Result(); err != nil {
		return nil, err
	}
	start := time.Now()
	for i := 0; i < burst; i++ {
		a.Root.Send(to, &wrapperspb.Int64Value{Value: int64(i)})
	}
	if err := wait(done, cfg.timeout(), "S7 protoactor: not every message arrived"); err != nil {
		return nil, err
	}
	samples := rate(burst, time.Since(start))
	tr := newTrips(warm, n)
	for more := true; more; {
		tr.sent()
		if _, err := a.Root.RequestFuture(to, &wrapperspb.Int64Value{Value: -1}, cfg.timeout()).Result(); err != nil {
			return nil, err
		}
		more = tr.back()
	}
	return append(samples, Sample{"request/response p50", "µs", us(percentile50(tr.times))}), nil
}
