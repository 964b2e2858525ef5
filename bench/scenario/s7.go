package scenario

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/ports"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const remoteRTT = "round trip p50"

// s7Payloads are the payloads of S7 (each crosses the wire as a binary
// record; Small is registered with package messages).
var s7Payloads = []payload{pInt, pStruct}

// s7: the jobs of S1 and S2 between two actor systems joined by protoactor
// remote on 127.0.0.1, against raw remote Send and an actor-to-actor
// ping-pong over remote, all on protoactor's default dispatcher.
func s7() *Scenario {
	sc := &Scenario{
		ID:          "S7",
		Title:       "cross-node channel: burst throughput and round trip between two actor systems over protoactor remote (loopback), per payload",
		CrossThread: true,
		Systems: []System{
			{Entangle, s7Entangle},
			{Protoactor, s7Protoactor},
		},
	}
	for _, p := range s7Payloads {
		sc.Compare = append(sc.Compare,
			Compare{Metric: p.metric(throughput), Peer: Protoactor, PeerMetric: throughput,
				Goal: Goal{Text: "burst >= 0.8x raw remote Send", Op: ">=", Bound: 0.8}},
			Compare{Metric: p.metric(remoteRTT), Peer: Protoactor, PeerMetric: s7PingPong,
				Goal: Goal{Text: "round trip <= 1.1x a raw actor ping-pong over remote", Op: "<=", Bound: 1.1}},
			Compare{Metric: p.metric(throughput) + Busy, Peer: Protoactor, PeerMetric: throughput + Busy},
			Compare{Metric: p.metric(remoteRTT) + Busy, Peer: Protoactor, PeerMetric: s7PingPong + Busy},
		)
	}
	return sc
}

const s7PingPong = "actor ping-pong over remote, p50"

func s7Sizes(cfg Config) (burst, warm, trips int) {
	return cfg.pick(300_000, 5_000), cfg.pick(500, 50), cfg.pick(3_000, 200)
}

// nodes starts two actor systems with remote on 127.0.0.1 (port 0) and
// returns them with a function that shuts both down. The gRPC servers are
// just stopped: remote's graceful Shutdown(true) races with the other node
// leaving at the same time (in one run of 2026-12-07 it panicked with a
// send on a closed channel in protoactor's endpointManager.stop), and by
// then the measurements are over and nothing is in flight.
func nodes() (a, z *actor.ActorSystem, stop func()) {
	a, z = NewSystem(), NewSystem()
	ra := remote.NewRemote(a, remote.Configure("127.0.0.1", 0))
	rz := remote.NewRemote(z, remote.Configure("127.0.0.1", 0))
	ra.Start()
	rz.Start()
	return a, z, func() {
		ra.Shutdown(false)
		rz.Shutdown(false)
	}
}

func s7Entangle(cfg Config) ([]Sample, error) {
	burst, warm, n := s7Sizes(cfg)
	a, z, stop := nodes()
	defer stop()
	s, r := SpawnCtx(a, nil), SpawnCtx(z, nil)
	defer Teardown(a, s)
	defer Teardown(z, r)
	// A PID caches its process: name r afresh for a's system.
	p1, p2, err := connectVia(s, r, actor.NewPID(r.PID.GetAddress(), r.PID.GetId()))
	if err != nil {
		return nil, err
	}
	var out []Sample
	for _, p := range s7Payloads {
		// Throughput: a burst from s, read and counted at r.
		done := make(chan struct{})
		count := 0
		var rerr error
		if err := r.On(func(ctx actor.Context, msg any) {
			if ev, ok := msg.(*ports.MessageEvent); ok {
				if err := p.read(ev.Data); err != nil && rerr == nil {
					rerr = err
				}
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
				_ = p1.PostMessage(ctx, p.make(i))
			}
		})
		if err := wait(done, cfg.timeout(), "S7: not every message arrived"); err != nil {
			return nil, err
		}
		out = append(out, rate(p.metric(throughput), burst, time.Since(start)))
		if rerr != nil {
			return nil, rerr
		}
		// Round trip: r echoes.
		trip, err := pingPong(s, r, p1, p2, p, warm, n, cfg.timeout(), events)
		if err != nil {
			return nil, err
		}
		out = append(out, Sample{p.metric(remoteRTT), "µs", us(trip)})
	}
	return out, nil
}

// Baseline: raw remote Send of a small protobuf message to an actor on the
// other node, which counts; then an actor on the first node and one on the
// second bounce a message (Request, so that the echo knows the sender, and
// Respond).
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
	samples := []Sample{rate(throughput, burst, time.Since(start))}

	tr := newTrips(warm, n)
	trips := make(chan struct{})
	pinger := a.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case run:
			m(ctx)
		case *wrapperspb.Int64Value:
			if !tr.back() {
				close(trips)
				return
			}
			tr.sent()
			ctx.Request(to, &wrapperspb.Int64Value{Value: m.Value - 1})
		}
	}))
	defer StopActors(a, pinger)
	a.Root.Send(pinger, run(func(ctx actor.Context) {
		tr.sent()
		ctx.Request(to, &wrapperspb.Int64Value{Value: -1})
	}))
	if err := wait(trips, cfg.timeout(), "S7 protoactor: the ping-pong stopped"); err != nil {
		return nil, err
	}
	return append(samples, Sample{s7PingPong, "µs", us(percentile50(tr.times))}), nil
}
