package main

import (
	"fmt"
	"os/exec"
	"runtime"
)

// busyLoops is one low-priority busy loop per core: `nice -n 19 sh -c
// 'while kill -0 $PPID; do :; done'`, each a process of its own, started
// before the busy half of a cross-thread scenario and killed after it (a
// loop also ends by itself once the runner is gone, killed or not). They keep every core
// awake, so that a wake-up of a sleeping thread costs what it costs on a
// loaded machine and not the VM's idle-exit latency; at nice 19 they yield
// to the benchmark.
type busyLoops struct{ cmds []*exec.Cmd }

// startBusy starts one loop per core (runtime.NumCPU).
func startBusy() (*busyLoops, error) {
	b := &busyLoops{}
	for range runtime.NumCPU() {
		cmd := exec.Command("nice", "-n", "19", "sh", "-c", "while kill -0 $PPID 2>/dev/null; do :; done")
		if err := cmd.Start(); err != nil {
			b.stop()
			return nil, fmt.Errorf("starting a busy loop: %w", err)
		}
		b.cmds = append(b.cmds, cmd)
	}
	return b, nil
}

// stop kills the loops it started, by their process, and reaps them.
func (b *busyLoops) stop() {
	for _, c := range b.cmds {
		_ = c.Process.Kill()
		_ = c.Wait()
	}
	b.cmds = nil
}
