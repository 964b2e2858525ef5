// Package bench holds the benchmarks of entangle, each with its baselines
// in the same file so that results are read as ratios measured in the same
// run: clone_test.go (S4's codec, S5 and the clone of the values),
// ports_test.go (S1 to S3 between plain actors on a pooled dispatcher),
// windows_test.go (S1 and S2 between a window and its worker, as users
// spawn them; baselines on their dispatcher in ports_test.go, the
// -goroutine-dispatcher rows), buffers_test.go (S4 over a channel, S6) and
// remote_test.go (S7, two nodes on loopback). It has no code of its own
// (main_test.go checks that the benchmarks leave no goroutine behind); run
// it with
//
//	go test -run '^$' -bench . -benchmem ./bench/
//
// The comparison runner, go run ./bench/compare, measures the scenarios of
// bench/scenario (S1-S9) for entangle, raw protoactor, plain Go and Node.js
// in one interleaved run, the cross-thread ones also on a busy machine, and
// prints the ratios and the targets (see its doc comment).
package bench
