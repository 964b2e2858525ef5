package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/entangle-go/entangle/bench/scenario"
)

// peers are the systems entangle is compared with, in column order.
var peers = []string{scenario.Protoactor, scenario.GoChan, scenario.Node}

// printTable prints the results, the targets and the scenarios not yet
// measured.
func printTable(w io.Writer, scs []*scenario.Scenario, results []*Result) {
	fmt.Fprintln(w)
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	head := []string{"scenario", "system", "metric", "unit", "median", "min", "max"}
	for _, p := range peers {
		head = append(head, "ours/"+p)
	}
	row := func(cells []string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	row(head)
	prev := ""
	for _, r := range results {
		if prev != "" && r.Scenario != prev {
			row(make([]string, len(head)))
		}
		prev = r.Scenario
		cells := []string{r.Scenario, r.System, r.Metric, unit(r.Unit), num(r.Median), num(r.Min), num(r.Max)}
		for _, p := range peers {
			if v, ok := r.Ratios[p]; ok {
				cells = append(cells, ratio(v))
			} else {
				cells = append(cells, "")
			}
		}
		row(cells)
	}
	_ = tw.Flush()
	writeTrimmed(w, &buf)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ratios are entangle's median / the peer's median (the peer metric is in -json's ratio_metrics).")
	fmt.Fprintln(w, "For msgs/s and x higher is better; for µs, B and goroutines lower is better.")

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Targets:")
	buf.Reset()
	tw = tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	for _, sc := range scs {
		if sc.NotYet != "" {
			continue
		}
		for _, t := range sc.Targets {
			tr := findTarget(results, sc.ID, t)
			what := t.Metric
			if t.Peer != "" {
				what = fmt.Sprintf("%s, ours/%s", t.Metric, t.Peer)
			}
			val, status := "n/a", "n/a (not measured)"
			if tr != nil && tr.Status != "n/a" {
				val = num(tr.Value)
				if t.Peer != "" {
					val = ratio(tr.Value)
				}
				status = strings.ToUpper(tr.Status)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sc.ID, t.Text, what, val, status)
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

// writeTrimmed copies buf to w without the padding at the ends of lines.
func writeTrimmed(w io.Writer, buf *bytes.Buffer) {
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

func findTarget(results []*Result, id string, t scenario.Target) *TargetResult {
	for _, r := range results {
		if r.Scenario != id || r.System != scenario.Entangle || r.Metric != t.Metric {
			continue
		}
		for i := range r.Targets {
			if r.Targets[i].Text == t.Text {
				return &r.Targets[i]
			}
		}
	}
	return nil
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
