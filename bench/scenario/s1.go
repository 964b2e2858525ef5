package scenario

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

const throughput = "throughput"

// s1: small-message throughput over one channel between two contexts.
func s1() *Scenario {
	return &Scenario{
		ID:    "S1",
		Title: "small-message throughput, one channel between two contexts (burst, counted at the receiver)",
		Systems: []System{
			{Entangle, s1Entangle},
			{Protoactor, s1Protoactor},
			{GoChan, s1GoChan},
			{Node, nodeScript("s1.mjs")},
		},
		Compare: []Compare{
			{throughput, Node, throughput},
			{throughput, Protoactor, throughput},
			{throughput, GoChan, throughput},
		},
		Targets: []Target{
			{Text: ">= 5x Node same-thread throughput", Metric: throughput, Peer: Node, Op: ">=", Bound: 5},
			{Text: ">= 0.2x raw protoactor Send", Metric: throughput, Peer: Protoactor, Op: ">=", Bound: 0.2},
		},
		Higher: []string{throughput},
	}
}

func s1N(cfg Config) int { return cfg.pick(1_000_000, 20_000) }

func rate(n int, d time.Duration) []Sample {
	return []Sample{{throughput, "msgs/s", float64(n) / d.Seconds()}}
}

func s1Entangle(cfg Config) ([]Sample, error) {
	n := s1N(cfg)
	sys, s, r, p1, _, err := pair()
	if err != nil {
		return nil, err
	}
	defer Teardown(sys, s, r)
	done := make(chan struct{})
	count := 0
	if err := r.On(func(ctx actor.Context, msg any) {
		if _, ok := msg.(*ports.MessageEvent); ok {
			if count++; count == n {
				close(done)
			}
		}
	}); err != nil {
		return nil, err
	}
	var perr error
	start := time.Now()
	s.Send(func(ctx actor.Context) {
		for i := 0; i < n; i++ {
			if err := p1.PostMessage(ctx, i); err != nil {
				perr = err
				return
			}
		}
	})
	if err := wait(done, cfg.timeout(), "S1: not every message arrived"); err != nil {
		return nil, err
	}
	d := time.Since(start)
	if perr != nil {
		return nil, perr
	}
	return rate(n, d), nil
}

// Baseline: one actor Sends n ints to another, which counts.
func s1Protoactor(cfg Config) ([]Sample, error) {
	n := s1N(cfg)
	sys := NewSystem()
	done := make(chan struct{})
	count := 0
	recv := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(int); ok {
			if count++; count == n {
				close(done)
			}
		}
	}))
	send := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if f, ok := ctx.Message().(run); ok {
			f(ctx)
		}
	}))
	defer StopActors(sys, send, recv)
	start := time.Now()
	sys.Root.Send(send, run(func(ctx actor.Context) {
		for i := 0; i < n; i++ {
			ctx.Send(recv, i)
		}
	}))
	if err := wait(done, cfg.timeout(), "S1 protoactor: not every message arrived"); err != nil {
		return nil, err
	}
	return rate(n, time.Since(start)), nil
}

// Baseline: a goroutine sends n ints to another over a buffered channel.
func s1GoChan(cfg Config) ([]Sample, error) {
	n := s1N(cfg)
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
	return rate(n, time.Since(start)), nil
}
