// Command compare measures entangle against its peers in one run and
// prints the ratios: for each scenario of bench/scenario (S1-S9), entangle
// (MessagePorts between two contexts), raw protoactor actors, plain Go
// (channels and hand-written code, system "gochan") and, when node is on
// PATH, Node.js (its own MessageChannel and worker_threads, the scripts of
// bench/node). Systems are interleaved: every round runs every scenario on
// every system, in a rotated order. A cross-thread scenario (S1, S2, S3,
// S7) runs twice per round: on the quiet machine, and again with one
// `nice -n 19` busy loop per core (shell processes the runner starts and
// kills; the benchmark itself unpinned, at its default GOMAXPROCS), whose
// metrics end in " [busy]". On an idle VM a wake-up of a sleeping thread
// costs tens of microseconds, which Node's cross-thread figures pay and
// Go's spinning scheduler mostly does not; targets against Node therefore
// hold against its same-thread figures and its busy-machine cross-thread
// ones.
//
// Every run of one system in one scenario happens in a process of its own
// (this program again), so that no run's leftovers shape another's figures.
//
// The output is two tables: the measurements (median, min and max over the
// rounds; for peers, the ratio to the same row of the baseline file, an
// earlier run's JSON, marked STRAYED beyond 2x either way), then every
// comparison: entangle's median against a peer's (a ratio, or for S8's
// drop a difference in points), the target on it and met, missed, n/a or
// "not quoted" (the peer's figure strayed from the baseline).
//
//	go run ./bench/compare -json bench/results.json -svg bench/ratios.svg -svg-s8 bench/scaling.svg
//	go run ./bench/compare -quick -scenarios S1,S3  # seconds; no busy runs
//
// Flags:
//
//	-rounds N      rounds (default 5; 2 with -quick)
//	-quick         far fewer messages per run, 2 rounds, no busy runs
//	-busy          the busy-machine runs (default true; false with -quick)
//	-scenarios L   comma-separated scenario IDs (default all)
//	-baseline FILE an earlier run's -json file (default bench/results.json;
//	               "" for none); read before -json writes
//	-json FILE     write the results as JSON (format below)
//	-svg FILE      write a bar chart of the ratios as SVG
//	-svg-s8 FILE   write a chart of S8 (scaling) as SVG
//	-node PATH     the node binary ("" looks it up on PATH, "none" skips Node.js)
//	-cpuprofile DIR  write each Go run's CPU profile into DIR, one file per
//	               run: S2-entangle-r1.pprof, S2-entangle-busy-r1.pprof
//
// The JSON file is a list of objects, one per scenario, system and metric:
//
//	{
//	  "scenario": "S1",             // S1..S8
//	  "system": "entangle",         // entangle, protoactor, gochan or node
//	  "metric": "throughput, *struct{I int}",  // " [busy]" at the end: busy machine
//	  "unit": "msgs/s",             // msgs/s, µs, B, x, % or "" (a count)
//	  "median": 1.2e6, "min": 1.1e6, "max": 1.3e6,  // null for a goal never measured
//	  "rounds": [ ... ],            // the value of each round, in order
//	  "better": "higher",           // or "lower": which way is better
//	  "baseline": 1.0e6,            // peer rows: the baseline file's median
//	  "strayed": true,              // peer rows: more than 2x off the baseline
//	  "comparisons": [              // entangle rows only
//	    {"peer": "node", "peer_metric": "throughput, {i}", "kind": "ratio",
//	     "value": 2.1, "target": ">= 3x Node's {i}", "op": ">=", "bound": 3,
//	     "status": "missed"}       // met, missed, n/a, not quoted; "" without target
//	  ],
//	  "targets": [ ... ]            // goals on entangle's own value (kind "value")
//	}
package main
