package actors_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorkerMessagesBeforeStart(t *testing.T) {
	e := newEnv(t)
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *actor.Started:
					g := actors.ScopeOf(ctx)
					require.Equal(t, actors.KindDedicatedWorker, g.Kind())
					require.Equal(t, "https://a.example", g.Origin().String(), "a worker has its creator's origin")
					require.NoError(t, actors.WorkerPostMessage(ctx, "worker started"))
				case *ports.MessageEvent:
					require.True(t, actors.ScopeOf(ctx).FromCreator(m))
					require.NoError(t, actors.WorkerPostMessage(ctx, fmt.Sprintf("worker got %v", m.Data)))
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
			// Posted before the worker has run at all: held, then delivered.
			for i := 1; i <= 3; i++ {
				require.NoError(t, w.PostMessage(ctx, i))
			}
		case *ports.MessageEvent:
			e.report(ctx, m.Data)
		}
	})
	assert.Equal(t, "worker started", e.next())
	for i := 1; i <= 3; i++ {
		assert.Equal(t, fmt.Sprintf("worker got %d", i), e.next())
	}
}

// terminateScenario runs a worker that blocks in its first task until the
// test releases it, while more tasks are queued behind; the creator then
// ends the worker with end.
func TestWorkerTerminateAndClose(t *testing.T) {
	tests := []struct {
		name string
		// byCreator: Terminate from the creator; otherwise the worker
		// calls Close in its blocked task.
		byCreator bool
	}{
		{name: "terminate", byCreator: true},
		{name: "close", byCreator: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			release := make(chan struct{})
			var w *actors.Worker
			e.spawnWindow("https://a.example", func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *actor.Started:
					var err error
					w, err = actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
						switch m := ctx.Message().(type) {
						case *actor.Started:
							// A port whose peer the window holds: it must
							// close when the worker ends.
							ch, err := ports.NewMessageChannel(ctx)
							require.NoError(t, err)
							require.NoError(t, actors.WorkerPostMessage(ctx, "side port", ch.Port2))
							require.NoError(t, ch.Port1.PostMessage(ctx, "on side port"))
						case *ports.MessageEvent:
							if m.Data == "block" {
								require.NoError(t, actors.WorkerPostMessage(ctx, "before end"))
								if !tt.byCreator {
									require.NoError(t, actors.Close(ctx))
									// The current task goes on; what it posts
									// is still delivered.
									require.NoError(t, actors.WorkerPostMessage(ctx, "after close, same task"))
								}
								<-release
								return
							}
							require.NoError(t, actors.WorkerPostMessage(ctx, fmt.Sprintf("ran %v", m.Data)))
						}
					}), actors.WorkerOptions{})
					require.NoError(t, err)
					require.NoError(t, w.PostMessage(ctx, "block"))
					for i := 0; i < 5; i++ {
						require.NoError(t, w.PostMessage(ctx, i))
					}
				case *ports.MessageEvent:
					if len(m.Ports) == 1 {
						require.NoError(t, m.Ports[0].Start(ctx))
						return
					}
					e.report(ctx, m.Data)
					if m.Data == "before end" && tt.byCreator {
						require.NoError(t, w.Terminate(ctx))
						require.NoError(t, w.Terminate(ctx), "terminating twice is harmless")
						e.report(ctx, "terminated")
					}
				case *ports.CloseEvent:
					e.report(ctx, "side port closed")
				}
			})
			var got []any
			for len(got) < 3 {
				got = append(got, e.next())
			}
			close(release)
			got = append(got, e.next())
			end := "after close, same task"
			if tt.byCreator {
				end = "terminated"
			}
			// Across two ports the order is free; per port it is not.
			assert.ElementsMatch(t, []any{"on side port", "before end", end, "side port closed"}, got)
			assert.Equal(t, "side port closed", got[3], "the worker's ports close when it ends; peers get close")
			e.quiet()
			assert.Equal(t, 0, e.plugin.Contexts()-2, "only the window and the bridge are left")
			done, cancel := context.WithCancel(context.Background())
			cancel()
			left, err := e.bridge.Next(done)
			assert.ErrorIs(t, err, context.Canceled, "none of the queued tasks ran: %v", left)
		})
	}
}

// A dedicated worker: messages both ways without Start, those posted
// before it runs are held; worker messages carry origin "" and no source.
func TestWorkerMessageEventFields(t *testing.T) {
	e := newEnv(t)
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				if m, ok := ctx.Message().(*ports.MessageEvent); ok {
					require.NoError(t, actors.WorkerPostMessage(ctx, fmt.Sprintf("worker got %v origin=%q source=%v", m.Data, m.Origin, m.Source)))
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
			require.NoError(t, w.PostMessage(ctx, "early"))
		case *ports.MessageEvent:
			e.report(ctx, fmt.Sprintf("%v; window got origin=%q source=%v", m.Data, m.Origin, m.Source))
		}
	})
	assert.Equal(t, `worker got early origin="" source=<nil>; window got origin="" source=<nil>`, e.next())
}

