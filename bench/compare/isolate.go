package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/entangle-go/entangle/bench/scenario"
)

// Each run of one system in one scenario happens in a process of its own:
// this program again, told by childEnv what to run and where to write the
// samples. What one run leaves in a process would otherwise shape the
// figures of the runs after it: the Go runtime never frees a goroutine's
// descriptor, so S6's raw protoactor baseline (200,000 actors started at
// once on protoactor's default dispatcher, a goroutine each) left 55 MB of
// them live for the rest of the run, and the collector then paced S7 and
// S8 by a heap that none of their own setups made.
const childEnv = "ENTANGLE_COMPARE_RUN"

// childRun is what the parent asks a child to run.
type childRun struct {
	Scenario string
	System   string
	Config   scenario.Config
	Out      string // the file the samples are written to
	Profile  string // a file for the run's CPU profile, or "" for none
}

// childSample is a Sample as a child writes it: the value as text, so that
// NaN and the infinities survive JSON.
type childSample struct {
	Metric, Unit, Value string
}

// runIsolated runs one system of one scenario in a child process and
// returns its samples. The child's stderr goes to log.
// When profile is not "", the child writes its CPU profile there.
func runIsolated(sc, system string, cfg scenario.Config, profile string, log io.Writer) ([]scenario.Sample, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "entangle-compare-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	req, err := json.Marshal(childRun{Scenario: sc, System: system, Config: cfg, Out: filepath.Join(dir, "samples.json"), Profile: profile})
	if err != nil {
		return nil, err
	}
	var stderr tail
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), childEnv+"="+string(req))
	cmd.Stdout = log
	cmd.Stderr = io.MultiWriter(log, &stderr)
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("the run's process: %w; its last output:\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "samples.json"))
	if err != nil {
		return nil, fmt.Errorf("the run's process wrote no samples: %w", err)
	}
	var raw []childSample
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	out := make([]scenario.Sample, len(raw))
	for i, s := range raw {
		v, err := strconv.ParseFloat(s.Value, 64)
		if err != nil {
			return nil, fmt.Errorf("sample %q: %w", s.Metric, err)
		}
		out[i] = scenario.Sample{Metric: s.Metric, Unit: s.Unit, Value: v}
	}
	return out, nil
}

// childTimeout bounds one run's process; every wait inside a run has its
// own, shorter bound (Config.Timeout), so this only stops a process that
// hangs outside them.
const childTimeout = 15 * time.Minute

// tail keeps the last tailBytes bytes written to it: what a failed run's
// process said last (a panic's message and the top of its stack).
type tail struct{ b []byte }

const tailBytes = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*tailBytes {
		t.b = append(t.b[:0], t.b[len(t.b)-tailBytes:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	b := t.b
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
	}
	return strings.TrimSpace(string(b))
}

// childMain runs the one system that childEnv names, if it names one, and
// returns the process's exit code; ok is false when this process is not a
// child.
func childMain() (code int, ok bool) {
	req, ok := os.LookupEnv(childEnv)
	if !ok {
		return 0, false
	}
	var r childRun
	if err := json.Unmarshal([]byte(req), &r); err != nil {
		fmt.Fprintln(os.Stderr, "compare: the run's request:", err)
		return 1, true
	}
	run := findRun(r.Scenario, r.System)
	if run == nil {
		fmt.Fprintf(os.Stderr, "compare: no system %s in scenario %s\n", r.System, r.Scenario)
		return 1, true
	}
	stop, err := startProfile(r.Profile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		return 1, true
	}
	samples, err := run(r.Config)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		return 1, true
	}
	raw := make([]childSample, len(samples))
	for i, s := range samples {
		raw[i] = childSample{s.Metric, s.Unit, strconv.FormatFloat(s.Value, 'g', -1, 64)}
	}
	b, err := json.Marshal(raw)
	if err == nil {
		err = os.WriteFile(r.Out, b, 0o600)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		return 1, true
	}
	return 0, true
}

func findRun(sc, system string) scenario.Run {
	for _, s := range scenario.All() {
		if s.ID != sc {
			continue
		}
		for _, sys := range s.Systems {
			if sys.Name == system {
				return sys.Run
			}
		}
	}
	return nil
}

// startProfile starts a CPU profile into file, unless file is "", and
// returns what stops it.
func startProfile(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
