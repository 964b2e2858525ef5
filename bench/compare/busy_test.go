package main

import (
	"runtime"
	"testing"
)

// TestBusyLoops starts the busy loops and stops them: one per core, all
// reaped.
func TestBusyLoops(t *testing.T) {
	b, err := startBusy()
	if err != nil {
		t.Skipf("no nice or sh here: %v", err)
	}
	if len(b.cmds) != runtime.NumCPU() {
		t.Errorf("%d loops, want %d", len(b.cmds), runtime.NumCPU())
	}
	cmds := b.cmds
	b.stop()
	for _, c := range cmds {
		if c.ProcessState == nil || c.ProcessState.Success() {
			t.Errorf("loop %d was not killed: %v", c.Process.Pid, c.ProcessState)
		}
	}
	b.stop() // a second stop does nothing
}
