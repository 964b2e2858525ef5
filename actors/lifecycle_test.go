package actors_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// portHolder is a frame or worker that, when it starts, hands the bridge
// one end of a new channel and posts "<name> 1..3" on the other, then
// keeps it open. It embeds a child frame named child if child != "".
func (e *env) portHolder(name, child string) actor.Producer {
	return actors.Func(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			if child != "" {
				_, err := actors.CreateIFrame(ctx, origin.MustParse("https://"+child+".example"), e.portHolder(child, ""), actors.IFrameOptions{})
				require.NoError(e.t, err)
			}
			ch, err := ports.NewMessageChannel(ctx)
			require.NoError(e.t, err)
			require.NoError(e.t, ports.PostTo(ctx, e.bridge.PID(), name, ch.Port2))
			for i := 1; i <= 3; i++ {
				require.NoError(e.t, ch.Port1.PostMessage(ctx, fmt.Sprintf("%s %d", name, i)))
			}
		}
	})
}

// holderPorts collects n ports handed over by portHolders, by name.
func (e *env) holderPorts(n int) map[string]*actors.BridgePort {
	got := map[string]*actors.BridgePort{}
	for len(got) < n {
		v, err := e.bridge.Await(e.ctx(), func(v any) bool {
			m, ok := v.(*ports.MessageEvent)
			return ok && len(m.Ports) == 1
		})
		require.NoError(e.t, err)
		m := v.(*ports.MessageEvent)
		bp, err := e.bridge.Wrap(e.ctx(), m.Ports[0])
		require.NoError(e.t, err)
		got[m.Data.(string)] = bp
	}
	return got
}

// expectPrefixThenClose checks that bp delivers "<name> 1..3" and then
// closes.
func (e *env) expectPrefixThenClose(name string, bp *actors.BridgePort) {
	for i := 1; i <= 3; i++ {
		ev, err := bp.Receive(e.ctx())
		require.NoError(e.t, err, name)
		assert.Equal(e.t, fmt.Sprintf("%s %d", name, i), ev.Data)
	}
	_, err := bp.Receive(e.ctx())
	assert.ErrorIs(e.t, err, actors.ErrClosed, "%s: one close after the messages", name)
}

// Removing a frame destroys the frames nested in it; every port they held
// delivers what was posted, then closes, at its peer.
func TestNestedIFrameDestroyClosesPorts(t *testing.T) {
	e := newEnv(t)
	var frame *actors.WindowProxy // touched only by the top window
	top := e.spawnWindow("https://top.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			f, err := actors.CreateIFrame(ctx, origin.MustParse("https://middle.example"), e.portHolder("middle", "inner"), actors.IFrameOptions{})
			require.NoError(t, err)
			frame = f
		case *ports.MessageEvent:
			if m.Data == "remove" {
				e.report(ctx, actors.RemoveIFrame(ctx, frame) == nil)
				err := actors.RemoveIFrame(ctx, actors.WindowOf(ctx.Self()))
				e.report(ctx, errors.Is(err, messages.ErrInvalidState))
			}
		}
	})
	got := e.holderPorts(2)
	require.NoError(t, actorstest.WaitQuiet(e.ctx(), e.plugin))
	assert.Equal(t, 4, e.plugin.Contexts(), "top, middle, inner, bridge")
	require.NoError(t, e.bridge.PostTo(e.ctx(), top, "remove"))
	assert.Equal(t, true, e.next(), "the parent removes its frame")
	assert.Equal(t, true, e.next(), "RemoveIFrame of something that is not a frame of the caller is an InvalidStateError")
	e.expectPrefixThenClose("middle", got["middle"])
	e.expectPrefixThenClose("inner", got["inner"])
	require.Eventually(t, func() bool { return e.plugin.Contexts() == 2 }, wait, time.Millisecond)
}

// A port posted out of a context that is destroyed right after is not
// lost: the transfer finishes, then the context retires.
func TestDestroyFinishesTransfers(t *testing.T) {
	e := newEnv(t)
	for round := 0; round < 20; round++ {
		w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
			if _, ok := ctx.Message().(*actor.Started); ok {
				ch, err := ports.NewMessageChannel(ctx)
				require.NoError(t, err)
				for i := 1; i <= 3; i++ {
					require.NoError(t, ch.Port2.PostMessage(ctx, fmt.Sprintf("w %d", i)))
				}
				// Port1 leaves with a message, and the window closes
				// in the same task.
				require.NoError(t, ports.PostTo(ctx, e.bridge.PID(), "w", ch.Port1))
				require.NoError(t, actors.Close(ctx))
			}
		})
		got := e.holderPorts(1)
		for i := 1; i <= 3; i++ {
			ev, err := got["w"].Receive(e.ctx())
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("w %d", i), ev.Data)
		}
		// Port2 stayed in the window and closed with it.
		_, err := got["w"].Receive(e.ctx())
		assert.ErrorIs(t, err, actors.ErrClosed)
		_ = w
	}
}

