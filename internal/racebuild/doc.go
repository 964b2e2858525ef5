// Package racebuild tells the tests of entangle's packages whether they
// run under the race detector, which makes sync.Pool drop some of what it
// is given, on purpose: a test that counts the allocations a pool saves
// skips that count there.
package racebuild
