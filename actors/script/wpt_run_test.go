package script

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

// wptOrigin is the origin of every test page, wptserve's default host.
var wptOrigin = origin.MustParse("http://web-platform.test:8000")

const (
	// wptDeadline bounds one case: past it the runner calls the harness's
	// timeout() even if the realm still has timers.
	wptDeadline = 20 * time.Second
	// wptIdleFor is how long a realm must stay idle (no timer, no task
	// anywhere in its system but the runner's own probes) before the
	// runner calls timeout(): long enough that a message in flight
	// shows as a task.
	wptIdleFor = 300 * time.Millisecond
	// wptAfterTimeout is how long the harness gets to report after
	// timeout().
	wptAfterTimeout = 5 * time.Second
)

// closeModeOf is the close-event mode a file assumes: the close-event
// tests want the standard's close events, historical.any.js wants none
// (the two disagree; each runs under its own).
func closeModeOf(file string) ports.CloseEventMode {
	if strings.HasSuffix(file, "message-channels/historical.any.js") {
		return ports.CloseEventsNone
	}
	return ports.CloseEventsStandard
}

// runCase runs one case in an actor system of its own and returns what the
// harness reported. The realm is a window at the test file's path, or a
// dedicated worker created by a Go window; the scripts it loads itself
// (new Worker, importScripts) are read from the tree.
func runCase(t *testing.T, tree string, c wptCase, scripts []wptScript) wptResult {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer sys.Shutdown()
	plugin, err := actors.Register(sys, actors.WithPortOptions(ports.WithCloseEvents(closeModeOf(c.file))))
	require.NoError(t, err)
	defer ports.Unregister(sys)
	results := make(chan string, 1)
	_, err = Register(plugin, WithFS(os.DirFS(tree)), WithConsole(func(_ actor.Context, _ slog.Level, msg string) {
		if strings.HasPrefix(msg, resultMarker) {
			select {
			case results <- strings.TrimPrefix(msg, resultMarker):
			default:
			}
		} else if testing.Verbose() {
			t.Logf("console: %s", msg)
		}
	}))
	require.NoError(t, err)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = plugin.Shutdown(ctx)
	}()

	srcs := make([]Source, len(scripts))
	for i, s := range scripts {
		srcs[i] = Code(s.name, s.text)
	}
	realmPID := startRealm(t, sys, c, srcs)

	var r wptResult
	deadline := time.After(wptDeadline)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	// The realm is idle once it has looked idle, with no task run by any
	// context between the runner's checks (a check runs tasks itself),
	// for wptIdleFor.
	var idleSince time.Time
	var lastAfter uint64
	for {
		select {
		case line := <-results:
			require.NoError(t, json.Unmarshal([]byte(line), &r), "the harness's report")
			return r
		case <-deadline:
			return callTimeout(t, plugin, realmPID, results)
		case <-tick.C:
			quietBetween := actorstest.Activity(plugin) == lastAfter
			looksIdle := idle(plugin, realmPID)
			lastAfter = actorstest.Activity(plugin)
			if !looksIdle || !quietBetween {
				idleSince = time.Time{}
				continue
			}
			if idleSince.IsZero() {
				idleSince = time.Now()
				continue
			}
			if time.Since(idleSince) >= wptIdleFor {
				return callTimeout(t, plugin, realmPID, results)
			}
		}
	}
}

// startRealm spawns the case's realm and returns its PID.
func startRealm(t *testing.T, sys *actor.ActorSystem, c wptCase, srcs []Source) *actor.PID {
	t.Helper()
	if c.realm == realmWindow {
		return sys.Root.Spawn(actors.WindowProps(wptOrigin, producerAt("/"+c.file, srcs)))
	}
	made := make(chan *actor.PID, 1)
	sys.Root.Spawn(actors.WindowFunc(wptOrigin, func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			w, err := NewWorker(ctx, actors.WorkerOptions{}, srcs...)
			if err != nil {
				t.Errorf("NewWorker: %v", err)
				made <- nil
				return
			}
			made <- w.PID()
		}
	}))
	select {
	case pid := <-made:
		require.NotNil(t, pid)
		return pid
	case <-time.After(10 * time.Second):
		t.Fatal("the worker was not created")
		return nil
	}
}

// idle reports whether the realm has nothing left to do: the plugin's
// contexts are quiet and the realm has no timer pending.
func idle(plugin *actors.Plugin, pid *actor.PID) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if actorstest.WaitQuiet(ctx, plugin) != nil {
		return false
	}
	busy := true
	err := plugin.Run(context.Background(), pid, func(ctx actor.Context) error {
		if r := realmOf(ctx); r != nil {
			busy = r.busy()
		}
		return nil
	})
	return err == nil && !busy
}

// callTimeout calls the harness's timeout() in the realm, as a browser's
// harness timer would, and waits for the report it triggers.
func callTimeout(t *testing.T, plugin *actors.Plugin, pid *actor.PID, results chan string) wptResult {
	t.Helper()
	_ = plugin.Run(context.Background(), pid, func(ctx actor.Context) error {
		_, err := Eval(ctx, "typeof timeout === 'function' && timeout(), undefined")
		return err
	})
	var r wptResult
	select {
	case line := <-results:
		require.NoError(t, json.Unmarshal([]byte(line), &r), "the harness's report")
	case <-time.After(wptAfterTimeout):
		r.noReport = true
	}
	r.timedOut = true
	return r
}
