// Package bench holds the benchmarks of entangle, each with its baselines
// in the same file so that results are read as ratios measured in the same
// run. It has no code of its own; run it with
//
//	go test -run '^$' -bench . -benchmem ./bench/
package bench
