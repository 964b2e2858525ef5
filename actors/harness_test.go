package actors_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/require"
)

// wait is how long a test waits for an event that must come.
const wait = 5 * time.Second

// env is a test's actor system with the plugin and a bridge whose origin
// is https://test.example.
type env struct {
	t      testing.TB
	sys    *actor.ActorSystem
	plugin *actors.Plugin
	bridge *actors.Bridge

	lastWindow *actor.PID
}

func newEnv(t testing.TB, opts ...actors.Option) *env {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	p, err := actors.Register(sys, opts...)
	require.NoError(t, err)
	b, err := p.NewBridge(origin.MustParse("https://test.example"))
	require.NoError(t, err)
	e := &env{t: t, sys: sys, plugin: p, bridge: b}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		require.NoError(t, p.Shutdown(ctx), "plugin shutdown")
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

// report sends v to the bridge from a context (tests' contexts use it to
// tell the test what they saw).
func (e *env) report(ctx actor.Context, v any) {
	require.NoError(e.t, ports.PostTo(ctx, e.bridge.PID(), v))
}

// next returns the data of the next message posted to the bridge.
func (e *env) next() any {
	e.t.Helper()
	ev, err := e.bridge.Await(e.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
	require.NoError(e.t, err)
	return ev.(*ports.MessageEvent).Data
}

// windowPID returns the PID of the one window spawned by spawnWindow.
func (e *env) windowPID() *actor.PID {
	e.t.Helper()
	require.NotNil(e.t, e.lastWindow)
	return e.lastWindow
}

// spawnWindow spawns a window with the given origin running receive.
func (e *env) spawnWindow(o string, receive actor.ReceiveFunc) *actor.PID {
	e.t.Helper()
	e.lastWindow = e.sys.Root.SpawnPrefix(actors.WindowFunc(origin.MustParse(o), receive), "window")
	return e.lastWindow
}

// quiet waits until nothing more happens.
func (e *env) quiet() {
	e.t.Helper()
	require.NoError(e.t, actorstest.WaitQuiet(e.ctx(), e.plugin))
}
