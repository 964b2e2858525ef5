package script

import (
	"context"
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

// wait is how long a test waits for something that must happen.
const wait = 5 * time.Second

// env is a test's actor system with the actors plugin and a script host
// whose console lines (and error reports) arrive on lines.
type env struct {
	t      testing.TB
	sys    *actor.ActorSystem
	plugin *actors.Plugin
	host   *Host
	lines  chan string
}

func newEnv(t testing.TB, opts ...Option) *env {
	return newEnvWith(t, nil, opts...)
}

func newEnvWith(t testing.TB, aopts []actors.Option, opts ...Option) *env {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	if os.Getenv("SCRIPT_TEST_LOG") != "" {
		aopts = append(aopts, actors.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	}
	p, err := actors.Register(sys, aopts...)
	require.NoError(t, err)
	e := &env{t: t, sys: sys, plugin: p, lines: make(chan string, 1024)}
	opts = append([]Option{WithConsole(func(_ actor.Context, level slog.Level, msg string) {
		if level == slog.LevelError {
			msg = "ERROR " + msg
		}
		select {
		case e.lines <- msg:
		default:
		}
	})}, opts...)
	e.host, err = Register(p, opts...)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		require.NoError(t, p.Shutdown(ctx), "plugin shutdown")
		ports.Unregister(sys)
		sys.Shutdown()
	})
	return e
}

// ctx returns a context that ends after wait.
func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	e.t.Cleanup(cancel)
	return ctx
}

// window spawns a window of https://test.example running src.
func (e *env) window(src ...string) *actor.PID {
	e.t.Helper()
	return e.sys.Root.Spawn(WindowProps(origin.MustParse("https://test.example"), sources(src)...))
}

func sources(src []string) []Source {
	out := make([]Source, len(src))
	for i, s := range src {
		out[i] = Code("test"+string(rune('0'+i))+".js", s)
	}
	return out
}

// next returns the next console line.
func (e *env) next() string {
	e.t.Helper()
	select {
	case l := <-e.lines:
		return l
	case <-time.After(wait):
		e.t.Fatal("no console line came")
		return ""
	}
}

// expect checks the next console lines.
func (e *env) expect(want ...string) {
	e.t.Helper()
	got := make([]string, 0, len(want))
	for range want {
		got = append(got, e.next())
	}
	require.Equal(e.t, want, got)
}

// expectPrefix checks that the next line starts with prefix.
func (e *env) expectPrefix(prefix string) string {
	e.t.Helper()
	l := e.next()
	require.True(e.t, strings.HasPrefix(l, prefix), "line %q does not start with %q", l, prefix)
	return l
}

// quiet waits until the contexts have nothing more to do, then checks that
// no console line is left.
func (e *env) quiet() {
	e.t.Helper()
	require.NoError(e.t, actorstest.WaitQuiet(e.ctx(), e.plugin))
}

// noMore checks that no console line is waiting once everything is quiet.
func (e *env) noMore() {
	e.t.Helper()
	e.quiet()
	select {
	case l := <-e.lines:
		e.t.Fatalf("unexpected console line %q", l)
	default:
	}
}

// run runs fn as a task of pid.
func (e *env) run(pid *actor.PID, fn func(actor.Context) error) {
	e.t.Helper()
	require.NoError(e.t, e.plugin.Run(e.ctx(), pid, fn))
}

// eval evaluates code in the realm of pid.
func (e *env) eval(pid *actor.PID, code string) (any, error) {
	e.t.Helper()
	var v any
	var err error
	require.NoError(e.t, e.plugin.Run(e.ctx(), pid, func(ctx actor.Context) error {
		v, err = Eval(ctx, code)
		return nil
	}))
	return v, err
}
