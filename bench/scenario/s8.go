package scenario

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// KiB is the 1 KiB struct payload of S8: a slice and a string.
type KiB struct {
	Values []int64 // 96 values: 768 bytes
	Text   string  // 256 bytes
}

var (
	kibText = strings.Repeat("x", 256)
	// kib64 is posted again and again: the clone copies it (raw
	// protoactor's sender copies it by hand).
	kib64 = bytes.Repeat([]byte{1}, 64<<10)
)

var (
	pKiB = payload{name: "1 KiB struct",
		make: func(i int) any {
			v := make([]int64, 96)
			v[0] = int64(i)
			return &KiB{Values: v, Text: kibText}
		},
		read: func(v any) error {
			if k, ok := v.(*KiB); !ok || len(k.Values) != 96 || len(k.Text) != 256 {
				return wrong(v)
			}
			return nil
		}}
	pBytes = payload{name: "64 KiB []byte",
		make: func(int) any { return kib64 },
		read: func(v any) error {
			if b, ok := v.([]byte); !ok || len(b) != 64<<10 {
				return wrong(v)
			}
			return nil
		}}
)

// S8's idle counts: entangle's open idle channels, and raw protoactor's
// idle actors (twice as many: a channel is two ports).
func s8Idle(cfg Config) (channels, idleActors []int) {
	if cfg.Quick {
		return []int{1, 100, 1_000}, []int{1, 200, 2_000}
	}
	return []int{1, 1_000, 100_000}, []int{1, 2_000, 200_000}
}

// S8Idle is the label of a throughput with n idle channels or actors.
func S8Idle(n int, what string) string {
	return fmt.Sprintf("%s, %d idle %s", pStruct.metric(throughput), n, what)
}

// S8Collections is the label of the garbage collections that ended
// during a burst with n idle channels or actors (the mean over the bursts
// timed): with many idle ones the heap is large, each collection marks all
// of it, and a burst that allocates less than the heap's headroom meets no
// collection at all.
func S8Collections(n int, what string) string {
	return fmt.Sprintf("collections per burst, %d idle %s", n, what)
}

// S8Drop is the label of the drop in throughput (in %) from the fewest idle
// channels or actors to the most (1 to 100,000 channels and 1 to 200,000
// actors; 1 to 1,000 and 1 to 2,000 with -quick).
func S8Drop(what string) string { return "throughput drop, 1 to the most idle " + what }

// S8Payloads are S8's payloads, by size.
var S8Payloads = []string{pStruct.name, pKiB.name, pBytes.name}

// s8: scaling: throughput as the payload grows and as the process holds
// more idle channels (idle actors for protoactor).
func s8() *Scenario {
	return &Scenario{
		ID:    "S8",
		Title: "scaling: burst throughput between two contexts as the payload grows, and with more open idle channels in the process (raw protoactor: idle actors)",
		Systems: []System{
			{Entangle, s8Entangle},
			{Protoactor, s8Protoactor},
		},
		Compare: []Compare{
			{Metric: pStruct.metric(throughput), Peer: Protoactor, PeerMetric: pStruct.metric(throughput)},
			{Metric: pKiB.metric(throughput), Peer: Protoactor, PeerMetric: pKiB.metric(throughput)},
			{Metric: pBytes.metric(throughput), Peer: Protoactor, PeerMetric: pBytes.metric(throughput)},
			{Metric: S8Drop("channels"), Peer: Protoactor, PeerMetric: S8Drop("actors"), Diff: true,
				Goal: Goal{Text: "drop no more than raw protoactor's + 5 points", Op: "<=", Bound: 5}},
			{Metric: S8Drop("channels") + onData, Peer: Protoactor, PeerMetric: S8Drop("actors"), Diff: true,
				Goal: Goal{Text: "drop no more than raw protoactor's + 5 points", Op: "<=", Bound: 5}},
		},
	}
}

func s8N(cfg Config, p payload) int {
	switch p.name {
	case pBytes.name:
		return cfg.pick(20_000, 500)
	case pKiB.name:
		return cfg.pick(200_000, 5_000)
	}
	return cfg.pick(1_000_000, 20_000)
}

func s8Entangle(cfg Config) ([]Sample, error) {
	var out []Sample
	for _, p := range []payload{pStruct, pKiB, pBytes} {
		d, n, _, err := s8Burst(cfg, p, 0, events)
		if err != nil {
			return nil, fmt.Errorf("S8 %s: %w", p.name, err)
		}
		out = append(out, rate(p.metric(throughput), n, d))
	}
	// The idle channels' effect, read as events and with OnData (no event
	// per message: what is left is the copy).
	chs, _ := s8Idle(cfg)
	for _, rs := range []reading{events, dataHandler} {
		suffix := ""
		if rs == dataHandler {
			suffix = onData
		}
		var first, last float64
		for i, k := range chs {
			d, n, gcs, err := s8Burst(cfg, pStruct, k, rs)
			if err != nil {
				return nil, fmt.Errorf("S8 %d idle channels%s: %w", k, suffix, err)
			}
			s := rate(S8Idle(k, "channels")+suffix, n, d)
			out = append(out, s)
			if i == 0 || i == len(chs)-1 {
				out = append(out, Sample{S8Collections(k, "channels") + suffix, "count", gcs})
			}
			if i == 0 {
				first = s.Value
			}
			last = s.Value
		}
		out = append(out, Sample{S8Drop("channels") + suffix, "%", 100 * (1 - last/first)})
	}
	return out, nil
}

