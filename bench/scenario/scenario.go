package scenario

import (
	"fmt"
	"strings"
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

// Goal is a bound on a value: Op ("<=", "<", ">=" or ">") against
// Bound, described by Text. The zero Goal (no Op) is no goal.
type Goal struct {
	Text  string
	Op    string
	Bound float64
}

// Met reports whether v meets the goal.
func (g Goal) Met(v float64) bool {
	switch g.Op {
	case "<=":
		return v <= g.Bound
	case "<":
		return v < g.Bound
	case ">=":
		return v >= g.Bound
	case ">":
		return v > g.Bound
	}
	panic(fmt.Sprintf("scenario: unknown goal operator %q", g.Op))
}

// Compare is one comparison: entangle's Metric against Peer's PeerMetric
// (both medians over the rounds), as the ratio entangle/peer, or with Diff
// as the difference entangle - peer (for percentages: points). Goal, when
// set, is the project's target on that value.
type Compare struct {
	Metric     string
	Peer       string
	PeerMetric string
	Diff       bool
	Goal
}

// Target is a goal on one of entangle's own values (not a comparison).
type Target struct {
	Metric string
	Goal
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
	// CrossThread scenarios are measured twice per round by the runner:
	// on the quiet machine, and with one low-priority busy loop per core
	// (the metrics of that run carry the suffix Busy).
	CrossThread bool
	// Higher lists the metrics for which a higher value is better
	// (throughputs, speed-up factors); lower is better for the others.
	Higher []string
}

// HigherIsBetter reports whether a higher value of metric is better.
// Throughputs are, whatever their payload or machine.
func (s *Scenario) HigherIsBetter(metric string) bool {
	metric = strings.TrimSuffix(metric, Busy)
	if strings.HasPrefix(metric, throughput) {
		return true
	}
	for _, m := range s.Higher {
		if m == metric {
			return true
		}
	}
	return false
}

// Busy is the suffix of the metrics measured while the machine is busy.
const Busy = " [busy]"

// All returns the scenarios S1-S9 in order.
func All() []*Scenario {
	return []*Scenario{s1(), s2(), s3(), s4(), s5(), s6(), s7(), s8(), s9()}
}
