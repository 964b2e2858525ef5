// Package stripe is a counter that many goroutines change at a high rate
// and few read: each writer changes a stripe of its own, on a cache line of
// its own, and a read sums the stripes.
//
// A single atomic counter that a sender increments for every message and
// the receiver, on another core, decrements, moves its cache line between
// the two cores twice per message: measured at about a sixth of a burst
// of small structs between two owners.
package stripe
