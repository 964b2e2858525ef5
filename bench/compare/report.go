package main

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"sort"

	"github.com/entangle-go/entangle/bench/scenario"
)

// Result is one row of the table and one object of the JSON file.
type Result struct {
	Scenario     string             `json:"scenario"`
	System       string             `json:"system"`
	Metric       string             `json:"metric"`
	Unit         string             `json:"unit"`
	Median       float64            `json:"median"`
	Min          float64            `json:"min"`
	Max          float64            `json:"max"`
	Rounds       []float64          `json:"rounds"`
	Better       string             `json:"better"`
	Ratios       map[string]float64 `json:"ratios,omitempty"`
	RatioMetrics map[string]string  `json:"ratio_metrics,omitempty"`
	Targets      []TargetResult     `json:"targets,omitempty"`
}

// TargetResult is a goal and how the run did against it.
type TargetResult struct {
	Text   string  `json:"text"`
	Peer   string  `json:"peer,omitempty"`
	Op     string  `json:"op"`
	Bound  float64 `json:"bound"`
	Value  float64 `json:"value"`
	Status string  `json:"status"` // met, missed or n/a
}

// aggregate turns the series into rows: per scenario, in the order of its
// systems, then of the metrics' first appearance; entangle rows carry the
// ratios and the targets.
func aggregate(scs []*scenario.Scenario, ser map[key]*series) []*Result {
	var out []*Result
	for _, sc := range scs {
		if sc.NotYet != "" {
			continue
		}
		find := func(system, metric string) *series { return ser[key{sc.ID, system, metric}] }
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
				if sys.Name == scenario.Entangle {
					for _, c := range sc.Compare {
						if c.Metric != k.metric {
							continue
						}
						if p := find(c.Peer, c.PeerMetric); p != nil {
							pm, _, _ := stats(p.values)
							if r.Ratios == nil {
								r.Ratios, r.RatioMetrics = map[string]float64{}, map[string]string{}
							}
							r.Ratios[c.Peer] = r.Median / pm
							r.RatioMetrics[c.Peer] = c.PeerMetric
						}
					}
				}
				out = append(out, r)
			}
		}
		// Targets, on the entangle row of their metric (n/a rows are added
		// when the metric was not measured at all).
		for _, t := range sc.Targets {
			var row *Result
			for _, r := range out {
				if r.Scenario == sc.ID && r.System == scenario.Entangle && r.Metric == t.Metric {
					row = r
				}
			}
			tr := TargetResult{Text: t.Text, Peer: t.Peer, Op: t.Op, Bound: t.Bound, Value: math.NaN(), Status: "n/a"}
			if row != nil {
				v, ok := row.Median, true
				if t.Peer != "" {
					v, ok = row.Ratios[t.Peer]
				}
				if ok && !math.IsNaN(v) {
					tr.Value, tr.Status = v, "missed"
					if t.Met(v) {
						tr.Status = "met"
					}
				}
				row.Targets = append(row.Targets, tr)
			}
		}
	}
	return out
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
	// Target values of n/a targets are NaN: write them as null.
	type target struct {
		TargetResult
		Value jsonNumber `json:"value"`
	}
	type row struct {
		*Result
		Targets []target `json:"targets,omitempty"`
	}
	rows := make([]row, len(results))
	for i, r := range results {
		rows[i].Result = r
		for _, t := range r.Targets {
			rows[i].Targets = append(rows[i].Targets, target{t, jsonNumber(t.Value)})
		}
	}
	b, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
