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

	"github.com/entangle-go/entangle/internal/leaktest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, leaktest.Options()...) }

// row is what a consumer of -json reads.
type row struct {
	Scenario     string             `json:"scenario"`
	System       string             `json:"system"`
	Metric       string             `json:"metric"`
	Unit         *string            `json:"unit"`
	Median       float64            `json:"median"`
	Min          float64            `json:"min"`
	Max          float64            `json:"max"`
	Rounds       []float64          `json:"rounds"`
	Better       string             `json:"better"`
	Ratios       map[string]float64 `json:"ratios"`
	RatioMetrics map[string]string  `json:"ratio_metrics"`
	Targets      []struct {
		Text   string   `json:"text"`
		Peer   string   `json:"peer"`
		Op     string   `json:"op"`
		Bound  float64  `json:"bound"`
		Value  *float64 `json:"value"`
		Status string   `json:"status"`
	} `json:"targets"`
}

// TestQuickRunJSON runs two small scenarios in quick mode (with Node.js
// when it is on PATH) and checks the table, the JSON and the SVG.
func TestQuickRunJSON(t *testing.T) {
	dir := t.TempDir()
	jsonFile, svgFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.svg")
	var out, log bytes.Buffer
	code := realMain([]string{"-quick", "-scenarios", "S2,S5", "-json", jsonFile, "-svg", svgFile}, &out, &log)
	if code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), log.String())
	}
	_, err := exec.LookPath("node")
	withNode := err == nil
	text := out.String()
	for _, want := range []string{"GOMAXPROCS=", "NumCPU=", "2 rounds (quick)", "ours/protoactor", "Targets:", "S2  <= 1.5x raw actor ping-pong"} {
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
		if !systems[r.System] || r.Metric == "" || r.Unit == nil {
			t.Errorf("bad row %+v", r)
		}
		if len(r.Rounds) != 2 || !(r.Min <= r.Median && r.Median <= r.Max) || r.Min <= 0 {
			t.Errorf("bad statistics in %+v", r)
		}
		if r.Better != "lower" {
			t.Errorf("%s %s: better = %q, want lower", r.Scenario, r.Metric, r.Better)
		}
		if r.System != "entangle" && (r.Ratios != nil || r.Targets != nil) {
			t.Errorf("a peer row has ratios or targets: %+v", r)
		}
		for peer, v := range r.Ratios {
			if !systems[peer] || peer == "entangle" || !(v > 0) || math.IsInf(v, 0) || r.RatioMetrics[peer] == "" {
				t.Errorf("bad ratio %s=%v in %+v", peer, v, r)
			}
		}
		for _, tg := range r.Targets {
			switch tg.Status {
			case "met", "missed":
				if tg.Value == nil {
					t.Errorf("target %q has no value", tg.Text)
				}
			case "n/a":
			default:
				t.Errorf("target %q: status %q", tg.Text, tg.Status)
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
	for _, r := range rows {
		if r.Scenario == "S2" && r.System == "entangle" && r.Metric == "round trip p50" {
			if _, ok := r.Ratios["protoactor"]; !ok {
				t.Errorf("S2 has no ratio against protoactor: %+v", r)
			}
			if _, ok := r.Ratios["node"]; ok != withNode {
				t.Errorf("S2 ratio against node present = %v, node on PATH = %v", ok, withNode)
			}
			if len(r.Targets) != 2 {
				t.Errorf("S2 has %d targets, want 2", len(r.Targets))
			}
		}
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
	if code := realMain([]string{"-quick", "-rounds", "1", "-scenarios", "s5", "-node", "none"}, &out, io.Discard); code != 0 {
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

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"-scenarios", "S9"}, {"-rounds", "0"}, {"extra"}} {
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
