package actors_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
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
