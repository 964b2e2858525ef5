package scenario

import (
	"fmt"
	"maps"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

const (
	throughput = "throughput"
	// toWorker marks Node's cross-thread figures (main thread to worker).
	toWorker = " to worker"
	// onPooled marks raw protoactor figures on ports.NewDispatcher.
	onPooled = " (ports.NewDispatcher)"
	// onData marks our figures read by a port's OnData handler (the data
	// itself, no MessageEvent), and nodeOn Node's read by
	// port.on('message') (the value itself, no event): each other's like.
	onData = " (OnData)"
	nodeOn = " (on('message'))"
)

// s1: throughput of a burst over one channel between two contexts, per
// payload.
func s1() *Scenario {
	sc := &Scenario{
		ID:    "S1",
		Title: "burst throughput over one channel between two contexts, per payload (counted at the receiver, which reads each message)",
		Systems: []System{
			{Entangle, s1Entangle},
			{Protoactor, s1Protoactor},
			{GoChan, s1GoChan},
			{Node, nodeScript("s1.mjs")},
		},
		CrossThread: true,
	}
	goals := map[string][]Goal{
		pInt.name:    {{Text: ">= 3x Node's number", Op: ">=", Bound: 3}},
		pStruct.name: {{Text: ">= 3x Node's {i}", Op: ">=", Bound: 3}},
		pMap.name:    {{Text: ">= 2x Node's {i}", Op: ">=", Bound: 2}},
	}
	for _, p := range s12Payloads {
		m := p.metric(throughput)
		var g Goal
		if gs := goals[p.name]; len(gs) > 0 {
			g = gs[0]
		}
		// Against Node: its same-thread figure, and its cross-thread one
		// on the busy machine (ours on the busy machine too).
		gw := g
		if gw.Op != "" {
			gw.Text += " to a worker, busy machine"
		}
		sc.Compare = append(sc.Compare,
			Compare{Metric: m, Peer: Node, PeerMetric: p.jsMetric(throughput), Goal: g},
			Compare{Metric: m + Busy, Peer: Node, PeerMetric: p.jsMetric(throughput+toWorker) + Busy, Goal: gw},
			Compare{Metric: m + Busy, Peer: Node, PeerMetric: p.jsMetric(throughput+toWorker) + Busy},
			// The data handlers of both: OnData against port.on('message').
			Compare{Metric: m + onData, Peer: Node, PeerMetric: p.jsMetric(throughput) + nodeOn, Goal: g},
			Compare{Metric: m + onData + Busy, Peer: Node, PeerMetric: p.jsMetric(throughput+toWorker) + nodeOn + Busy, Goal: gw},
		)
		var gp Goal
		if p.name == pStruct.name {
			gp = Goal{Text: ">= 0.3x raw protoactor Send, same dispatcher", Op: ">=", Bound: 0.3}
		}
		sc.Compare = append(sc.Compare,
			Compare{Metric: m, Peer: Protoactor, PeerMetric: m + onGoroutine, Goal: gp},
			Compare{Metric: m, Peer: Protoactor, PeerMetric: m},
			Compare{Metric: m + pooled.suffix(), Peer: Protoactor, PeerMetric: m + onPooled, Goal: gp},
			Compare{Metric: m + Busy, Peer: Protoactor, PeerMetric: m + Busy},
		)
	}
	sc.Compare = dedupe(sc.Compare)
	// The map against raw protoactor with the receiver's copy made by
	// hand: the clone against one copy of the map (no target).
	sc.Compare = append(sc.Compare,
		Compare{Metric: pMap.metric(throughput), Peer: Protoactor, PeerMetric: copiedMap.metric(throughput) + onGoroutine},
		Compare{Metric: pMap.metric(throughput) + onData, Peer: Protoactor, PeerMetric: copiedMap.metric(throughput) + onGoroutine})
	sc.Compare = append(sc.Compare, Compare{Metric: pInt.metric(throughput), Peer: GoChan, PeerMetric: pInt.metric(throughput)})
	return sc
}

// dedupe drops a comparison without a goal that repeats one with a goal.
func dedupe(cs []Compare) []Compare {
	var out []Compare
	for i, c := range cs {
		dup := false
		for j, d := range cs {
			if j != i && c.Op == "" && d.Metric == c.Metric && d.Peer == c.Peer && d.PeerMetric == c.PeerMetric && (d.Op != "" || j < i) {
				dup = true
			}
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// s1N is the burst length for a payload.
func s1N(cfg Config, p payload) int {
	if p.name == pNested.name {
		return cfg.pick(3_000, 100)
	}
	return cfg.pick(1_000_000, 20_000)
}

func rate(m string, n int, d time.Duration) Sample {
	return Sample{m, "msgs/s", float64(n) / d.Seconds()}
}

func s1Entangle(cfg Config) ([]Sample, error) {
	var out []Sample
	for _, run := range ourRuns {
		for _, p := range s12Payloads {
			v, err := s1Burst(cfg, run.k, p, run.rs)
			if err != nil {
				return nil, fmt.Errorf("S1 %s%s: %w", p.name, run.suffix(), err)
			}
			out = append(out, rate(p.metric(throughput)+run.suffix(), s1N(cfg, p), v))
		}
	}
	return out, nil
}

// s1Burst posts a burst of p from one context to the other and returns the
// time until the last message has been read the way rs says.
func s1Burst(cfg Config, k kind, p payload, rs reading) (time.Duration, error) {
	n := s1N(cfg, p)
	s, r, p1, p2, stop, err := contexts(k)
	if err != nil {
		return 0, err
	}
	defer stop()
	return timeBurst(cfg, s, r, p1, p2, p, n, rs)
}

// reading is how the receiving context reads a burst.
type reading int

const (
	events      reading = iota // *ports.MessageEvent in its Receive, as users mostly do
	dataHandler                // the data itself, in its port's OnData handler
)

// ourRun is a pair of contexts and how the receiving one reads.
type ourRun struct {
	k  kind
	rs reading
}

// ourRuns are what S1 and S2 measure of ours: the users' contexts and the
// plain actors on the pooled dispatcher reading events, and the users'
// contexts again reading with OnData.
var ourRuns = []ourRun{{users, events}, {pooled, events}, {users, dataHandler}}

// suffix names the run in the metrics.
func (r ourRun) suffix() string {
	if r.rs == dataHandler {
		return onData
	}
	return r.k.suffix()
}

// timeBurst times one burst of n messages p posted by s on p1 until r,
// which owns the other end p2, has read them all (S1 and S8).
func timeBurst(cfg Config, s, r *Ctx, p1, p2 *ports.MessagePort, p payload, n int, rs reading) (time.Duration, error) {
	done := make(chan struct{})
	count := 0
	var rerr error
	read := func(_ actor.Context, data any) {
		if err := p.read(data); err != nil && rerr == nil {
			rerr = err
		}
		if count++; count == n {
			close(done)
		}
	}
	if err := readWith(r, p2, rs, read); err != nil {
		return 0, err
	}
	var perr error
	start := time.Now()
	s.Send(func(ctx actor.Context) {
		for i := 0; i < n; i++ {
			if err := p1.PostMessage(ctx, p.make(i)); err != nil {
				perr = err
				return
			}
		}
	})
	if err := wait(done, cfg.timeout(), "not every message arrived"); err != nil {
		if perr != nil {
			return 0, perr
		}
		return 0, err
	}
	d := time.Since(start)
	if perr != nil {
		return 0, perr
	}
	return d, rerr
}

// Baseline: one actor Sends each payload to another, which reads it; on
// each of rawDispatchers. Then, on the contexts' dispatcher, the map
// payload with the receiver copying it by hand before it reads it
// (copiedMap): what one copy of the map costs a protoactor user, the copy
// that the standard's clone must make because the sender may change its
// map after the post.
func s1Protoactor(cfg Config) ([]Sample, error) {
	var out []Sample
	for _, rd := range rawDispatchers {
		for _, p := range s12Payloads {
			v, err := s1RawBurst(cfg, rd, p)
			if err != nil {
				return nil, err
			}
			out = append(out, rate(p.metric(throughput)+rd.suffix, s1N(cfg, p), v))
		}
	}
	v, err := s1RawBurst(cfg, rawOnContexts, copiedMap)
	if err != nil {
		return nil, err
	}
	return append(out, rate(copiedMap.metric(throughput)+rawOnContexts.suffix, s1N(cfg, copiedMap), v)), nil
}

// copiedMap is pMap read by a receiver that first copies the map with
// maps.Clone, as a protoactor user who wants the receiver's map to be its
// own would.
var copiedMap = payload{name: pMap.name + " copied by the receiver (maps.Clone)", js: pMap.js,
	make: pMap.make,
	read: func(v any) error {
		m, ok := v.(map[string]any)
		if !ok {
			return wrong(v)
		}
		return pMap.read(maps.Clone(m))
	}}

// s1RawBurst sends a burst of p from one raw protoactor actor to another
// on rd and returns the time until the receiver has read the last one.
func s1RawBurst(cfg Config, rd rawDispatcher, p payload) (time.Duration, error) {
	sys := NewSystem()
	d, send, recv, err := rawBurst(cfg, sys, rd.opts(), s1N(cfg, p), p.make, p.read, "S1 protoactor")
	StopActors(sys, send, recv)
	return d, err
}

// Baseline: a goroutine sends n ints to another over a buffered channel.
func s1GoChan(cfg Config) ([]Sample, error) {
	n := s1N(cfg, pInt)
	c := make(chan int, 1024)
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			if v := <-c; v != i {
				panic(fmt.Sprintf("S1 gochan: got %d, want %d", v, i))
			}
		}
	}()
	for i := 0; i < n; i++ {
		c <- i
	}
	<-done
	return []Sample{rate(pInt.metric(throughput), n, time.Since(start))}, nil
}
