package actors_test

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A worker starts a worker of its own; messages relay through both, and
// terminating the outer one ends the inner one too (its ports close).
func TestNestedWorkers(t *testing.T) {
	e := newEnv(t)
	inner := actors.Func(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, err := ports.NewMessageChannel(ctx)
			require.NoError(t, err)
			require.NoError(t, ports.PostTo(ctx, e.bridge.PID(), "inner", ch.Port2))
			for i := 1; i <= 3; i++ {
				require.NoError(t, ch.Port1.PostMessage(ctx, fmt.Sprintf("inner %d", i)))
			}
		case *ports.MessageEvent:
			require.NoError(t, actors.WorkerPostMessage(ctx, fmt.Sprintf("inner got %v", m.Data)))
		}
	})
	outer := actors.Func(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := actors.NewWorker(ctx, inner, actors.WorkerOptions{Name: "inner"})
			require.NoError(t, err)
			require.NoError(t, w.PostMessage(ctx, "from outer"))
		case *ports.MessageEvent:
			if actors.ScopeOf(ctx).FromCreator(m) {
				return
			}
			require.NoError(t, actors.WorkerPostMessage(ctx, m.Data))
		}
	})
	var w *actors.Worker
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			var err error
			w, err = actors.NewWorker(ctx, outer, actors.WorkerOptions{})
			require.NoError(t, err)
		case *ports.MessageEvent:
			if m.Data == "end" {
				require.NoError(t, w.Terminate(ctx))
				return
			}
			e.report(ctx, m.Data)
		}
	})
	got := e.holderPorts(1)
	assert.Equal(t, "inner got from outer", e.next())
	require.NoError(t, actorstest.WaitQuiet(e.ctx(), e.plugin))
	assert.Equal(t, 4, e.plugin.Contexts(), "window, two workers, bridge")
	require.NoError(t, e.bridge.PostTo(e.ctx(), e.windowPID(), "end"))
	e.expectPrefixThenClose("inner", got["inner"])
	require.NoError(t, actorstest.WaitQuiet(e.ctx(), e.plugin))
	assert.Equal(t, 2, e.plugin.Contexts(), "window and bridge")
}

// The bridge's port as a Go channel.
func TestBridgePortChannel(t *testing.T) {
	e := newEnv(t)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
			for i := 0; i < 100; i++ {
				_ = m.Ports[0].PostMessage(ctx, i)
			}
			_ = m.Ports[0].Close(ctx)
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	n := 0
	for ev := range local.C(e.ctx()) {
		require.Equal(t, n, ev.Data)
		n++
	}
	assert.Equal(t, 100, n, "every message, in order, then the channel closes")
}
