package script_test

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/actors/script"
	"github.com/entangle-go/entangle/ports"
)

// TestStructuredCloneAgreesWithNode compares a script context's
// structuredClone, which goes through the messages package's record, with
// Node.js's (V8's) on 5,000 generated values (testdata/clone-compare.js):
// nested objects with awkward keys, getters, hidden and symbol-keyed
// properties, arrays with holes and extra properties, Maps and Sets,
// shared and cyclic references, wrapper objects, Dates, RegExps, errors of
// every standard kind, buffers and views over shared buffers, BigInts,
// lone surrogates, functions and symbols. Every described clone, and every
// failure's name, must be the same. It runs when node is on the PATH (CI's
// machines have only Go).
func TestStructuredCloneAgreesWithNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on the PATH")
	}
	src, err := os.ReadFile("testdata/clone-compare.js")
	require.NoError(t, err)
	const n = 5000
	run := "runAll(" + strconv.Itoa(n) + ", structuredClone)"

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, "-e", string(src)+"\nprocess.stdout.write("+run+")").Output()
	require.NoError(t, err, "running node")
	want := strings.Split(string(out), "\n")

	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, err := actors.Register(system)
	require.NoError(t, err)
	_, err = script.Register(plugin, script.WithConsole(func(_ actor.Context, _ slog.Level, msg string) { t.Log("console:", msg) }))
	require.NoError(t, err)
	defer func() {
		assert.NoError(t, plugin.Shutdown(ctx))
		ports.Unregister(system)
		system.Shutdown()
	}()
	pid := system.Root.Spawn(script.WindowProps(origin.MustParse("https://compare.example"), script.Code("clone-compare.js", string(src))))
	// In tasks of 500 values: a task has 5 s, and the race detector makes
	// the engine several times slower.
	var got []string
	for from := 1; from <= n; from += 500 {
		code := "runRange(" + strconv.Itoa(from) + ", " + strconv.Itoa(min(from+499, n)) + ", structuredClone)"
		require.NoError(t, plugin.Run(ctx, pid, func(ctx actor.Context) error {
			v, err := script.Eval(ctx, code)
			if err != nil {
				return err
			}
			s, ok := v.(string)
			require.True(t, ok, "runRange returns a string")
			got = append(got, strings.Split(s, "\n")...)
			return nil
		}))
	}

	require.Len(t, got, n)
	require.Len(t, want, n)
	differ := 0
	for i := range want {
		if got[i] != want[i] {
			differ++
			if differ <= 5 {
				t.Errorf("seed %d:\n node: %s\n ours: %s", i+1, want[i], got[i])
			}
		}
	}
	assert.Zero(t, differ, "values whose clones differ")
}
