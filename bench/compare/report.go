package main

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"sort"

	"github.com/entangle-go/entangle/bench/scenario"
)

// Result is one measured series (a scenario, system and metric) and one
// object of the JSON file.
type Result struct {
	Scenario string    `json:"scenario"`
	System   string    `json:"system"`
	Metric   string    `json:"metric"`
	Unit     string    `json:"unit"`
	Median   float64   `json:"median"`
	Min      float64   `json:"min"`
	Max      float64   `json:"max"`
	Rounds   []float64 `json:"rounds"`
	Better   string    `json:"better"`
	// Peer rows: the median of the same row in the baseline file, and
	// whether this run strayed from it by more than strayFactor.
	Baseline *jsonNumber `json:"baseline,omitempty"`
	Strayed  bool        `json:"strayed,omitempty"`
	// Entangle rows: the comparisons with peers, and the goals on the
	// row's own value.
	Comparisons []Comparison `json:"comparisons,omitempty"`
	Targets     []Comparison `json:"targets,omitempty"`
}

// Comparison is entangle's median against a peer's (a ratio, or a
// difference in points), or entangle's own value against a goal.
type Comparison struct {
	Peer       string     `json:"peer,omitempty"`
	PeerMetric string     `json:"peer_metric,omitempty"`
	Kind       string     `json:"kind"` // ratio, difference or value
	Value      jsonNumber `json:"value"`
	Target     string     `json:"target,omitempty"`
	Op         string     `json:"op,omitempty"`
	Bound      float64    `json:"bound,omitempty"`
	// Status is met, missed, n/a (not measured), "not quoted" (the
	// peer's figure strayed from the baseline), or "" without a target.
	Status string `json:"status,omitempty"`
}

// Statuses.
const (
	met       = "met"
	missed    = "missed"
	na        = "n/a"
	notQuoted = "not quoted"
)

// aggregate turns the series into rows (per scenario, in the order of its
// systems, then of the metrics' first appearance), checks the peers
// against base, and puts the comparisons and targets on entangle's rows.
func aggregate(scs []*scenario.Scenario, ser map[key]*series, base map[key]float64) []*Result {
	var out []*Result
	for _, sc := range scs {
		if sc.NotYet != "" {
			continue
		}
		var rows []*Result
		for _, sys := range sc.Systems {
			var keys []key
			for k := range ser {
				if k.scenario == sc.ID && k.system == sys.Name {
					keys = append(keys, k)
				}
			}
			sort.Slice(keys, func(i, j int) bool { return ser[keys[i]].seq < ser[keys[j]].seq })
			for _, k := range keys {
				s := ser[k]
				r := &Result{Scenario: sc.ID, System: sys.Name, Metric: k.metric, Unit: s.unit, Rounds: s.values, Better: "lower"}
				r.Median, r.Min, r.Max = stats(s.values)
				if sc.HigherIsBetter(k.metric) {
					r.Better = "higher"
				}
				rows = append(rows, r)
			}
		}
		checkBaseline(rows, base)
		find := func(system, metric string) *Result {
			for _, r := range rows {
				if r.System == system && r.Metric == metric {
					return r
				}
			}
			return nil
		}
		for _, c := range sc.Compare {
			ours := find(scenario.Entangle, c.Metric)
			peer := find(c.Peer, c.PeerMetric)
			cmp := Comparison{Peer: c.Peer, PeerMetric: c.PeerMetric, Kind: "ratio", Value: jsonNumber(math.NaN()),
				Target: c.Text, Op: c.Op, Bound: c.Bound}
			if c.Diff {
				cmp.Kind = "difference"
			}
			if ours != nil && peer != nil {
				if c.Diff {
					cmp.Value = jsonNumber(ours.Median - peer.Median)
				} else {
					cmp.Value = jsonNumber(ours.Median / peer.Median)
				}
			}
			cmp.Status = status(c.Goal, float64(cmp.Value), peer != nil && peer.Strayed)
			if ours == nil {
				// Not measured (no node, or a scenario that failed): the
				// goal still shows, on a row of its own.
				if c.Op == "" {
					continue
				}
				ours = &Result{Scenario: sc.ID, System: scenario.Entangle, Metric: c.Metric, Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
				rows = append(rows, ours)
			}
			ours.Comparisons = append(ours.Comparisons, cmp)
		}
		for _, t := range sc.Targets {
			ours := find(scenario.Entangle, t.Metric)
			if ours == nil {
				ours = &Result{Scenario: sc.ID, System: scenario.Entangle, Metric: t.Metric, Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
				rows = append(rows, ours)
			}
			ours.Targets = append(ours.Targets, Comparison{Kind: "value", Value: jsonNumber(ours.Median),
				Target: t.Text, Op: t.Op, Bound: t.Bound, Status: status(t.Goal, ours.Median, false)})
		}
		out = append(out, rows...)
	}
	return out
}

// status says how v did against g.
func status(g scenario.Goal, v float64, strayed bool) string {
	switch {
	case g.Op == "":
		return ""
	case math.IsNaN(v) || math.IsInf(v, 0):
		return na
	case strayed:
		return notQuoted
	case g.Met(v):
		return met
	}
	return missed
}

// stats returns the median, min and max of xs.
func stats(xs []float64) (median, lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	median = s[n/2]
	if n%2 == 0 {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	return median, s[0], s[n-1]
}

// jsonNumber keeps NaN out of the JSON file (as null).
type jsonNumber float64

func (f jsonNumber) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

func writeJSON(path string, results []*Result) error {
	// Rows of goals never measured have NaN statistics: write them as null.
	type row struct {
		*Result
		Median jsonNumber `json:"median"`
		Min    jsonNumber `json:"min"`
		Max    jsonNumber `json:"max"`
	}
	rows := make([]row, len(results))
	for i, r := range results {
		rows[i] = row{r, jsonNumber(r.Median), jsonNumber(r.Min), jsonNumber(r.Max)}
	}
	b, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
