package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entangle-go/entangle/bench/scenario"
	"github.com/entangle-go/entangle/internal/leaktest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The runs of realMain happen in processes of their own: this test
	// binary again (see isolate.go).
	if code, ok := childMain(); ok {
		os.Exit(code)
	}
	goleak.VerifyTestMain(m, leaktest.Options()...)
}

// cmp is a comparison or target as a consumer of -json reads it.
type cmp struct {
	Peer       string   `json:"peer"`
	PeerMetric string   `json:"peer_metric"`
	Kind       string   `json:"kind"`
	Value      *float64 `json:"value"`
	Target     string   `json:"target"`
	Op         string   `json:"op"`
	Bound      float64  `json:"bound"`
	Status     string   `json:"status"`
}

// row is what a consumer of -json reads.
type row struct {
	Scenario    string    `json:"scenario"`
	System      string    `json:"system"`
	Metric      string    `json:"metric"`
	Unit        *string   `json:"unit"`
	Median      *float64  `json:"median"`
	Min         *float64  `json:"min"`
	Max         *float64  `json:"max"`
	Rounds      []float64 `json:"rounds"`
	Better      string    `json:"better"`
	Baseline    *float64  `json:"baseline"`
	Strayed     bool      `json:"strayed"`
	Comparisons []cmp     `json:"comparisons"`
	Targets     []cmp     `json:"targets"`
}

// TestQuickRunJSON runs two small scenarios in quick mode (with Node.js
// when it is on PATH) and checks the table, the JSON and the SVG.
func TestQuickRunJSON(t *testing.T) {
	dir := t.TempDir()
	jsonFile, svgFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.svg")
	var out, log bytes.Buffer
	code := realMain([]string{"-quick", "-scenarios", "S2,S5", "-json", jsonFile, "-svg", svgFile, "-baseline", ""}, &out, &log)
	if code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), log.String())
	}
	_, err := exec.LookPath("node")
	withNode := err == nil
	text := out.String()
	for _, want := range []string{"GOMAXPROCS=", "NumCPU=", "2 rounds (quick)", "busy-machine runs skipped", "Comparisons", "<= 1.3x raw protoactor ping-pong, same dispatcher"} {
		if !strings.Contains(text, want) {
			t.Errorf("the output lacks %q:\n%s", want, text)
		}
	}
	if !withNode && !strings.Contains(text, "node is not on PATH") {
		t.Errorf("the output does not say that node is missing:\n%s", text)
	}

	b, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, b)
	}
	systems := map[string]bool{"entangle": true, "protoactor": true, "gochan": true, "node": true}
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Scenario != "S2" && r.Scenario != "S5" {
			t.Errorf("unexpected scenario %q", r.Scenario)
		}
		if !systems[r.System] || r.Metric == "" {
			t.Errorf("bad row %+v", r)
		}
		if r.Median == nil {
			// A goal never measured (the busy runs are skipped in quick mode).
			for _, c := range r.Comparisons {
				if c.Status != "n/a" {
					t.Errorf("an unmeasured row has status %q: %+v", c.Status, r)
				}
			}
			continue
		}
		if r.Unit == nil || len(r.Rounds) != 2 || !(*r.Min <= *r.Median && *r.Median <= *r.Max) || *r.Min <= 0 {
			t.Errorf("bad statistics in %+v", r)
		}
		if r.Better != "lower" {
			t.Errorf("%s %s: better = %q, want lower", r.Scenario, r.Metric, r.Better)
		}
		if r.System != "entangle" && (r.Comparisons != nil || r.Targets != nil) {
			t.Errorf("a peer row has comparisons or targets: %+v", r)
		}
		for _, c := range r.Comparisons {
			if !systems[c.Peer] || c.Peer == "entangle" || c.PeerMetric == "" || c.Kind != "ratio" {
				t.Errorf("bad comparison %+v in %+v", c, r)
			}
			switch c.Status {
			case "met", "missed", "not quoted":
				if c.Value == nil || !(*c.Value > 0) {
					t.Errorf("comparison %+v has no value", c)
				}
			case "n/a", "":
			default:
				t.Errorf("comparison %+v: status %q", c, c.Status)
			}
		}
		seen[r.Scenario+"/"+r.System] = true
	}
	want := []string{"S2/entangle", "S2/protoactor", "S2/gochan", "S5/entangle", "S5/gochan"}
	if withNode {
		want = append(want, "S2/node", "S5/node")
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no row for %s", w)
		}
	}
	found := false
	for _, r := range rows {
		if r.Scenario == "S2" && r.System == "entangle" && r.Metric == "round trip p50, int" {
			for _, c := range r.Comparisons {
				if c.Peer == "protoactor" && c.Target != "" && (c.Status == "met" || c.Status == "missed") {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("S2 has no measured target against protoactor")
	}

	svg, err := os.ReadFile(svgFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg ", "</svg>", "GOMAXPROCS=", "NumCPU=", "go1."} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
}

func TestWithoutNode(t *testing.T) {
	var out bytes.Buffer
	if code := realMain([]string{"-quick", "-rounds", "1", "-scenarios", "s5", "-node", "none", "-baseline", ""}, &out, io.Discard); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, out.String())
	}
	text := out.String()
	if !strings.Contains(text, "Node.js skipped") || strings.Contains(text, "S5        node") {
		t.Errorf("node was not skipped:\n%s", text)
	}
	if !strings.Contains(text, "n/a (not measured)") {
		t.Errorf("the target against node is not n/a:\n%s", text)
	}
}

func TestBaseline(t *testing.T) {
	base := map[key]float64{{"S1", "node", "x"}: 100, {"S1", "protoactor", "y"}: 100}
	rs := []*Result{
		{Scenario: "S1", System: "node", Metric: "x", Median: 250},
		{Scenario: "S1", System: "protoactor", Metric: "y", Median: 60},
		{Scenario: "S1", System: "gochan", Metric: "z", Median: 1},
	}
	checkBaseline(rs, base)
	if !rs[0].Strayed || rs[1].Strayed || rs[2].Strayed || rs[2].Baseline != nil || rs[1].Baseline == nil {
		t.Errorf("checkBaseline: %+v %+v %+v", rs[0], rs[1], rs[2])
	}
	// A drop in percent is judged by the throughputs it comes from and by
	// the share of the throughput it keeps, never by a ratio of
	// percentages (0.6% then 32% is not "53x off").
	idle := func(n int) string { return scenario.S8Idle(n, "actors") }
	for _, c := range []struct {
		name           string
		mid, hi        float64 // this run's throughputs with 2,000 and with the most idle actors
		drop, baseDrop float64
		wantStrays     bool
	}{
		{"throughputs within 2x, 0.6% then 32%", 1000, 900, 32, 0.6, false},
		{"the last throughput strayed", 1000, 300, 32, 0.6, true},
		{"only a throughput the drop is not made of strayed", 3000, 900, 32, 0.6, false},
		{"throughputs within 2x, but the share kept is 0.41x", 1000, 510, 55, -10, true},
		{"a drop of 100% against one of 20%", 1000, 900, 100, 20, true},
	} {
		base := map[key]float64{
			{"S8", "protoactor", idle(1)}: 1000, {"S8", "protoactor", idle(2_000)}: 1000, {"S8", "protoactor", idle(200_000)}: 1000,
			{"S8", "protoactor", scenario.S8Drop("actors")}: c.baseDrop,
		}
		rs := []*Result{
			{Scenario: "S8", System: "protoactor", Metric: idle(1), Unit: "msgs/s", Median: 1000},
			{Scenario: "S8", System: "protoactor", Metric: idle(2_000), Unit: "msgs/s", Median: c.mid},
			{Scenario: "S8", System: "protoactor", Metric: idle(200_000), Unit: "msgs/s", Median: c.hi},
			{Scenario: "S8", System: "protoactor", Metric: scenario.S8Drop("actors"), Unit: "%", Median: c.drop},
		}
		checkBaseline(rs, base)
		if d := rs[3]; d.Strayed != c.wantStrays || d.Baseline != nil {
			t.Errorf("%s: the drop row %+v", c.name, d)
		}
	}
	if s := status(scenario.Goal{Op: ">=", Bound: 1}, 2, true); s != notQuoted {
		t.Errorf("a strayed peer's goal: %q", s)
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"-scenarios", "S10"}, {"-rounds", "0"}, {"extra"}} {
		if code := realMain(args, io.Discard, io.Discard); code != 2 {
			t.Errorf("%q: exit code %d, want 2", args, code)
		}
	}
}

