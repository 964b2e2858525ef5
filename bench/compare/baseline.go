package main

import (
	"encoding/json"
	"os"
	"strings"

	"github.com/entangle-go/entangle/bench/scenario"
)

// strayFactor is how far a peer's median may lie from the committed
// results of an earlier run before it is marked and not quoted.
const strayFactor = 2

// loadBaseline reads the medians of an earlier run's JSON file (the format
// -json writes), keyed by scenario, system and metric. A missing file is
// no baseline.
func loadBaseline(path string) (map[key]float64, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Scenario, System, Metric string
		Median                   *float64
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, err
	}
	out := map[key]float64{}
	for _, r := range rows {
		if r.Median != nil {
			out[key{r.Scenario, r.System, r.Metric}] = *r.Median
		}
	}
	return out, nil
}

// checkBaseline sets Baseline on every peer row that the earlier run
// measured too, and Strayed when the medians differ by more than
// strayFactor either way.
//
// A row in percent (S8's drop) is a difference between two of the
// system's throughputs, and can be near zero or negative: a ratio of two
// such figures says nothing. It is marked Strayed when one of the
// throughputs it is made of strayed (the same scenario and system's rows
// with the fewest and the most idle channels or actors: the first and the
// last such row), or when the share of the throughput that stays (100%
// less the drop) is more than strayFactor off the baseline's; it gets no
// Baseline.
func checkBaseline(results []*Result, base map[key]float64) {
	for _, r := range results {
		if r.System == scenario.Entangle || r.Unit == "%" {
			continue
		}
		b, ok := base[key{r.Scenario, r.System, r.Metric}]
		if !ok || b <= 0 || r.Median <= 0 {
			continue
		}
		v := b
		r.Baseline = (*jsonNumber)(&v)
		f := r.Median / b
		r.Strayed = f > strayFactor || f < 1/float64(strayFactor)
	}
	for _, d := range results {
		if d.System == scenario.Entangle || d.Unit != "%" {
			continue
		}
		// The drop is made of the first and the last idle count's
		// throughputs (results keep the order the run made them in).
		var first, last *Result
		for _, r := range results {
			if r.Scenario == d.Scenario && r.System == d.System && r.Unit != "%" && strings.Contains(r.Metric, " idle ") {
				if first == nil {
					first = r
				}
				last = r
			}
		}
		d.Strayed = first != nil && (first.Strayed || last.Strayed)
		// Two throughputs within strayFactor each can still make any
		// drop: the share of the throughput that stays (1 - drop) is held
		// to the same factor as a throughput.
		if b, ok := base[key{d.Scenario, d.System, d.Metric}]; ok {
			kept, baseKept := 1-d.Median/100, 1-b/100
			if kept <= 0 || baseKept <= 0 {
				d.Strayed = d.Strayed || (kept <= 0) != (baseKept <= 0)
			} else if f := kept / baseKept; f > strayFactor || f < 1/float64(strayFactor) {
				d.Strayed = true
			}
		}
	}
}
