//go:build race

package racebuild

// Enabled is set when the race detector is on.
const Enabled = true