func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{1234567.4: "1,234,567", 123.4: "123", 12.34: "12.3", 1.234: "1.23", 0.01234: "0.0123", 0: "0", math.NaN(): "n/a"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
	if m, lo, hi := stats([]float64{3, 1, 2, 10}); m != 2.5 || lo != 1 || hi != 10 {
		t.Errorf("stats = %v %v %v", m, lo, hi)
	}
}

// TestIsolatedRun: a run happens in a child process, writes its CPU profile
// where asked, and one that cannot run says why.
func TestIsolatedRun(t *testing.T) {
	cfg := scenario.Config{Quick: true}
	profile := filepath.Join(t.TempDir(), "S5.pprof")
	samples, err := runIsolated("S5", scenario.GoChan, cfg, profile, io.Discard)
	if err != nil || len(samples) == 0 {
		t.Fatalf("S5 gochan in a child: %v, %d samples", err, len(samples))
	}
	for _, s := range samples {
		if s.Metric == "" || s.Unit == "" || !(s.Value > 0) {
			t.Errorf("sample %+v", s)
		}
	}
	if fi, err := os.Stat(profile); err != nil || fi.Size() == 0 {
		t.Errorf("the run's CPU profile: %v", err)
	}
	if _, err := runIsolated("S5", "nosuchsystem", cfg, "", io.Discard); err == nil || !strings.Contains(err.Error(), "no system nosuchsystem") {
		t.Errorf("an unknown system: %v", err)
	}
}

// TestTail: a failed run reports the end of what its process wrote.
func TestTail(t *testing.T) {
	for _, c := range []struct {
		name   string
		writes []string
		want   string
	}{
		{"short", []string{"a\n", "b\n"}, "a\nb"},
		{"long", []string{strings.Repeat("x", 3*tailBytes), "\npanic: end\n"}, strings.Repeat("x", tailBytes-len("\npanic: end\n")) + "\npanic: end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var tl tail
			for _, w := range c.writes {
				if n, err := tl.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if got := tl.String(); got != c.want {
				t.Errorf("String() = %q (%d bytes), want %d bytes ending %q", got[max(0, len(got)-20):], len(got), len(c.want), c.want[max(0, len(c.want)-20):])
			}
		})
	}
}
