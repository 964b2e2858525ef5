package scenario

import (
	"errors"
	"fmt"
	"time"

	"github.com/entangle-go/entangle/messages"
)

const (
	s5Path    = "nested object posted on a channel and read, per message"
	s5Map     = "clone nested object"
	s5Structs = "clone nested object, Go struct form"
	s5Copy    = "hand-written deep copy"
	s5CopyS   = "hand-written deep copy, Go struct form"
)

// s5: the 100-key nested object: posted on a channel and read by the other
// context (the message path), and cloned alone.
func s5() *Scenario {
	return &Scenario{
		ID:    "S5",
		Title: "the 100-key nested object: posted over a channel and read at the other end (mean per message in a burst), and cloned alone (mean per clone)",
		Systems: []System{
			{Entangle, s5Entangle},
			{GoChan, s5Go},
			{Node, nodeScript("s5.mjs")},
		},
		Compare: []Compare{
			{Metric: s5Path, Peer: Node, PeerMetric: s5Path,
				Goal: Goal{Text: "message path <= 0.6x Node's (MessageChannel, same thread)", Op: "<=", Bound: 0.6}},
			{Metric: s5Map, Peer: GoChan, PeerMetric: s5Copy,
				Goal: Goal{Text: "StructuredClone <= 1.25x a hand-written deep copy", Op: "<=", Bound: 1.25}},
			{Metric: s5Map, Peer: Node, PeerMetric: s5Map},
			{Metric: s5Structs, Peer: GoChan, PeerMetric: s5CopyS,
				Goal: Goal{Text: "Go struct form <= 1.5x a hand-written deep copy", Op: "<=", Bound: 1.5}},
		},
	}
}

// s5Sizes gives the clones timed per measurement: the Go struct form is
// about four times as fast as the map form, so it is timed four times as
// often, and each measurement lasts long enough (some 0.4 s) that one slow
// moment of the machine moves it little.
func s5Sizes(cfg Config) (warm, n, nStructs int) {
	return cfg.pick(200, 20), cfg.pick(2_000, 100), cfg.pick(8_000, 100)
}

// timeEach returns the mean time of f in µs over n calls after warm calls.
func timeEach(warm, n int, f func() error) (float64, error) {
	var start time.Time
	for i := 0; i < warm+n; i++ {
		if i == warm {
			start = time.Now()
		}
		if err := f(); err != nil {
			return 0, err
		}
	}
	return us(time.Since(start)) / float64(n), nil
}

func s5Entangle(cfg Config) ([]Sample, error) {
	warm, n, ns := s5Sizes(cfg)
	// The message path: a burst between the users' contexts, as S1.
	d, err := s1Burst(Config{Quick: cfg.Quick, Timeout: cfg.Timeout}, users, pNested, events)
	if err != nil {
		return nil, fmt.Errorf("S5 message path: %w", err)
	}
	path := us(d) / float64(s1N(cfg, pNested))
	m := Nested()
	tm, err := timeEach(warm, n, func() error {
		out, err := messages.StructuredClone(m)
		if err == nil && len(out.(map[string]any)) != 100 {
			err = errors.New("S5: bad clone")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	st := NestedStructs()
	ts, err := timeEach(warm, ns, func() error {
		out, err := messages.StructuredClone(st)
		if err == nil && len(out.(map[string]*Item)) != 100 {
			err = errors.New("S5: bad clone")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return []Sample{{s5Path, "µs", path}, {s5Map, "µs", tm}, {s5Structs, "µs", ts}}, nil
}

// Baseline: hand-written Go deep copies of both forms.
func s5Go(cfg Config) ([]Sample, error) {
	warm, n, ns := s5Sizes(cfg)
	m := Nested()
	tm, err := timeEach(warm, n, func() error {
		if len(DeepCopy(m).(map[string]any)) != 100 {
			return errors.New("S5: bad copy")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st := NestedStructs()
	ts, err := timeEach(warm, ns, func() error {
		if len(DeepCopyStructs(st)) != 100 {
			return errors.New("S5: bad copy")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []Sample{{s5Copy, "µs", tm}, {s5CopyS, "µs", ts}}, nil
}
