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

// Timers with the same delay run in the order they were set (HTML:
// "wait until any invocations ... that started before this one, and whose
// timeout is equal to or less than this one's, have completed"), and a
// shorter one set later may run before.
func TestTimersOrder(t *testing.T) {
	e := newEnv(t)
	const n = 200
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			var order []int
			for i := 0; i < n; i++ {
				i := i
				_, err := actors.SetTimeout(ctx, time.Millisecond, func(ctx actor.Context) {
					order = append(order, i)
					if len(order) == n {
						e.report(ctx, order)
					}
				})
				require.NoError(t, err)
			}
		}
	})
	got := e.next().([]int)
	for i, v := range got {
		require.Equal(t, i, v, "timers with equal delays fire in the order set")
	}

	// A shorter timer set later runs first; a timer cleared by an earlier
	// callback does not run; ids are positive and distinct.
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			var order []string
			var late actors.TimerID
			done := func(ctx actor.Context) { e.report(ctx, order) }
			id1, err := actors.SetTimeout(ctx, 30*time.Millisecond, func(ctx actor.Context) {
				order = append(order, "30ms")
				_, _ = actors.SetTimeout(ctx, 20*time.Millisecond, done)
			})
			require.NoError(t, err)
			id2, err := actors.SetTimeout(ctx, 5*time.Millisecond, func(ctx actor.Context) {
				order = append(order, "5ms")
				require.NoError(t, actors.ClearTimeout(ctx, late))
			})
			require.NoError(t, err)
			late, err = actors.SetTimeout(ctx, 10*time.Millisecond, func(ctx actor.Context) { order = append(order, "cleared") })
			require.NoError(t, err)
			require.NotZero(t, id1)
			require.NotEqual(t, id1, id2)
			require.NoError(t, actors.ClearTimeout(ctx, 9999), "clearing an unknown timer does nothing")
		}
	})
	assert.Equal(t, []string{"5ms", "30ms"}, e.next())
}

// A context that keeps posting to itself does not starve its timers or
// other senders.
func TestTimerFairness(t *testing.T) {
	e := newEnv(t)
	type spin struct{ n int }
	stopSpin := make(chan struct{})
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			_, err := actors.SetTimeout(ctx, 20*time.Millisecond, func(ctx actor.Context) { e.report(ctx, "timer") })
			require.NoError(t, err)
			id, err := actors.SetTimeout(ctx, 10*time.Millisecond, func(ctx actor.Context) { e.report(ctx, "cleared timer ran") })
			require.NoError(t, err)
			require.NoError(t, actors.ClearTimeout(ctx, id))
			ctx.Send(ctx.Self(), &spin{})
		case *spin:
			select {
			case <-stopSpin:
				e.report(ctx, fmt.Sprintf("spun %d", m.n))
				return
			default:
			}
			ctx.Send(ctx.Self(), &spin{n: m.n + 1})
		case *ports.MessageEvent:
			e.report(ctx, "other sender: "+m.Data.(string))
		}
	})
	assert.Equal(t, "timer", e.next(), "the timer fires while the context spins")
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "hello"))
	assert.Equal(t, "other sender: hello", e.next(), "another sender gets through while it spins")
	close(stopSpin)
	assert.Regexp(t, "^spun [0-9]+$", e.next())
}

// A port message handler that posts again on its channel forever does not
// starve a 0 ms timer or another sender (WPT
// MessageEvent_onmessage_postMessage_infinite_loop).
func TestPortInfiniteLoopDoesNotStarve(t *testing.T) {
	for _, mode := range []string{"onmessage", "receive"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t)
			stop := make(chan struct{})
			w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *actor.Started:
					ch, err := ports.NewMessageChannel(ctx)
					require.NoError(t, err)
					count := 0
					again := func(ctx actor.Context) {
						count++
						select {
						case <-stop:
							return
						default:
						}
						require.NoError(t, ch.Port2.PostMessage(ctx, count))
					}
					if mode == "onmessage" {
						require.NoError(t, ch.Port1.OnMessage(ctx, func(ctx actor.Context, _ *ports.MessageEvent) { again(ctx) }))
					} else {
						require.NoError(t, ch.Port1.Start(ctx))
						ctx.Send(ctx.Self(), again)
					}
					require.NoError(t, ch.Port2.PostMessage(ctx, 0))
					_, err = actors.SetTimeout(ctx, 0, func(ctx actor.Context) { e.report(ctx, "timer") })
					require.NoError(t, err)
				case func(actor.Context):
					_ = m
				case *ports.MessageEvent:
					if m.Target == nil {
						e.report(ctx, "other sender")
						return
					}
					// Only in "receive" mode: the port's messages come
					// here.
					select {
					case <-stop:
						return
					default:
					}
					require.NoError(t, m.Target.PostMessage(ctx, "x"))
				}
			})
			assert.Equal(t, "timer", e.next())
			require.NoError(t, e.bridge.PostTo(e.ctx(), w, "hi"))
			assert.Equal(t, "other sender", e.next())
			close(stop)
		})
	}
}

// A window posting to itself with window.postMessage forever does not
// starve its timers or other senders.
func TestWindowSelfPostLoopDoesNotStarve(t *testing.T) {
	e := newEnv(t)
	stop := make(chan struct{})
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			require.NoError(t, actors.WindowOf(ctx.Self()).PostMessage(ctx, "loop", "/"))
			_, err := actors.SetTimeout(ctx, 0, func(ctx actor.Context) { e.report(ctx, "timer") })
			require.NoError(t, err)
		case *ports.MessageEvent:
			if m.Data != "loop" {
				e.report(ctx, "other sender")
				return
			}
			select {
			case <-stop:
			default:
				require.NoError(t, actors.WindowOf(ctx.Self()).PostMessage(ctx, "loop", "/"))
			}
		}
	})
	assert.Equal(t, "timer", e.next())
	require.NoError(t, e.bridge.PostMessage(e.ctx(), actors.WindowOf(w), "hi", "*"))
	assert.Equal(t, "other sender", e.next())
	close(stop)
}
