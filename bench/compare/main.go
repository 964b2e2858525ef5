package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/entangle-go/entangle/bench/node"
	"github.com/entangle-go/entangle/bench/scenario"
)

func main() {
	if code, ok := childMain(); ok {
		os.Exit(code)
	}
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	rounds    int
	quick     bool
	scenarios string
	jsonFile  string
	svgFile   string
	svgS8     string
	node      string
	busy      bool
	profiles  string
	baseline  string
}

func realMain(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.rounds, "rounds", 5, "rounds (2 with -quick unless set)")
	fs.BoolVar(&o.quick, "quick", false, "far fewer messages per run, 2 rounds")
	fs.StringVar(&o.scenarios, "scenarios", "", "comma-separated scenario IDs, e.g. S1,S3 (default all)")
	fs.StringVar(&o.jsonFile, "json", "", "write the results as JSON to `FILE`")
	fs.StringVar(&o.svgFile, "svg", "", "write an SVG bar chart of the ratios to `FILE`")
	fs.StringVar(&o.svgS8, "svg-s8", "", "write an SVG chart of S8 (scaling) to `FILE`")
	fs.StringVar(&o.node, "node", "", "node binary (\"\" looks it up on PATH, \"none\" skips Node.js)")
	fs.BoolVar(&o.busy, "busy", true, "measure cross-thread scenarios again with one nice -n 19 busy loop per core (off with -quick unless set)")
	fs.StringVar(&o.profiles, "cpuprofile", "", "write each run's CPU profile into `DIR`, named scenario-system[-busy]-round.pprof")
	fs.StringVar(&o.baseline, "baseline", "bench/results.json", "an earlier run's -json `FILE`: peers more than 2x off it are marked and not quoted (\"\" for none)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "compare: unexpected arguments %q\n", fs.Args())
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.quick && !set["rounds"] {
		o.rounds = 2
	}
	if o.quick && !set["busy"] {
		o.busy = false
	}
	if o.rounds < 1 {
		fmt.Fprintln(stderr, "compare: -rounds must be at least 1")
		return 2
	}
	scs, err := selectScenarios(scenario.All(), o.scenarios)
	if err != nil {
		fmt.Fprintln(stderr, "compare:", err)
		return 2
	}

	var base map[key]float64
	if o.baseline != "" {
		if base, err = loadBaseline(o.baseline); err != nil {
			fmt.Fprintln(stderr, "compare: reading the baseline:", err)
			return 1
		}
	}

	env := machine()
	cfg := scenario.Config{Quick: o.quick}
	nodeNote := findNode(o.node, &env, &cfg)
	if cfg.NodePath != "" {
		dir, err := os.MkdirTemp("", "entangle-compare-node-")
		if err == nil {
			defer os.RemoveAll(dir)
			err = node.WriteTo(dir)
		}
		if err != nil {
			fmt.Fprintln(stderr, "compare: writing the node scripts:", err)
			return 1
		}
		cfg.NodeDir = dir
	}

	mode := "full"
	if o.quick {
		mode = "quick"
	}
	busyNote := "busy-machine runs skipped"
	if o.busy {
		busyNote = fmt.Sprintf("cross-thread scenarios also with %d busy loops", env.NumCPU)
	}
	baseNote := "no baseline"
	if base != nil {
		baseNote = "baseline " + o.baseline
	}
	fmt.Fprintf(stdout, "entangle compare: %s %s/%s, GOMAXPROCS=%d, NumCPU=%d, %s, %d rounds (%s), %s, %s, %s\n",
		env.GoVersion, runtime.GOOS, runtime.GOARCH, env.GOMAXPROCS, env.NumCPU, nodeNote, o.rounds, mode, busyNote, baseNote, env.Date)

	res, failures := runAll(scs, cfg, o.rounds, o.busy, o.profiles, stderr)
	results := aggregate(scs, res, base)
	printTable(stdout, scs, results)
	for _, f := range failures {
		fmt.Fprintln(stdout, "FAILED:", f)
	}
	if o.jsonFile != "" {
		if err := writeJSON(o.jsonFile, results); err != nil {
			fmt.Fprintln(stderr, "compare:", err)
			return 1
		}
	}
	if o.svgFile != "" {
		if err := os.WriteFile(o.svgFile, []byte(chart(scs, results, env, o.rounds)), 0o644); err != nil {
			fmt.Fprintln(stderr, "compare:", err)
			return 1
		}
	}
	if o.svgS8 != "" {
		if err := os.WriteFile(o.svgS8, []byte(chartS8(results, env, o.rounds)), 0o644); err != nil {
			fmt.Fprintln(stderr, "compare:", err)
			return 1
		}
	}
	if len(failures) > 0 {
		return 1
	}
	return 0
}

