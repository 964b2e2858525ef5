//go:build !race

// Built without the race detector: protoactor remote at the pinned version
// races with itself in a process that runs two nodes. .ci/run runs the
// tests named Remote in a separate step without -race.

package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestRemoteQuickRun runs S7 once in quick mode: two actor systems over
// protoactor remote on loopback, entangle and raw remote.
func TestRemoteQuickRun(t *testing.T) {
	var out bytes.Buffer
	if code := realMain([]string{"-quick", "-rounds", "1", "-scenarios", "S7", "-node", "none", "-baseline", ""}, &out, io.Discard); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, out.String())
	}
	text := out.String()
	for _, want := range []string{"throughput, *struct{I int}", "actor ping-pong over remote, p50", "burst >= 0.8x raw remote Send", "round trip <= 1.1x a raw actor ping-pong over remote"} {
		if !strings.Contains(text, want) {
			t.Errorf("the output lacks %q:\n%s", want, text)
		}
	}
}