// A panic in a task is the web's uncaught exception: the task ends, an
// ErrorEvent goes to the context and the EventStream, and the context
// keeps running with its ports.
func TestPanicKeepsContextAndPorts(t *testing.T) {
	e := newEnv(t)
	published := make(chan *actors.ErrorEvent, 4)
	sub := e.sys.EventStream.Subscribe(func(ev any) {
		if m, ok := ev.(*actors.ErrorEvent); ok {
			published <- m
		}
	})
	defer e.sys.EventStream.Unsubscribe(sub)

	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ports.MessageEvent:
			if len(m.Ports) == 1 {
				p := m.Ports[0]
				require.NoError(t, p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
					if ev.Data == "boom in handler" {
						panic("handler exploded")
					}
					_ = p.PostMessage(ctx, "echo "+ev.Data.(string))
				}))
				return
			}
			if m.Data == "boom" {
				panic(errors.New("task exploded"))
			}
		case *actors.ErrorEvent:
			e.report(ctx, "error event: "+m.Err.Error())
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	ev, err := local.Request(e.ctx(), "one")
	require.NoError(t, err)
	assert.Equal(t, "echo one", ev.Data)

	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "boom"))
	assert.Equal(t, "error event: task exploded", e.next())
	pub := <-published
	assert.True(t, pub.Context.Equal(w))
	assert.Contains(t, pub.Stack, "lifecycle_test.go")

	require.NoError(t, local.PostMessage(e.ctx(), "boom in handler"))
	assert.Equal(t, "error event: handler exploded", e.next())

	ev, err = local.Request(e.ctx(), "two")
	require.NoError(t, err)
	assert.Equal(t, "echo two", ev.Data, "the context and its port survived both panics")
	assert.Equal(t, 2, e.plugin.Contexts())
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

// Shutdown ends every context within its deadline, gracefully.
func TestShutdown(t *testing.T) {
	e := newEnv(t)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
			_ = m.Ports[0].PostMessage(ctx, "last words")
			_, _ = actors.NewWorker(ctx, actors.Func(func(actor.Context) {}), actors.WorkerOptions{})
			e.report(ctx, "ready")
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	assert.Equal(t, "ready", e.next())
	ev, err := local.Receive(e.ctx())
	require.NoError(t, err)
	assert.Equal(t, "last words", ev.Data)

	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	require.NoError(t, e.plugin.Shutdown(ctx))
	assert.Equal(t, 0, e.plugin.Contexts())
	_, err = local.Receive(e.ctx())
	assert.ErrorIs(t, err, actors.ErrClosed)
	assert.Zero(t, e.plugin.Ports().Stats().PortActors)
}

// Calls that need a context fail cleanly elsewhere.
func TestCallsOutsideContexts(t *testing.T) {
	e := newEnv(t)
	pid := e.sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			_, err1 := actors.NewWorker(ctx, actors.Func(func(actor.Context) {}), actors.WorkerOptions{})
			_, err2 := actors.SetTimeout(ctx, time.Second, func(actor.Context) {})
			err3 := actors.Close(ctx)
			_, err4 := actors.CreateIFrame(ctx, origin.MustParse("https://a.example"), actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
			e.report(ctx, errors.Is(err1, messages.ErrInvalidState) && errors.Is(err2, messages.ErrInvalidState) &&
				errors.Is(err3, messages.ErrInvalidState) && errors.Is(err4, messages.ErrInvalidState) && actors.ScopeOf(ctx) == nil)
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware)))
	assert.Equal(t, true, e.next())
	e.sys.Root.Stop(pid)
}

// Shutdown gives up at its deadline and stops what is left hard.
func TestShutdownDeadline(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && m.Data == "block" {
			e.report(ctx, "blocking")
			<-release
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "block"))
	assert.Equal(t, "blocking", e.next())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := e.plugin.Shutdown(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	close(release)
	require.Eventually(t, func() bool { return e.plugin.Contexts() == 0 }, wait, time.Millisecond)
}

// A burst on a port is dispatched in batches, one Receive per event; a
// panic in the handler of one event ends that task only: the events
// behind it in the same batch still come, in order.
func TestPanicInABurstKeepsTheEventsBehindIt(t *testing.T) {
	e := newEnv(t)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	release := make(chan struct{})
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ports.MessageEvent:
			if len(m.Ports) == 1 {
				require.NoError(t, m.Ports[0].OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
					switch ev.Data {
					case "hold":
						<-release // the burst piles up behind this task
					case 5:
						panic("the fifth exploded")
					default:
						e.report(ctx, ev.Data)
					}
				}))
			}
		case *actors.ErrorEvent:
			e.report(ctx, "error event: "+m.Err.Error())
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	require.NoError(t, local.PostMessage(e.ctx(), "hold"))
	const n = 200
	for i := 0; i < n; i++ {
		require.NoError(t, local.PostMessage(e.ctx(), i))
	}
	close(release)
	var got []any
	failures := 0
	for len(got) < n-1 {
		switch v := e.next(); v {
		case "error event: the fifth exploded":
			failures++
		default:
			got = append(got, v)
		}
	}
	for i, v := range got {
		want := i
		if i >= 5 {
			want = i + 1
		}
		require.Equal(t, want, v, "in order, the fifth missing")
	}
	if failures == 0 {
		assert.Equal(t, "error event: the fifth exploded", e.next())
	}
}
