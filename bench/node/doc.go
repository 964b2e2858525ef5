// Package node holds the Node.js side of the comparison runner
// (bench/compare): one script per scenario (s1.mjs ... s6.mjs), a worker
// (worker.mjs) and shared helpers (lib.mjs). The scripts use only Node's own
// MessageChannel, worker_threads and structuredClone, no npm packages.
//
// Each script is run in a fresh process as
//
//	node sN.mjs full|quick
//
// and prints one JSON object per line, {"metric", "unit", "value"}, for
// the runner to collect. The scripts are embedded (Scripts) so that the
// runner works from any directory; WriteTo copies them out for node.
package node
