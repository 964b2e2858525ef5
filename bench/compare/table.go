package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/entangle-go/entangle/bench/scenario"
)

// printTable prints the measurements, then every comparison with its
// target and status, then the scenarios not yet measured.
func printTable(w io.Writer, scs []*scenario.Scenario, results []*Result) {
	fmt.Fprintln(w)
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	row("scenario", "system", "metric", "unit", "median", "min", "max", "vs baseline")
	prev := ""
	for _, r := range results {
		if math.IsNaN(r.Median) {
			continue
		}
		if prev != "" && r.Scenario != prev {
			row()
		}
		prev = r.Scenario
		check := ""
		if r.Baseline != nil {
			check = ratio(r.Median/float64(*r.Baseline)) + " ok"
			if r.Strayed {
				check = ratio(r.Median/float64(*r.Baseline)) + " STRAYED"
			}
		} else if r.System != scenario.Entangle && r.Unit == "%" {
			check = "throughputs, share kept: ok"
			if r.Strayed {
				check = "throughputs, share kept: STRAYED"
			}
		} else if r.System != scenario.Entangle {
			check = "no baseline"
		}
		row(r.Scenario, r.System, r.Metric, unit(r.Unit), num(r.Median), num(r.Min), num(r.Max), check)
	}
	_ = tw.Flush()
	writeTrimmed(w, &buf)
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Metrics ending in %q were measured with one nice -n 19 busy loop per core.\n", scenario.Busy)
	fmt.Fprintf(w, "vs baseline: a peer's median / its median in the baseline file; off by more than %dx: STRAYED, not quoted.\n", strayFactor)
	fmt.Fprintf(w, "A drop in %% strays when a throughput it is made of strays, or when the share it keeps (100%% less the drop) is off by more than %dx.\n", strayFactor)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Comparisons (ratio: entangle's median / the peer's; difference: entangle's - the peer's) and targets:")
	buf.Reset()
	tw = tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	row("scenario", "entangle", "vs", "value", "target", "status")
	prev = ""
	for _, r := range results {
		if r.System != scenario.Entangle {
			continue
		}
		for _, c := range append(slices.Clip(r.Comparisons), r.Targets...) {
			if prev != "" && r.Scenario != prev {
				row()
			}
			prev = r.Scenario
			vs, val := "own value", num(float64(c.Value))+" "+unit(r.Unit)
			switch c.Kind {
			case "ratio":
				vs, val = c.Peer+": "+c.PeerMetric, ratio(float64(c.Value))
			case "difference":
				vs, val = c.Peer+": "+c.PeerMetric, points(float64(c.Value))
			}
			target, st := c.Target, strings.ToUpper(c.Status)
			if c.Status == na {
				st = "n/a (not measured)"
			}
			row(r.Scenario, r.Metric, vs, val, target, st)
		}
	}
	_ = tw.Flush()
	writeTrimmed(w, &buf)
	for _, sc := range scs {
		if sc.NotYet != "" {
			fmt.Fprintf(w, "\n%s %s: %s\n", sc.ID, sc.Title, sc.NotYet)
		}
	}
}

// points formats a difference of percentages.
func points(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return num(v) + " points"
}

// writeTrimmed copies buf to w without the padding at the ends of lines.
func writeTrimmed(w io.Writer, buf *bytes.Buffer) {
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

func unit(u string) string {
	if u == "" {
		return "count"
	}
	return u
}

// num formats a value with about three significant digits, and thousands
// separators for the large ones.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "n/a"
	case a >= 1000:
		return thousands(int64(math.Round(v)))
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case a == 0:
		return "0"
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

func ratio(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return num(v) + "x"
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