// worker.terminate(): the worker's queued tasks are discarded (none of
// them runs: window messages, port messages, timers), its ports close and
// their peers get close after what was posted on them.
func TestWorkerTerminateDiscardsQueuedTasks(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	ran := make(chan any, 16)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	var w *actors.Worker
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		m, ok := ctx.Message().(*ports.MessageEvent)
		if !ok {
			return
		}
		switch {
		case m.Target == nil && len(m.Ports) == 1:
			var err error
			w, err = actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				m, ok := ctx.Message().(*ports.MessageEvent)
				if !ok {
					return
				}
				if len(m.Ports) == 1 {
					require.NoError(t, m.Ports[0].Start(ctx))
					_, err := actors.SetTimeout(ctx, 0, func(ctx actor.Context) { ran <- "timer" })
					require.NoError(t, err)
					require.NoError(t, m.Ports[0].PostMessage(ctx, "posted before terminate"))
					require.NoError(t, actors.WorkerPostMessage(ctx, "got port"))
					<-release
					return
				}
				ran <- m.Data
			}), actors.WorkerOptions{})
			require.NoError(t, err)
			require.NoError(t, w.PostMessage(ctx, nil, m.Ports[0]))
			require.NoError(t, w.PostMessage(ctx, "queued 1"))
			require.NoError(t, w.PostMessage(ctx, "queued 2"))
		case m.Data == "terminate":
			require.NoError(t, w.Terminate(ctx))
			e.report(ctx, "terminated")
		case w != nil && w.From(m):
			e.report(ctx, m.Data)
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), e.windowPID(), nil, remote))
	assert.Equal(t, "got port", e.next())
	// Posted while the worker is blocked in its task: queued there.
	require.NoError(t, local.PostMessage(e.ctx(), "from bridge, queued"))
	require.NoError(t, e.bridge.PostTo(e.ctx(), e.windowPID(), "terminate"))
	assert.Equal(t, "terminated", e.next())
	close(release)
	ev, err := local.Receive(e.ctx())
	require.NoError(t, err)
	assert.Equal(t, "posted before terminate", ev.Data)
	_, err = local.Receive(e.ctx())
	assert.ErrorIs(t, err, actors.ErrClosed, "the worker's port closed: its peer gets close")
	e.quiet()
	select {
	case v := <-ran:
		t.Fatalf("a task queued before terminate ran: %v", v)
	default:
	}
	assert.Equal(t, 2, e.plugin.Contexts(), "window and bridge")
}

// A port a worker posted out (to its creator, and to another context)
// just before it is terminated is not lost: it arrives, and its channel
// still works, while the worker's own ports close.
func TestTerminateFinishesPortsPostedOut(t *testing.T) {
	e := newEnv(t)
	for round := 0; round < 10; round++ {
		release := make(chan struct{})
		var w *actors.Worker
		win := e.spawnWindow("https://a.example", func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *actor.Started:
				var err error
				w, err = actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
					if _, ok := ctx.Message().(*actor.Started); !ok {
						return
					}
					// Two channels: one end of each to the bridge, the
					// other out to the creator and to the bridge again.
					for _, name := range []string{"to creator", "to bridge"} {
						ch, err := ports.NewMessageChannel(ctx)
						require.NoError(t, err)
						require.NoError(t, ports.PostTo(ctx, e.bridge.PID(), name, ch.Port1))
						if name == "to creator" {
							require.NoError(t, actors.WorkerPostMessage(ctx, name, ch.Port2))
						} else {
							require.NoError(t, ports.PostTo(ctx, e.bridge.PID(), name+" (other end)", ch.Port2))
						}
					}
					require.NoError(t, actors.WorkerPostMessage(ctx, "posted"))
					<-release
				}), actors.WorkerOptions{})
				require.NoError(t, err)
			case *ports.MessageEvent:
				if m.Data == "posted" {
					require.NoError(t, w.Terminate(ctx))
					close(release)
					return
				}
				if len(m.Ports) == 1 {
					p := m.Ports[0]
					require.NoError(t, p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
						_ = p.PostMessage(ctx, fmt.Sprint("creator echoes ", ev.Data))
					}))
				}
			}
		})
		got := e.holderPorts(3)
		ev, err := got["to creator"].Request(e.ctx(), round)
		require.NoError(t, err, "round %d", round)
		assert.Equal(t, fmt.Sprint("creator echoes ", round), ev.Data, "the port posted to the creator arrived and works")
		require.NoError(t, got["to bridge"].PostMessage(e.ctx(), "ping"))
		ev, err = got["to bridge (other end)"].Receive(e.ctx())
		require.NoError(t, err)
		assert.Equal(t, "ping", ev.Data, "both ends posted to the bridge arrived")
		// The worker's goroutine is held until the creator has taken
		// "posted" and terminated it; destroying the window before that
		// would drop "posted" with the window's port and leave the worker
		// blocked for good.
		select {
		case <-release:
		case <-e.ctx().Done():
			t.Fatalf("round %d: the creator never got the worker's last message", round)
		}
		e.plugin.Destroy(e.sys.Root, win)
		e.quiet()
	}
}

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

