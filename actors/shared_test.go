package actors_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// relay is a shared worker that numbers its connections and relays every
// message to the other connections; it says when one leaves.
func relay() actor.Actor {
	conns := map[*ports.MessagePort]int{}
	n := 0
	return actor.ReceiveFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actors.ConnectEvent:
			n++
			conns[m.Port] = n
			_ = m.Port.Start(ctx)
			_ = m.Port.PostMessage(ctx, fmt.Sprintf("you are %d", n))
		case *ports.MessageEvent:
			for p := range conns {
				if p != m.Target {
					_ = p.PostMessage(ctx, fmt.Sprintf("%d says %v", conns[m.Target], m.Data))
				}
			}
		case *ports.CloseEvent:
			who := conns[m.Target]
			delete(conns, m.Target)
			for p := range conns {
				_ = p.PostMessage(ctx, fmt.Sprintf("%d left", who))
			}
		}
	})
}

func TestSharedWorkerChat(t *testing.T) {
	e := newEnv(t)
	window := func(name string) *actor.PID {
		return e.spawnWindow("https://chat.example", func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *actor.Started:
				w, err := actors.NewSharedWorker(ctx, "chat.js", "room", relay)
				require.NoError(t, err)
				require.NoError(t, w.Port.Start(ctx))
			case *ports.MessageEvent:
				e.report(ctx, name+": "+m.Data.(string))
				if m.Data == "you are 3" {
					_ = m.Target.PostMessage(ctx, "hello")
				}
			}
		})
	}
	w1 := window("w1")
	assert.Equal(t, "w1: you are 1", e.next())
	w2 := window("w2")
	assert.Equal(t, "w2: you are 2", e.next())
	window("w3")
	got := []any{e.next(), e.next(), e.next()}
	assert.ElementsMatch(t, []any{"w3: you are 3", "w1: 3 says hello", "w2: 3 says hello"}, got)
	assert.Equal(t, 5, e.plugin.Contexts(), "three windows, the bridge and one shared worker")

	e.plugin.Destroy(e.sys.Root, w2)
	got = []any{e.next(), e.next()}
	assert.ElementsMatch(t, []any{"w1: 2 left", "w3: 2 left"}, got)
	_ = w1
}

func TestSharedWorkerLifetime(t *testing.T) {
	e := newEnv(t)
	window := func() *actor.PID {
		return e.spawnWindow("https://chat.example", func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *actor.Started:
				w, err := actors.NewSharedWorker(ctx, "chat.js", "room", relay)
				require.NoError(t, err)
				require.NoError(t, w.Port.Start(ctx))
				e.report(ctx, w.PID().String())
			case *ports.MessageEvent:
				if m.Target != nil {
					e.report(ctx, m.Data)
				}
			}
		})
	}
	a, b := window(), window()
	pa, ma := e.next(), e.next()
	pb, mb := e.next(), e.next()
	ids := map[any]bool{pa: true, ma: true, pb: true, mb: true}
	assert.True(t, ids["you are 1"] && ids["you are 2"], "both connected to one worker: %v", ids)

	// Another origin, or another name, is another worker.
	other := e.spawnWindow("https://other.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := actors.NewSharedWorker(ctx, "chat.js", "room", relay)
			require.NoError(t, err)
			require.NoError(t, w.Port.Start(ctx))
		case *ports.MessageEvent:
			e.report(ctx, "other origin: "+m.Data.(string))
		}
	})
	assert.Equal(t, "other origin: you are 1", e.next())
	e.plugin.Destroy(e.sys.Root, other)

	// The worker lives while one of its owners does.
	e.plugin.Destroy(e.sys.Root, a)
	assert.Regexp(t, "^[12] left$", e.next())
	e.quiet()
	assert.Equal(t, 3, e.plugin.Contexts(), "window b, its shared worker, the bridge")
	e.plugin.Destroy(e.sys.Root, b)
	e.quiet()
	require.Eventually(t, func() bool { return e.plugin.Contexts() == 1 }, wait, time.Millisecond,
		"the worker stops when its last owner is gone")

	// A new constructor starts a fresh worker.
	window()
	assert.Contains(t, e.next(), "shared-worker")
	assert.Equal(t, "you are 1", e.next())
}

// When the last owner of a shared worker is destroyed, the worker goes
// too, and WaitQuiet returns only once it has: a constructor called next
// starts a new worker.
func TestSharedWorkerEndsWithItsLastOwner(t *testing.T) {
	e := newEnv(t)
	gen := 0
	producer := func() actor.Actor {
		gen++
		mine := gen
		return actor.ReceiveFunc(func(ctx actor.Context) {
			if m, ok := ctx.Message().(*actors.ConnectEvent); ok {
				require.NoError(t, m.Port.PostMessage(ctx, fmt.Sprintf("generation %d", mine)))
			}
		})
	}
	e.quiet()
	base := e.plugin.Contexts()
	for round := 1; round <= 30; round++ {
		w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *actor.Started:
				sw, err := actors.NewSharedWorker(ctx, "w.js", "", producer)
				require.NoError(t, err)
				require.NoError(t, sw.Port.Start(ctx))
			case *ports.MessageEvent:
				e.report(ctx, m.Data)
			}
		})
		require.Equal(t, fmt.Sprintf("generation %d", round), e.next())
		e.plugin.Destroy(e.sys.Root, w)
		e.quiet()
		require.Equal(t, base, e.plugin.Contexts(), "round %d: the window and its worker are gone", round)
	}
}