// s8Burst is S1's burst between the users' contexts with idle channels
// open in a third context of the same system, read as rs says. It returns
// the median burst, its size, and the collections per burst.
func s8Burst(cfg Config, p payload, idle int, rs reading) (_ time.Duration, _ int, gcs float64, _ error) {
	n := s8N(cfg, p)
	s, r, p1, p2, stop, err := contexts(users)
	if err != nil {
		return 0, 0, 0, err
	}
	defer stop()
	if idle > 0 {
		holder := SpawnCtx(s.sys, nil)
		defer func() { _ = s.sys.Root.PoisonFuture(holder.PID).Wait() }()
		var held []*ports.MessageChannel
		for made := 0; made < idle; {
			batch := min(1_000, idle-made)
			var perr error
			if err := holder.Do(func(ctx actor.Context) {
				for range batch {
					ch, err := ports.NewMessageChannel(ctx)
					if err != nil {
						perr = err
						return
					}
					held = append(held, ch)
				}
			}); err != nil {
				return 0, 0, 0, err
			}
			if perr != nil {
				return 0, 0, 0, perr
			}
			made += batch
		}
	}
	settleHeap()
	var ds []time.Duration
	before := collections()
	for range s8Reps(cfg) {
		d, err := timeBurst(cfg, s, r, p1, p2, p, n, rs)
		if err != nil {
			return 0, 0, 0, err
		}
		ds = append(ds, d)
	}
	return percentile50(ds), n, float64(collections()-before) / float64(len(ds)), nil
}

// collections is how many garbage collections have ended in the process.
func collections() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}

// settleHeap collects once after a setup, before its bursts are timed:
// making 100,000 idle channels or 200,000 idle actors allocates some
// 200 MB, and the collection that allocation starts would otherwise still
// be marking during the first bursts, a cost of the setup, not of the
// traffic. The bursts then run back to back, so the collections their own
// allocation causes (the cost S8 measures) fall inside them.
//
// It collects twice: what the setup before this one left in a sync.Pool
// (the ports' queue segments of its last bursts, tens of MB after a burst
// between contexts with 100,000 idle channels) survives one collection in
// the pool's victim cache. Counted as live, it set the heap's next goal so
// high that the next setup's bursts (1 idle channel, read with OnData)
// met no collection at all, where on their own they meet three or four.
func settleHeap() {
	runtime.GC()
	runtime.GC()
}

// s8Reps is how many bursts are timed in one setup, of which S8 takes
// the median: five (one with -quick). A single burst of a fast system can
// hit a slow scheduling mode, pay for warming up, or meet a collection
// that the next burst does not, which would make a drop out of noise: with
// three, either system's drop swung by 30 points from round to round on
// this project's machine, more than the target's margin.
func s8Reps(cfg Config) int { return cfg.pick(5, 1) }

// Baseline: raw protoactor Send of the same payloads (the []byte copied by
// hand before each Send, as a user who shares nothing would), and of the
// small struct with idle actors alive (children of one parent); the
// sender and receiver on the users' contexts' dispatcher, as ours run
// between a window and its worker.
func s8Protoactor(cfg Config) ([]Sample, error) {
	var out []Sample
	for _, p := range []payload{pStruct, pKiB, pBytes} {
		d, n, _, err := s8Raw(cfg, p, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, rate(p.metric(throughput), n, d))
	}
	_, acts := s8Idle(cfg)
	var first, last float64
	for i, k := range acts {
		d, n, gcs, err := s8Raw(cfg, pStruct, k)
		if err != nil {
			return nil, err
		}
		s := rate(S8Idle(k, "actors"), n, d)
		out = append(out, s)
		if i == 0 || i == len(acts)-1 {
			out = append(out, Sample{S8Collections(k, "actors"), "count", gcs})
		}
		if i == 0 {
			first = s.Value
		}
		last = s.Value
	}
	return append(out, Sample{S8Drop("actors"), "%", 100 * (1 - last/first)}), nil
}

// s8Raw is s8Burst for raw protoactor: bursts of p between two new actors
// with idle actors alive in the same system; it returns the median burst,
// its size, and the collections per burst.
func s8Raw(cfg Config, p payload, idle int) (_ time.Duration, _ int, gcs float64, _ error) {
	n := s8N(cfg, p)
	sys := NewSystem()
	var pids []*actor.PID
	defer func() { StopActors(sys, pids...) }()
	if idle > 0 {
		child := actor.PropsFromFunc(func(actor.Context) {})
		parent := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
			if f, ok := ctx.Message().(run); ok {
				f(ctx)
			}
		}))
		pids = append(pids, parent)
		spawned := make(chan struct{})
		sys.Root.Send(parent, run(func(ctx actor.Context) {
			for range idle {
				ctx.Spawn(child)
			}
			close(spawned)
		}))
		if err := wait(spawned, cfg.timeout(), "S8 protoactor: the idle actors were not spawned"); err != nil {
			return 0, 0, 0, err
		}
	}
	settleHeap()
	var ds []time.Duration
	before := collections()
	for range s8Reps(cfg) {
		d, err := s8RawOnce(cfg, sys, p, n, &pids)
		if err != nil {
			return 0, 0, 0, err
		}
		ds = append(ds, d)
	}
	return percentile50(ds), n, float64(collections()-before) / float64(len(ds)), nil
}

// s8RawOnce times one burst of n messages p between two new raw actors
// (added to pids, for the caller to stop). A []byte payload is copied by
// hand before each Send (see s8Protoactor).
func s8RawOnce(cfg Config, sys *actor.ActorSystem, p payload, n int, pids *[]*actor.PID) (time.Duration, error) {
	mk := func(i int) any {
		m := p.make(i)
		if b, ok := m.([]byte); ok {
			m = bytes.Clone(b)
		}
		return m
	}
	d, send, recv, err := rawBurst(cfg, sys, rawOnContexts.opts(), n, mk, p.read, "S8 protoactor")
	*pids = append(*pids, send, recv)
	return d, err
}
