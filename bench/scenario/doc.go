// Package scenario holds the comparison scenarios of entangle (S1-S9) and
// the helpers they share: each scenario measured for entangle (ports
// between two contexts), for its baselines (raw protoactor actors, plain Go:
// channels and hand-written code, under the system name "gochan") and for
// Node.js (the scripts of bench/node), one measurement per call, so that a
// runner (bench/compare) can interleave systems and repeat rounds.
//
// Like for like: entangle's main rows run between contexts as users spawn
// them (a window of package actors and the dedicated worker it creates, on
// their default dispatcher, ports.NewGoroutineDispatcher); plain actors
// with the ports middleware on ports.NewDispatcher are an extra row
// ("(plain actors, ports.NewDispatcher)"). Raw protoactor baselines run on
// the same dispatcher as the row they are compared with, and on
// protoactor's default dispatcher as an extra row. Every system posts the
// same payload, made afresh per post, and the receiver reads it: S1 and S2
// have a row per payload (Go int / JS number; *struct{I int} and
// map[string]any{"i": i} / JS {i}; the 100-key nested object), S7 the int
// and the small struct, S8 a small struct, a 1 KiB struct and a 64 KiB
// []byte.
//
// Only the exported API of the ports, actors and messages packages is
// used, the way an application would use it.
package scenario
