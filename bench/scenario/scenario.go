// Package scenario holds the comparison scenarios of entangle (S1-S7) and
// the helpers they share: each scenario measured for entangle (ports
// between two contexts), for its baselines (raw protoactor actors, plain Go:
// channels and hand-written code, under the system name "gochan") and for
// Node.js (the scripts of bench/node), one measurement per call, so that a
// runner (bench/compare) can interleave systems and repeat rounds.
//
// Only the exported API of the ports and messages packages is used, the
// way an application would use it.
package scenario

import (
	"fmt"
	"time"
)

// The systems a scenario is measured on.
const (
	Entangle   = "entangle"
	Protoactor = "protoactor"
	GoChan     = "gochan"
	Node       = "node"
)

// Sample is one measured value of one run.
type Sample struct {
	Metric string
	Unit   string
	Value  float64
}

// Config says how big a run is and where Node.js is.
type Config struct {
	// Quick runs every scenario with far fewer messages (seconds in all).
	Quick bool
	// NodePath is the node binary; "" skips the Node.js runs.
	NodePath string
	// NodeDir is the directory holding the scripts of bench/node.
	NodeDir string
	// Timeout bounds every wait of one run (default one minute).
	Timeout time.Duration
}

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return time.Minute
	}
	return c.Timeout
}

// pick returns quick in quick mode, else full.
func (c Config) pick(full, quick int) int {
	if c.Quick {
		return quick
	}
	return full
}

// Run measures one system once.
type Run func(cfg Config) ([]Sample, error)

// System is one system measured in a scenario.
type System struct {
	Name string
	Run  Run
}

// Compare names a ratio to report: entangle's Metric divided by Peer's
// PeerMetric (both medians over the rounds).
type Compare struct {
	Metric     string
	Peer       string
	PeerMetric string
}

// Target is a goal for one value: the ratio of a Compare (Peer set) or
// entangle's own value of Metric (Peer empty), held against Bound by Op
// ("<=", "<", ">=" or ">").
type Target struct {
	Text   string
	Metric string
	Peer   string
	Op     string
	Bound  float64
}

// Met reports whether v meets the target.
func (t Target) Met(v float64) bool {
	switch t.Op {
	case "<=":
		return v <= t.Bound
	case "<":
		return v < t.Bound
	case ">=":
		return v >= t.Bound
	case ">":
		return v > t.Bound
	}
	panic(fmt.Sprintf("scenario: unknown target operator %q", t.Op))
}

// Scenario is one comparison: what is measured on which systems, which
// ratios matter and what the goals are. NotYet, when set, says why the
// scenario is not measured yet.
type Scenario struct {
	ID      string
	Title   string
	Systems []System
	Compare []Compare
	Targets []Target
	NotYet  string
	// Higher lists the metrics for which a higher value is better
	// (throughputs, speed-up factors); lower is better for the others.
	Higher []string
}

// HigherIsBetter reports whether a higher value of metric is better.
func (s *Scenario) HigherIsBetter(metric string) bool {
	for _, m := range s.Higher {
		if m == metric {
			return true
		}
	}
	return false
}

// All returns the scenarios S1-S7 in order.
func All() []*Scenario {
	return []*Scenario{s1(), s2(), s3(), s4(), s5(), s6(), s7()}
}