// env describes the machine and tools of a run.
type env struct {
	GoVersion   string
	GOMAXPROCS  int
	NumCPU      int
	NodeVersion string // "" without node
	Date        string
}

func machine() env {
	return env{
		GoVersion:  runtime.Version(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		NumCPU:     runtime.NumCPU(),
		Date:       time.Now().Format("2006-01-02 15:04 MST"),
	}
}

// findNode resolves the node binary and returns the header's note on it.
func findNode(flagValue string, e *env, cfg *scenario.Config) string {
	if flagValue == "none" {
		return "Node.js skipped (-node none)"
	}
	path := flagValue
	if path == "" {
		p, err := exec.LookPath("node")
		if err != nil {
			return "node is not on PATH: the Node.js runs are skipped"
		}
		path = p
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return fmt.Sprintf("node at %s does not run (%v): the Node.js runs are skipped", path, err)
	}
	abs, err := filepath.Abs(path)
	if err == nil {
		path = abs
	}
	cfg.NodePath = path
	e.NodeVersion = "Node.js " + strings.TrimSpace(string(out))
	return e.NodeVersion
}

// selectScenarios keeps the scenarios named in list (all when empty).
func selectScenarios(all []*scenario.Scenario, list string) ([]*scenario.Scenario, error) {
	if strings.TrimSpace(list) == "" {
		return all, nil
	}
	var out []*scenario.Scenario
	seen := map[string]bool{}
	for _, id := range strings.Split(list, ",") {
		id = strings.ToUpper(strings.TrimSpace(id))
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		found := false
		for _, s := range all {
			if s.ID == id {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown scenario %q (known: S1..S9)", id)
		}
	}
	// Keep the order S1..S8.
	var ordered []*scenario.Scenario
	for _, s := range all {
		for _, o := range out {
			if o == s {
				ordered = append(ordered, s)
			}
		}
	}
	return ordered, nil
}

// key names one series of values.
type key struct{ scenario, system, metric string }

// series is the values of one key over the rounds, with its unit.
type series struct {
	unit   string
	seq    int // order of first appearance
	values []float64
}

// runAll runs rounds of every scenario on every system, rotating the order
// of the systems from round to round; with busy, a cross-thread scenario
// runs again on every system with the busy loops going, its metrics
// suffixed scenario.Busy. Each run of a system has a process of its own
// (runIsolated). It returns the series and the failures.
func runAll(scs []*scenario.Scenario, cfg scenario.Config, rounds int, busy bool, profiles string, log io.Writer) (map[key]*series, []string) {
	out := map[key]*series{}
	var failures []string
	start := time.Now()
	for r := 0; r < rounds; r++ {
		for _, sc := range scs {
			loads := []bool{false}
			if busy && sc.CrossThread {
				loads = append(loads, true)
			}
			for _, loaded := range loads {
				suffix := ""
				var loops *busyLoops
				if loaded {
					suffix = scenario.Busy
					var err error
					if loops, err = startBusy(); err != nil {
						failures = append(failures, fmt.Sprintf("round %d %s: %v", r+1, sc.ID, err))
						continue
					}
				}
				systems := runnable(sc, cfg)
				for k := range systems {
					sys := systems[(k+r)%len(systems)]
					t0 := time.Now()
					profile := ""
					if profiles != "" {
						profile = filepath.Join(profiles, fmt.Sprintf("%s-%s%s-r%d.pprof", sc.ID, sys.Name, map[bool]string{true: "-busy"}[loaded], r+1))
					}
					samples, err := runIsolated(sc.ID, sys.Name, cfg, profile, log)
					fmt.Fprintf(log, "round %d/%d %s%s %-10s %6.2fs (total %.0fs)\n",
						r+1, rounds, sc.ID, suffix, sys.Name, time.Since(t0).Seconds(), time.Since(start).Seconds())
					if err != nil {
						failures = append(failures, fmt.Sprintf("round %d %s%s %s: %v", r+1, sc.ID, suffix, sys.Name, err))
						continue
					}
					for _, s := range samples {
						k := key{sc.ID, sys.Name, s.Metric + suffix}
						if out[k] == nil {
							out[k] = &series{unit: s.Unit, seq: len(out)}
						}
						out[k].values = append(out[k].values, s.Value)
					}
				}
				if loops != nil {
					loops.stop()
				}
			}
		}
	}
	return out, failures
}

// runnable returns the systems of sc that can run with cfg.
func runnable(sc *scenario.Scenario, cfg scenario.Config) []scenario.System {
	var out []scenario.System
	for _, s := range sc.Systems {
		if s.Name == scenario.Node && cfg.NodePath == "" {
			continue
		}
		out = append(out, s)
	}
	return out
}
