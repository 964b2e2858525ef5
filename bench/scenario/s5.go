package scenario

import (
	"errors"
	"time"

	"github.com/entangle-go/entangle/messages"
)

const (
	s5Map     = "clone nested object"
	s5Structs = "clone nested object, Go struct form"
)

// s5: structured clone of the 100-key nested object.
func s5() *Scenario {
	return &Scenario{
		ID:    "S5",
		Title: "clone of the 100-key nested object (mean per clone)",
		Systems: []System{
			{Entangle, s5Entangle},
			{GoChan, s5Go},
			{Node, nodeScript("s5.mjs")},
		},
		Compare: []Compare{
			{s5Map, Node, s5Map},
			{s5Map, GoChan, "hand-written deep copy"},
			{s5Structs, GoChan, "hand-written deep copy, Go struct form"},
		},
		Targets: []Target{
			{Text: "no slower than Node structuredClone", Metric: s5Map, Peer: Node, Op: "<=", Bound: 1},
		},
	}
}

func s5Sizes(cfg Config) (warm, n int) { return cfg.pick(200, 20), cfg.pick(2_000, 100) }

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
	warm, n := s5Sizes(cfg)
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
	ts, err := timeEach(warm, n, func() error {
		out, err := messages.StructuredClone(st)
		if err == nil && len(out.(map[string]*Item)) != 100 {
			err = errors.New("S5: bad clone")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return []Sample{{s5Map, "µs", tm}, {s5Structs, "µs", ts}}, nil
}

// Baseline: hand-written Go deep copies of both forms.
func s5Go(cfg Config) ([]Sample, error) {
	warm, n := s5Sizes(cfg)
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
	ts, err := timeEach(warm, n, func() error {
		if len(DeepCopyStructs(st)) != 100 {
			return errors.New("S5: bad copy")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []Sample{{"hand-written deep copy", "µs", tm}, {"hand-written deep copy, Go struct form", "µs", ts}}, nil
}
