package actors_test

import (
	"fmt"
	"sync/atomic"
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

// Shared worker identity: origin + script + name. The connect event
// carries the worker's end of the new connection; worker.Port is a normal
// MessagePort that delivers only after Start.
func TestSharedWorkerIdentityAndStart(t *testing.T) {
	e := newEnv(t)
	starts := make(chan string, 16)
	counter := func(label string) actor.Producer {
		return func() actor.Actor {
			starts <- label
			n := 0
			return actor.ReceiveFunc(func(ctx actor.Context) {
				if m, ok := ctx.Message().(*actors.ConnectEvent); ok {
					require.Len(t, m.Ports, 1)
					require.Same(t, m.Port, m.Ports[0], "event.ports[0] is the connection's port")
					require.Same(t, m.Port, m.Source, "and so is event.source")
					require.Equal(t, "", m.Data)
					n++
					g := actors.ScopeOf(ctx)
					_ = m.Port.PostMessage(ctx, fmt.Sprintf("%s/%s connection %d from %s", g.Name(), label, n, m.Origin))
					_ = m.Port.Start(ctx)
				}
			})
		}
	}
	connect := func(origin, script, name, label string) {
		e.spawnWindow(origin, func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *actor.Started:
				w, err := actors.NewSharedWorker(ctx, script, name, counter(label))
				require.NoError(t, err)
				require.NotNil(t, w.Port)
				// Not started yet: hold the port, start it later.
				ctx.Send(ctx.Self(), w)
			case *actors.SharedWorker:
				e.report(ctx, "before start")
				require.NoError(t, m.Port.Start(ctx))
			case *ports.MessageEvent:
				e.report(ctx, m.Data)
			}
		})
		assert.Equal(t, "before start", e.next())
	}
	connect("https://a.example", "w.js", "x", "first")
	assert.Equal(t, "x/first connection 1 from https://a.example", e.next())
	connect("https://a.example", "w.js", "x", "unused")
	assert.Equal(t, "x/first connection 2 from https://a.example", e.next(), "same origin, script and name: same worker")
	connect("https://a.example", "w.js", "y", "other name")
	assert.Equal(t, "y/other name connection 1 from https://a.example", e.next())
	connect("https://a.example", "other.js", "x", "other script")
	assert.Equal(t, "x/other script connection 1 from https://a.example", e.next())
	connect("https://b.example", "w.js", "x", "other origin")
	assert.Equal(t, "x/other origin connection 1 from https://b.example", e.next())
	assert.Len(t, starts, 4, "four workers started")
}

// After a shared worker closes itself (self.close()), the next
// constructor starts a new one rather than connecting to the closing one,
// even when it runs right after the close.
func TestSharedWorkerSelfCloseThenReconnect(t *testing.T) {
	e := newEnv(t)
	var gen atomic.Int32
	producer := func() actor.Actor {
		mine := gen.Add(1)
		return actor.ReceiveFunc(func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *actors.ConnectEvent:
				require.NoError(t, m.Port.Start(ctx))
				require.NoError(t, m.Port.PostMessage(ctx, fmt.Sprintf("generation %d", mine)))
			case *ports.MessageEvent:
				if m.Data == "close yourself" {
					require.NoError(t, actors.Close(ctx))
					// Still in the same task: this is delivered.
					require.NoError(t, m.Target.PostMessage(ctx, "closing"))
				}
			}
		})
	}
	for round := 0; round < 10; round++ {
		w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
			connect := func() {
				sw, err := actors.NewSharedWorker(ctx, "w.js", "", producer)
				require.NoError(t, err)
				require.NoError(t, sw.Port.Start(ctx))
			}
			switch m := ctx.Message().(type) {
			case *actor.Started:
				connect()
			case *ports.MessageEvent:
				e.report(ctx, m.Data)
				switch m.Data {
				case "closing":
					connect()
				default:
					if m.Target != nil && len(m.Data.(string)) > 0 && gen.Load() == int32(2*round+1) {
						require.NoError(t, m.Target.PostMessage(ctx, "close yourself"))
					}
				}
			case *ports.CloseEvent:
				e.report(ctx, "port closed")
			}
		})
		assert.Equal(t, fmt.Sprintf("generation %d", 2*round+1), e.next())
		assert.Equal(t, "closing", e.next())
		got := []any{e.next(), e.next()}
		assert.ElementsMatch(t, []any{"port closed", fmt.Sprintf("generation %d", 2*round+2)}, got,
			"round %d: the closing worker's port closes; a new worker starts", round)
		e.plugin.Destroy(e.sys.Root, w)
		e.quiet()
	}
}