// worker.terminate() empties the queue of the creator's end of the
// implicit channel, as the standard's "terminate a worker" says: what the
// worker posted and the creator had not received yet is dropped (and
// counted), and nothing posted over it arrives after Terminate returns.
// TerminateGracefully delivers all of it, the task the worker is in
// included, and then ends the worker.
func TestTerminateEmptiesTheImplicitPortQueue(t *testing.T) {
	const n = 20
	for _, tt := range []struct {
		graceful bool
		mode     ports.CloseEventMode
	}{{false, ports.CloseEventsStandard}, {true, ports.CloseEventsStandard}, {false, ports.CloseEventsBoth}} {
		graceful := tt.graceful
		t.Run(fmt.Sprintf("graceful=%v,%v", graceful, tt.mode), func(t *testing.T) {
			e := newEnv(t, actors.WithPortOptions(ports.WithCloseEvents(tt.mode)))
			posted := make(chan struct{})
			release := make(chan struct{})
			var got []any
			dropped := e.plugin.Ports().Stats().Dropped
			var w *actors.Worker
			e.spawnWindow("https://a.example", func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *actor.Started:
					var err error
					w, err = actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
						if _, ok := ctx.Message().(*actor.Started); !ok {
							return
						}
						for i := 0; i < n; i++ {
							require.NoError(t, actors.WorkerPostMessage(ctx, i))
						}
						close(posted)
						<-release // the creator ends it meanwhile
						require.NoError(t, actors.WorkerPostMessage(ctx, "after the end began"))
					}), actors.WorkerOptions{})
					require.NoError(t, err)
					// The creator is busy in this task while the worker
					// posts: nothing of it has been received yet.
					<-posted
					if graceful {
						require.NoError(t, w.TerminateGracefully(ctx))
					} else {
						require.NoError(t, w.Terminate(ctx))
					}
					close(release)
				case *ports.MessageEvent:
					got = append(got, m.Data)
				case *ports.CloseEvent:
					got = append(got, "close") // the implicit port's is the plugin's
				}
			})
			e.quiet()
			require.NoError(t, e.plugin.Run(e.ctx(), e.windowPID(), func(actor.Context) error {
				if graceful {
					want := []any{}
					for i := 0; i < n; i++ {
						want = append(want, i)
					}
					want = append(want, "after the end began")
					assert.Equal(t, want, got, "everything the worker posted, in order")
				} else {
					assert.Empty(t, got, "nothing from the worker after Terminate")
				}
				return nil
			}))
			if graceful {
				assert.Equal(t, dropped, e.plugin.Ports().Stats().Dropped)
			} else {
				assert.GreaterOrEqual(t, e.plugin.Ports().Stats().Dropped-dropped, int64(n), "the messages the creator had not received are dropped and counted")
			}
			assert.Equal(t, 2, e.plugin.Contexts(), "window and bridge: the worker is gone")
		})
	}
}

// A dedicated worker's name (new Worker(url, {name})) is WorkerOptions.Name,
// read through Scope.Name as self.name; without one it is empty.
func TestWorkerName(t *testing.T) {
	tests := []struct{ name, want string }{{"analyzer", "analyzer"}, {"", ""}}
	for _, tt := range tests {
		t.Run("name="+tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.spawnWindow("https://a.example", func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Started); ok {
					_, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
						if _, ok := ctx.Message().(*actor.Started); ok {
							g := actors.ScopeOf(ctx)
							require.NotNil(t, g)
							e.report(ctx, fmt.Sprintf("%s %q", g.Kind(), g.Name()))
						}
					}), actors.WorkerOptions{Name: tt.name})
					require.NoError(t, err)
				}
			})
			assert.Equal(t, fmt.Sprintf("%s %q", actors.KindDedicatedWorker, tt.want), e.next())
		})
	}
}
