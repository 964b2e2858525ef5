package scenario

import (
	"runtime"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

const (
	s6Heap       = "heap per open channel"
	s6Goroutines = "goroutines per open channel"
	s6Pair       = "heap per actor pair"
)

// s6: memory per open channel.
func s6() *Scenario {
	return &Scenario{
		ID:    "S6",
		Title: "memory per open channel: 1,000 contexts each holding 100 idle channels (heap after GC, difference)",
		Systems: []System{
			{Entangle, s6Entangle},
			{Protoactor, s6Protoactor},
			{Node, nodeScript("s6.mjs")},
		},
		Compare: []Compare{
			{Metric: s6Heap, Peer: Protoactor, PeerMetric: s6Pair,
				Goal: Goal{Text: "memory per open idle channel <= 1.2x a raw actor pair", Op: "<=", Bound: 1.2}},
			{Metric: s6Heap, Peer: Node, PeerMetric: "rss per open channel"},
		},
		Targets: []Target{
			{Metric: s6Goroutines, Goal: Goal{Text: "no goroutine per idle port (< 0.01 per channel)", Op: "<", Bound: 0.01}},
		},
	}
}

// heap returns the live heap bytes and the goroutine count after GC.
func heap() (uint64, int) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, runtime.NumGoroutine()
}

func s6Entangle(cfg Config) ([]Sample, error) {
	nctx, per := cfg.pick(1_000, 20), cfg.pick(100, 10)
	sys := NewSystem()
	d := ports.NewDispatcher(300, 0)
	cs := make([]*Ctx, nctx)
	for i := range cs {
		cs[i] = SpawnCtx(sys, d)
	}
	defer Teardown(sys, cs...)
	// Each context runs a function once so that it is fully started, then
	// the pooled goroutines are left to go idle and exit.
	if err := doAll(cs, func(int, actor.Context) error { return nil }); err != nil {
		return nil, err
	}
	time.Sleep(150 * time.Millisecond)
	h0, g0 := heap()
	held := make([][]*ports.MessageChannel, nctx)
	if err := doAll(cs, func(i int, ctx actor.Context) error {
		chs := make([]*ports.MessageChannel, per)
		for j := range chs {
			ch, err := ports.NewMessageChannel(ctx)
			if err != nil {
				return err
			}
			chs[j] = ch
		}
		held[i] = chs
		return nil
	}); err != nil {
		return nil, err
	}
	time.Sleep(150 * time.Millisecond)
	h1, g1 := heap()
	n := float64(nctx * per)
	runtime.KeepAlive(held)
	return []Sample{
		{s6Heap, "B", (float64(h1) - float64(h0)) / n},
		{s6Goroutines, "", float64(g1-g0) / n},
	}, nil
}

// doAll runs f on every context (with its index), all at once, and waits
// for them.
func doAll(cs []*Ctx, f func(i int, ctx actor.Context) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	wg.Add(len(cs))
	for i, c := range cs {
		c.Send(func(ctx actor.Context) {
			defer wg.Done()
			if err := f(i, ctx); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	if err := wait(done, time.Minute, "S6: the contexts did not finish"); err != nil {
		return err
	}
	return first
}

// warmGoroutines runs n goroutines at once and lets them end. The Go
// runtime keeps the descriptor of every goroutine it ever ran at once
// (about 280 bytes each) for reuse, and never frees it: a process that has
// not yet had that many would count, in the heap after a burst of spawns
// on protoactor's default dispatcher (a goroutine per mailbox run), the
// descriptors of the burst, which stay whether or not the actors do. Each
// run has a fresh process (bench/compare), so the baseline raises the
// count first, as a process that has run anything that big already has.
func warmGoroutines(n int) {
	var wg sync.WaitGroup
	release := make(chan struct{})
	wg.Add(n)
	for range n {
		go func() {
			defer wg.Done()
			<-release
		}()
	}
	close(release)
	wg.Wait()
}

// Baseline: 1,000 parents spawn 200 idle children each.
func s6Protoactor(cfg Config) ([]Sample, error) {
	nparents, per := cfg.pick(1_000, 20), cfg.pick(200, 20)
	sys := NewSystem()
	var wg sync.WaitGroup
	child := actor.PropsFromFunc(func(actor.Context) {})
	parentProps := actor.PropsFromFunc(func(ctx actor.Context) {
		if f, ok := ctx.Message().(run); ok {
			f(ctx)
		}
	})
	parents := make([]*actor.PID, nparents)
	for i := range parents {
		parents[i] = sys.Root.Spawn(parentProps)
	}
	defer StopActors(sys, parents...)
	warmGoroutines(nparents * per)
	time.Sleep(50 * time.Millisecond)
	h0, g0 := heap()
	wg.Add(nparents)
	for _, p := range parents {
		sys.Root.Send(p, run(func(ctx actor.Context) {
			defer wg.Done()
			for range per {
				ctx.Spawn(child)
			}
		}))
	}
	wg.Wait()
	time.Sleep(50 * time.Millisecond)
	h1, g1 := heap()
	n := float64(nparents * per)
	perActor := (float64(h1) - float64(h0)) / n
	return []Sample{
		{"heap per idle actor", "B", perActor},
		{s6Pair, "B", 2 * perActor},
		{"goroutines per idle actor", "", float64(g1-g0) / n},
	}, nil
}
