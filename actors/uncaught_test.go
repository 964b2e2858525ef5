package actors_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	assert.Contains(t, pub.Stack, "uncaught_test.go")

	require.NoError(t, local.PostMessage(e.ctx(), "boom in handler"))
	assert.Equal(t, "error event: handler exploded", e.next())

	ev, err = local.Request(e.ctx(), "two")
	require.NoError(t, err)
	assert.Equal(t, "echo two", ev.Data, "the context and its port survived both panics")
	assert.Equal(t, 2, e.plugin.Contexts())
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

// A panic while handling a port's message (in Receive, not in an
// OnMessage handler), in a dedicated worker's first task, and in a shared
// worker's connect handler: each is an ErrorEvent, and the context keeps
// its ports.
func TestPanicInOtherTasks(t *testing.T) {
	e := newEnv(t)
	errs := make(chan *actors.ErrorEvent, 8)
	sub := e.sys.EventStream.Subscribe(func(ev any) {
		if m, ok := ev.(*actors.ErrorEvent); ok {
			errs <- m
		}
	})
	defer e.sys.EventStream.Unsubscribe(sub)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ports.MessageEvent:
			if m.Target == nil && len(m.Ports) == 1 {
				require.NoError(t, m.Ports[0].Start(ctx))
				panic("while adopting a port")
			}
			if m.Target != nil {
				if m.Data == "boom" {
					panic("port message")
				}
				require.NoError(t, m.Target.PostMessage(ctx, "echo "+m.Data.(string)))
			}
		case *actors.ErrorEvent:
			e.report(ctx, "error: "+m.Err.Error())
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	assert.Equal(t, "error: while adopting a port", e.next())
	ev, err := local.Request(e.ctx(), "a")
	require.NoError(t, err)
	assert.Equal(t, "echo a", ev.Data, "the port adopted in the task that panicked is kept")
	require.NoError(t, local.PostMessage(e.ctx(), "boom"))
	assert.Equal(t, "error: port message", e.next())
	for i := 0; i < 3; i++ {
		ev, err = local.Request(e.ctx(), fmt.Sprint(i))
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint("echo ", i), ev.Data, "the port goes on delivering after the panic")
	}

	e.spawnWindow("https://b.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			wk, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *actor.Started:
					panic("worker start")
				case *ports.MessageEvent:
					require.NoError(t, actors.WorkerPostMessage(ctx, fmt.Sprint("worker got ", m.Data)))
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
			require.NoError(t, wk.PostMessage(ctx, 1))
			sw, err := actors.NewSharedWorker(ctx, "s.js", "", func() actor.Actor {
				return actor.ReceiveFunc(func(ctx actor.Context) {
					switch m := ctx.Message().(type) {
					case *actors.ConnectEvent:
						require.NoError(t, m.Port.Start(ctx))
						require.NoError(t, m.Port.PostMessage(ctx, "shared hello"))
						panic("connect")
					case *ports.MessageEvent:
						require.NoError(t, m.Target.PostMessage(ctx, fmt.Sprint("shared got ", m.Data)))
					}
				})
			})
			require.NoError(t, err)
			require.NoError(t, sw.Port.Start(ctx))
			require.NoError(t, sw.Port.PostMessage(ctx, 2))
		case *ports.MessageEvent:
			e.report(ctx, m.Data)
		}
	})
	got := []any{e.next(), e.next(), e.next()}
	assert.ElementsMatch(t, []any{"worker got 1", "shared hello", "shared got 2"}, got)
	seen := map[string]bool{}
	for len(seen) < 4 {
		select {
		case m := <-errs:
			seen[m.Err.Error()] = true
		case <-e.ctx().Done():
			t.Fatalf("ErrorEvents on the EventStream: %v", seen)
		}
	}
	assert.True(t, seen["worker start"] && seen["connect"], "%v", seen)
}

