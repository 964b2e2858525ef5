package main

import (
	"fmt"
	"html"
	"math"
	"runtime"
	"strings"

	"github.com/entangle-go/entangle/bench/scenario"
)

// chartS8 draws S8 (scaling) as two panels of bars: throughput per payload
// size, entangle beside raw protoactor; and throughput with more idle
// channels (entangle) or idle actors (raw protoactor), each as a share of
// its own figure with the fewest idle ones (ours read as events, and with
// OnData). Plain SVG text.
func chartS8(results []*Result, e env, rounds int) string {
	var size, idleOurs, idleData, idleRaw []*Result
	for _, r := range results {
		if r.Scenario != "S8" || r.Unit != "msgs/s" {
			continue
		}
		switch {
		case strings.HasSuffix(r.Metric, "idle channels"):
			idleOurs = append(idleOurs, r)
		case strings.Contains(r.Metric, "idle channels"):
			idleData = append(idleData, r) // read with OnData
		case strings.HasSuffix(r.Metric, "idle actors"):
			idleRaw = append(idleRaw, r)
		default:
			size = append(size, r)
		}
	}
	const (
		width = 900
		left  = 300
		right = 820
		rowH  = 20
	)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...); b.WriteByte('\n') }
	esc := html.EscapeString
	height := 170 + (len(size)+len(idleOurs)+len(idleData)+len(idleRaw))*rowH + 80
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`, width, height, width, height)
	p(`<rect width="100%%" height="100%%" fill="white"/>`)
	p(`<text x="20" y="26" font-size="17" font-weight="bold">S8 scaling: burst throughput between two contexts (median of %d rounds)</text>`, rounds)
	p(`<text x="20" y="48">machine: GOMAXPROCS=%d, NumCPU=%d, %s/%s; %s; %s</text>`, e.GOMAXPROCS, e.NumCPU, runtime.GOOS, runtime.GOARCH, esc(e.GoVersion), esc(e.Date))
	color := func(sys string) string {
		if sys == scenario.Entangle {
			return "#1565c0"
		}
		return "#9e9e9e"
	}
	y := 80
	panel := func(title string, rows []*Result, value func(*Result) float64, label func(float64) string) {
		p(`<text x="20" y="%d" font-weight="bold">%s</text>`, y, esc(title))
		y += 10
		max := 0.0
		for _, r := range rows {
			max = math.Max(max, value(r))
		}
		for _, r := range rows {
			v := value(r)
			w := 0.0
			if max > 0 && !math.IsNaN(v) {
				w = v / max * (right - left)
			}
			p(`<text x="%d" y="%d" text-anchor="end">%s</text>`, left-8, y+14, esc(r.System+": "+r.Metric))
			p(`<rect x="%d" y="%d" width="%.1f" height="14" fill="%s"/>`, left, y+3, math.Max(w, 1), color(r.System))
			p(`<text x="%.1f" y="%d" font-size="11">%s</text>`, float64(left)+w+4, y+14, esc(label(v)))
			y += rowH
		}
		y += 30
	}
	panel("throughput by payload size (msgs/s)", size, func(r *Result) float64 { return r.Median }, func(v float64) string { return num(v) })
	share := func(rows []*Result) func(*Result) float64 {
		return func(r *Result) float64 {
			if len(rows) == 0 || rows[0].Median <= 0 {
				return math.NaN()
			}
			return 100 * r.Median / rows[0].Median
		}
	}
	pct := func(v float64) string { return num(v) + "%" }
	panel("with idle channels in the process: share of the throughput with the fewest (entangle)", idleOurs, share(idleOurs), pct)
	if len(idleData) > 0 {
		panel("the same, read with OnData (no event per message)", idleData, share(idleData), pct)
	}
	panel("with idle actors in the process: share of the throughput with the fewest (raw protoactor)", idleRaw, share(idleRaw), pct)
	p(`</svg>`)
	return b.String()
}
