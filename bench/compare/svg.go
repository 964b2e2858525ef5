package main

import (
	"fmt"
	"html"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/entangle-go/entangle/bench/scenario"
)

// chart draws the ratios entangle/peer as horizontal bars on a log scale,
// green where entangle is better than the peer and red where it is worse,
// with the targets that hold a ratio marked on their bars and the other
// targets listed below. It is plain SVG text.
func chart(scs []*scenario.Scenario, results []*Result, e env, rounds int) string {
	type bar struct {
		label  string
		title  string // the full description, with the peer's metric
		peer   string
		v      float64
		good   bool
		target *Comparison
	}
	var bars []bar
	var others []string
	for _, r := range results {
		if r.System != scenario.Entangle {
			continue
		}
		for i := range r.Comparisons {
			c := &r.Comparisons[i]
			v := float64(c.Value)
			if c.Kind != "ratio" {
				if c.Target != "" {
					others = append(others, fmt.Sprintf("%s %s (vs %s %s): %s, %s", r.Scenario, c.Target, c.Peer, c.PeerMetric, points(v), c.Status))
				}
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
				continue
			}
			b := bar{label: fmt.Sprintf("%s %s", r.Scenario, r.Metric), peer: c.Peer, v: v,
				title: fmt.Sprintf("%s: entangle %s / %s %s", r.Scenario, r.Metric, c.Peer, c.PeerMetric)}
			b.good = (r.Better == "higher") == (v >= 1)
			if c.Target != "" {
				b.target = c
			}
			bars = append(bars, b)
		}
		for _, t := range r.Targets {
			v := "n/a"
			if t.Status != na {
				v = num(float64(t.Value)) + " " + r.Unit
			}
			others = append(others, fmt.Sprintf("%s %s: %s, %s", r.Scenario, t.Target, strings.TrimSpace(v), t.Status))
		}
	}

	// The scale: whole decades around every ratio and 1x.
	lo, hi := -1.0, 1.0
	for _, b := range bars {
		l := math.Log10(b.v)
		lo, hi = math.Min(lo, math.Floor(l)), math.Max(hi, math.Ceil(l))
	}
	lo, hi = math.Max(lo, -4), math.Min(hi, 4)

	const (
		width   = 1380
		peerX   = 520 // the peer column
		left    = 610 // plot area
		right   = 1090
		rowH    = 22
		top     = 116
		statusX = 1105
	)
	x := func(l float64) float64 {
		l = math.Max(lo, math.Min(hi, l))
		return left + (l-lo)/(hi-lo)*(right-left)
	}
	height := top + len(bars)*rowH + 40 + len(others)*18 + 20
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...); b.WriteByte('\n') }
	esc := html.EscapeString

	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`, width, height, width, height)
	p(`<rect width="100%%" height="100%%" fill="white"/>`)
	of := fmt.Sprintf("median of %d rounds, interleaved", rounds)
	if rounds == 1 {
		of = "one round"
	}
	p(`<text x="20" y="26" font-size="17" font-weight="bold">entangle vs peers: ratio entangle / peer (%s)</text>`, of)
	node := e.NodeVersion
	if node == "" {
		node = "Node.js not run"
	}
	p(`<text x="20" y="48">machine: GOMAXPROCS=%d, NumCPU=%d, %s/%s; %s; %s; %s</text>`, e.GOMAXPROCS, e.NumCPU, runtime.GOOS, runtime.GOARCH, esc(e.GoVersion), esc(node), esc(e.Date))
	p(`<text x="20" y="68" fill="#444">log scale. Green: entangle better than the peer (faster, or less memory); red: worse. Dashed mark: the target on that ratio.</text>`)
	p(`<text x="20" y="86" fill="#444">Each bar divides entangle's median by the peer's median of the matching metric (named in results.json, comparisons, and in each bar's tooltip). [busy]: one nice -n 19 busy loop per core.</text>`)
	p(`<text x="%d" y="%d" font-weight="bold">peer</text>`, peerX, top-10)

	// Decade grid.
	for d := lo; d <= hi; d++ {
		gx := x(d)
		stroke := "#ddd"
		if d == 0 {
			stroke = "#000"
		}
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`, gx, top-6, gx, top+len(bars)*rowH, stroke)
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#444">%s</text>`, gx, top-10, esc(factor(math.Pow(10, d))))
	}
	for i, br := range bars {
		y := top + i*rowH
		color := "#2e7d32"
		if !br.good {
			color = "#c62828"
		}
		x0, x1 := x(0), x(math.Log10(br.v))
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		p(`<g><title>%s</title>`, esc(br.title))
		p(`<text x="%d" y="%d" text-anchor="end">%s</text>`, peerX-10, y+15, esc(br.label))
		p(`<text x="%d" y="%d">%s</text>`, peerX, y+15, esc(br.peer))
		p(`<rect x="%.1f" y="%d" width="%.1f" height="14" fill="%s"/>`, x0, y+4, math.Max(x1-x0, 1), color)
		vx, anchor := x(math.Log10(br.v))+4, "start"
		if br.v < 1 {
			vx, anchor = x(math.Log10(br.v))-4, "end"
		}
		p(`<text x="%.1f" y="%d" text-anchor="%s" font-size="11">%s</text>`, vx, y+15, anchor, esc(ratio(br.v)))
		if t := br.target; t != nil {
			tx := x(math.Log10(t.Bound))
			p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#000" stroke-width="2" stroke-dasharray="3,2"/>`, tx, y+1, tx, y+21)
			p(`<text x="%d" y="%d" font-size="11">target %s %s: %s</text>`, statusX, y+15, esc(t.Op), esc(factor(t.Bound)), esc(t.Status))
		}
		p(`</g>`)
	}
	y := top + len(bars)*rowH + 30
	if len(others) > 0 {
		p(`<text x="20" y="%d" font-weight="bold">Other targets (entangle's own values)</text>`, y)
		for _, o := range others {
			y += 18
			p(`<text x="30" y="%d">%s</text>`, y, esc(o))
		}
	}
	for _, sc := range scs {
		if sc.NotYet != "" {
			y += 24
			p(`<text x="20" y="%d" fill="#444">%s %s: %s</text>`, y, esc(sc.ID), esc(sc.Title), esc(sc.NotYet))
		}
	}
	p(`</svg>`)
	return b.String()
}

// factor formats a round factor such as a bound or a grid line: 0.01x, 5x.
func factor(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) + "x" }