// A panic in a ReenterAfter continuation (which protoactor runs as a
// system message, past the receiver middleware) is an uncaught exception
// too: no restart, the context keeps its ports.
func TestPanicInReenterAfterContinuation(t *testing.T) {
	e := newEnv(t)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Restarting:
			e.report(ctx, "restarting")
		case *actors.ErrorEvent:
			c, ok := m.Message.(*actors.Continuation)
			e.report(ctx, fmt.Sprintf("error event: %v (continuation of %v: %v)", m.Err, ok, c.Message.(*ports.MessageEvent).Data))
		case *ports.MessageEvent:
			if len(m.Ports) == 1 {
				p := m.Ports[0]
				require.NoError(t, p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) { _ = p.PostMessage(ctx, ev.Data) }))
				return
			}
			f := actor.NewFuture(ctx.ActorSystem(), wait)
			ctx.Send(f.PID(), "done")
			ctx.ReenterAfter(f, func(any, error) { panic("in continuation") })
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	ev, err := local.Request(e.ctx(), 1)
	require.NoError(t, err)
	assert.Equal(t, 1, ev.Data)
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "go"))
	assert.Equal(t, "error event: in continuation (continuation of true: go)", e.next())
	ev, err = local.Request(e.ctx(), 2)
	require.NoError(t, err, "the port survived")
	assert.Equal(t, 2, ev.Data)
}

// ErrorEvent.Message is the message the user's code was handling, as it
// received it: the port's MessageEvent for a panic in Receive (the one
// that panicked, also deep in a batch), never the ports package's
// plumbing; for a panic in a port's OnMessage handler, the MessageEvent
// the handler was given; nil where no message was being handled (a timer
// callback, a function given to Plugin.Run).
func TestErrorEventMessageIsWhatTheCodeHandled(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	describe := func(m any) string {
		if ev, ok := m.(*ports.MessageEvent); ok {
			return fmt.Sprintf("%T %v (target set: %v)", m, ev.Data, ev.Target != nil)
		}
		return fmt.Sprintf("%T", m)
	}
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	handled, handledRemote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ports.MessageEvent:
			switch {
			case m.Data == "receive" && len(m.Ports) == 1:
				require.NoError(t, m.Ports[0].Start(ctx))
			case m.Data == "handler" && len(m.Ports) == 1:
				require.NoError(t, m.Ports[0].OnMessage(ctx, func(actor.Context, *ports.MessageEvent) { panic("in a handler") }))
			case m.Data == "hold":
				<-release
			case m.Data == "timer":
				_, err := actors.SetTimeout(ctx, 0, func(actor.Context) { panic("in a timer") })
				require.NoError(t, err)
			case m.Data == "boom" || m.Data == "boom in a batch":
				panic("in Receive")
			}
		case *actors.ErrorEvent:
			e.report(ctx, fmt.Sprintf("%v: %s", m.Err, describe(m.Message)))
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "receive", remote))
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "handler", handledRemote))

	require.NoError(t, local.PostMessage(e.ctx(), "boom"))
	assert.Equal(t, "in Receive: *ports.MessageEvent boom (target set: true)", e.next())

	// A burst: the panic is in the fourth event of one batch.
	require.NoError(t, local.PostMessage(e.ctx(), "hold"))
	for _, v := range []string{"one", "two", "boom in a batch"} {
		require.NoError(t, local.PostMessage(e.ctx(), v))
	}
	close(release)
	assert.Equal(t, "in Receive: *ports.MessageEvent boom in a batch (target set: true)", e.next())

	require.NoError(t, handled.PostMessage(e.ctx(), "x"))
	assert.Equal(t, "in a handler: *ports.MessageEvent x (target set: true)", e.next())
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "timer"))
	assert.Equal(t, "in a timer: <nil>", e.next())
	assert.Error(t, e.plugin.Run(e.ctx(), w, func(actor.Context) error { panic("in Run") }))
	assert.Equal(t, "in Run: <nil>", e.next())
}
