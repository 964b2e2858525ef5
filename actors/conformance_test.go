package actors_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scenario tests written against the HTML Standard (window.postMessage,
// MessageEvent, workers, timers), one behaviour each.

// An unparsable targetOrigin is a SyntaxError thrown before the message is
// serialized: it wins over a DataCloneError, and nothing in the transfer
// list is detached or shipped.
func TestTargetOriginSyntaxErrorBeforeSerialize(t *testing.T) {
	e := newEnv(t)
	w := e.echoWindow(origin.MustParse("https://a.example"))
	for _, target := range []string{"example.org", "http://foo bar", "null", "a.example", "//a.example", "", "https://a<b.example"} {
		t.Run(target, func(t *testing.T) {
			local, remote, err := e.bridge.NewChannel(e.ctx())
			require.NoError(t, err)
			buf := messages.NewArrayBuffer(make([]byte, 8))
			err = e.bridge.Do(e.ctx(), func(ctx actor.Context) error {
				return w.PostMessage(ctx, func() {}, target, buf, remote)
			})
			require.Error(t, err)
			assert.ErrorIs(t, err, messages.ErrSyntax, "SyntaxError, not DataCloneError: %v", err)
			assert.NotErrorIs(t, err, messages.ErrDataClone)
			assert.False(t, buf.Detached())
			assert.False(t, remote.Detached(), "the port was not shipped")
			// The port still works: post it for real.
			require.NoError(t, e.bridge.PostMessage(e.ctx(), w, "again", "*", remote))
			assert.Equal(t, "again from https://test.example", e.next())
			ev, err := local.Receive(e.ctx())
			require.NoError(t, err)
			assert.Equal(t, "port works", ev.Data)
		})
	}
}

// targetOrigin values that parse are reduced to their origin: path,
// trailing slash, query, case of scheme and host, default port,
// userinfo and redundant slashes do not matter.
func TestTargetOriginReducedToOrigin(t *testing.T) {
	e := newEnv(t)
	w := e.echoWindow(origin.MustParse("https://a.example"))
	tests := []struct {
		target    string
		delivered bool
	}{
		{"https://a.example", true},
		{"https://a.example/", true},
		{"https://a.example//", true},
		{"https://a.example/some/path.html?q=1#frag", true},
		{"HTTPS://A.EXAMPLE/", true},
		{"https://A.Example:443/x", true},
		{"https://user:pw@a.example/", true},
		{" https://a.example ", true},
		{"https:a.example", true},
		{"https:\\\\a.example\\x", true},
		{"https://%61.example", true},
		{"*", true},
		{"https://a.example:8443", false},
		{"http://a.example", false},
		{"wss://a.example", false},
		{"https://b.example", false},
		{"https://a.example.", false},
		{"/", false}, // the bridge is https://test.example
		{"file:///a.example", false},
		{"data:text/html,a.example", false},
	}
	for _, tt := range tests {
		require.NoError(t, e.bridge.PostMessage(e.ctx(), w, tt.target, tt.target), tt.target)
		require.NoError(t, e.bridge.PostMessage(e.ctx(), w, "marker", "*"))
		if tt.delivered {
			assert.Equal(t, tt.target+" from https://test.example", e.next(), "%q is delivered", tt.target)
		}
		assert.Equal(t, "marker from https://test.example", e.next(), "%q: next message", tt.target)
	}
}

// Opaque origins: a sandboxed frame's origin serializes as "null" in the
// events it sends; only "*" reaches it (not "null", not its creator's
// origin); "/" from an opaque context reaches that same context only.
func TestOpaqueOriginFrames(t *testing.T) {
	e := newEnv(t)
	var frame *actors.WindowProxy
	e.spawnWindow("https://top.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			var err error
			frame, err = actors.CreateIFrame(ctx, origin.MustParse("https://top.example"), actors.Func(func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *actor.Started:
					g := actors.ScopeOf(ctx)
					e.report(ctx, "frame origin "+g.Origin().String())
					// "/" to itself: an opaque origin is same origin
					// with itself.
					require.NoError(t, actors.WindowOf(ctx.Self()).PostMessage(ctx, "self", "/"))
					require.NoError(t, g.Parent().PostMessage(ctx, "to parent", "*"))
				case *ports.MessageEvent:
					e.report(ctx, fmt.Sprintf("frame got %v from %s", m.Data, m.Origin))
				}
			}), actors.IFrameOptions{Sandbox: true})
			require.NoError(t, err)
		case *ports.MessageEvent:
			e.report(ctx, fmt.Sprintf("top got %v from %s", m.Data, m.Origin))
			if m.Data == "to parent" {
				// Reply through the source, to every target but "*" first.
				src := actors.WindowOf(m.Source)
				require.NoError(t, src.PostMessage(ctx, "same origin as me", "/"))
				require.NoError(t, src.PostMessage(ctx, "to top's origin", "https://top.example"))
				err := src.PostMessage(ctx, "to null", "null")
				assert.ErrorIs(t, err, messages.ErrSyntax)
				require.NoError(t, src.PostMessage(ctx, "star", "*"))
			}
		}
	})
	got := []any{e.next(), e.next(), e.next()}
	assert.ElementsMatch(t, []any{"frame origin null", "frame got self from null", "top got to parent from null"}, got)
	assert.Equal(t, "frame got star from https://top.example", e.next(), "only * reaches an opaque origin")
	e.quiet()
	assert.NotNil(t, frame)
}

// MessageEvent of a window message: data, origin (the sender's), source
// (a reference that can be replied through), lastEventId "", ports
// adopted by the receiver (usable at once, in transfer-list order).
func TestWindowMessageEventFields(t *testing.T) {
	e := newEnv(t)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && m.Target == nil {
			desc := fmt.Sprintf("data=%v origin=%s lastEventId=%q ports=%d target=%v", m.Data, m.Origin, m.LastEventID, len(m.Ports), m.Target == nil)
			for i, p := range m.Ports {
				require.NoError(t, p.PostMessage(ctx, fmt.Sprintf("port %d", i)))
			}
			require.NoError(t, actors.WindowOf(m.Source).PostMessage(ctx, desc, m.Origin))
		}
	})
	l1, r1, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	l2, r2, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	require.NoError(t, e.bridge.PostMessage(e.ctx(), actors.WindowOf(w), "hi", "https://a.example", r1, r2))
	ev, err := e.bridge.Await(e.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
	require.NoError(t, err)
	m := ev.(*ports.MessageEvent)
	assert.Equal(t, `data=hi origin=https://test.example lastEventId="" ports=2 target=true`, m.Data)
	assert.Equal(t, "https://a.example", m.Origin)
	assert.True(t, m.Source.Equal(w))
	for i, l := range []*actors.BridgePort{l1, l2} {
		ev, err := l.Receive(e.ctx())
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("port %d", i), ev.Data, "ports in transfer-list order")
	}
	// No window message without a port carries any: ports is empty.
	require.NoError(t, e.bridge.PostMessage(e.ctx(), actors.WindowOf(w), "bare", "*"))
	ev, err = e.bridge.Await(e.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
	require.NoError(t, err)
	assert.Contains(t, ev.(*ports.MessageEvent).Data, "ports=0")
}

// An iframe can post to its parent and to top; a nested iframe's top is
// the top-level window.
func TestIFrameParentAndTop(t *testing.T) {
	e := newEnv(t)
	inner := actors.Func(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			g := actors.ScopeOf(ctx)
			require.NoError(t, g.Parent().PostMessage(ctx, "inner to parent", "https://middle.example"))
			require.NoError(t, g.Top().PostMessage(ctx, "inner to top", "https://top.example"))
			require.NoError(t, g.Top().PostMessage(ctx, "inner to top, wrong origin", "https://middle.example"))
		}
	})
	middle := actors.Func(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			_, err := actors.CreateIFrame(ctx, origin.MustParse("https://inner.example"), inner, actors.IFrameOptions{})
			require.NoError(t, err)
		case *ports.MessageEvent:
			e.report(ctx, fmt.Sprintf("middle got %q from %s", m.Data, m.Origin))
		}
	})
	top := e.spawnWindow("https://top.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			g := actors.ScopeOf(ctx)
			require.True(t, g.Top().PID().Equal(ctx.Self()), "a window is its own top")
			require.True(t, g.Parent().PID().Equal(ctx.Self()), "and its own parent")
			_, err := actors.CreateIFrame(ctx, origin.MustParse("https://middle.example"), middle, actors.IFrameOptions{})
			require.NoError(t, err)
		case *ports.MessageEvent:
			e.report(ctx, fmt.Sprintf("top got %q from %s", m.Data, m.Origin))
		}
	})
	got := []any{e.next(), e.next()}
	assert.ElementsMatch(t, []any{`middle got "inner to parent" from https://inner.example`, `top got "inner to top" from https://inner.example`}, got)
	e.quiet()
	_ = top
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
// their peers get close after what was posted; messages the worker posted
// before are still delivered to the creator.
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

// Plugin.Run on something that is not a live context returns at once
// with an InvalidStateError instead of waiting for its ctx.
func TestRunOnDeadContext(t *testing.T) {
	e := newEnv(t)
	w := e.spawnWindow("https://a.example", func(actor.Context) {})
	require.NoError(t, e.plugin.Run(e.ctx(), w, func(actor.Context) error { return nil }))
	e.plugin.Destroy(e.sys.Root, w)
	require.Eventually(t, func() bool { return e.plugin.Contexts() == 1 }, wait, time.Millisecond)
	start := time.Now()
	err := e.plugin.Run(e.ctx(), w, func(actor.Context) error { return nil })
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	plain := e.sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	err = e.plugin.Run(e.ctx(), plain, func(actor.Context) error { return nil })
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	assert.Less(t, time.Since(start), time.Second)
	e.sys.Root.Stop(plain)
}

// Misuse returns typed errors (matching the DOMException sentinels of the
// messages package) and changes nothing; nothing panics.
func TestMisuseErrorsAreTyped(t *testing.T) {
	e := newEnv(t)
	type result struct {
		name string
		err  error
	}
	results := make(chan []result, 1)
	var frame *actors.WindowProxy
	var worker *actors.Worker
	made := make(chan struct{}) // closed once frame and worker are set
	creator := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			var err error
			frame, err = actors.CreateIFrame(ctx, origin.MustParse("https://f.example"), actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
			require.NoError(t, err)
			worker, err = actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Started); ok {
					var rs []result
					rs = append(rs, result{"window.postMessage from a worker", actors.WindowOf(ctx.Self()).PostMessage(ctx, 1, "*")})
					_, err := actors.CreateIFrame(ctx, origin.MustParse("https://x.example"), actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
					rs = append(rs, result{"CreateIFrame from a worker", err})
					results <- rs // a Go channel: errors are not for cloning
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
			close(made)
		}
	})
	var fromWorker []result
	select {
	case fromWorker = <-results:
	case <-e.ctx().Done():
		t.Fatal("the worker did not report")
	}
	select {
	case <-made:
	case <-e.ctx().Done():
		t.Fatal("the creator did not finish its Started")
	}
	require.NotNil(t, worker)
	var rs []result
	other := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); !ok {
			return
		}
		var nilProxy *actors.WindowProxy
		var nilWorker *actors.Worker
		rs = append(rs,
			result{"Terminate by another context", worker.Terminate(ctx)},
			result{"Worker.PostMessage by another context", worker.PostMessage(ctx, 1)},
			result{"RemoveIFrame of another's frame", actors.RemoveIFrame(ctx, frame)},
			result{"RemoveIFrame(nil)", actors.RemoveIFrame(ctx, nil)},
			result{"WorkerPostMessage from a window", actors.WorkerPostMessage(ctx, 1)},
			result{"nil WindowProxy", nilProxy.PostMessage(ctx, 1, "*")},
			result{"nil Worker PostMessage", nilWorker.PostMessage(ctx, 1)},
			result{"nil Worker Terminate", nilWorker.Terminate(ctx)},
		)
		_, err := actors.SetTimeout(ctx, time.Second, nil)
		rs = append(rs, result{"SetTimeout(nil)", err})
		_, err = actors.NewSharedWorker(ctx, "", "", func() actor.Actor { return actor.ReceiveFunc(func(actor.Context) {}) })
		rs = append(rs, result{"NewSharedWorker empty script: SyntaxError", err})
		_, err = actors.CreateIFrame(ctx, origin.Origin{}, actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
		rs = append(rs, result{"CreateIFrame zero origin: SyntaxError", err})
		_, err = actors.NewWorker(ctx, nil, actors.WorkerOptions{})
		rs = append(rs, result{"NewWorker nil producer", err})
		e.report(ctx, "done")
	})
	assert.Equal(t, "done", e.next())
	rs = append(fromWorker, rs...)
	for _, r := range rs {
		want := messages.ErrInvalidState
		if strings.Contains(r.name, "SyntaxError") {
			want = messages.ErrSyntax
		}
		assert.ErrorIs(t, r.err, want, r.name)
	}
	// Nothing changed: the worker and the frame are alive.
	e.quiet()
	assert.Equal(t, 5, e.plugin.Contexts(), "two windows, the frame, the worker, the bridge")
	_, err := actors.NewWorker(nil, actors.Func(func(actor.Context) {}), actors.WorkerOptions{})
	assert.ErrorIs(t, err, messages.ErrInvalidState, "a nil actor context")
	_, err = e.plugin.NewBridge(origin.Origin{})
	assert.ErrorIs(t, err, messages.ErrSyntax)
	_, _ = creator, other
}

// The Bridge: receive with a deadline, as a Go channel (closed when the
// ctx ends), request/reply, and what happens after Close.
func TestBridgeReceiveChannelRequestClose(t *testing.T) {
	e := newEnv(t)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
			p := m.Ports[0]
			require.NoError(t, p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
				if ev.Data == "silence" {
					return
				}
				_ = p.PostMessage(ctx, fmt.Sprint("re: ", ev.Data))
			}))
		}
	})
	require.NoError(t, e.bridge.PostMessage(e.ctx(), actors.WindowOf(w), nil, "*", remote))
	ev, err := local.Request(e.ctx(), "ping")
	require.NoError(t, err)
	assert.Equal(t, "re: ping", ev.Data)

	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = local.Request(short, "silence")
	assert.ErrorIs(t, err, context.DeadlineExceeded, "Receive with a deadline")
	_, err = e.bridge.Next(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	chCtx, stop := context.WithCancel(context.Background())
	c := local.C(chCtx)
	require.NoError(t, local.PostMessage(e.ctx(), 1))
	select {
	case ev := <-c:
		assert.Equal(t, "re: 1", ev.Data)
	case <-e.ctx().Done():
		t.Fatal("nothing on the channel")
	}
	stop()
	for range c { // closed once ctx ends
	}

	require.NoError(t, e.bridge.Close(e.ctx()))
	_, err = e.bridge.Next(e.ctx())
	assert.ErrorIs(t, err, actors.ErrClosed)
	_, err = local.Receive(e.ctx())
	assert.ErrorIs(t, err, actors.ErrClosed)
	assert.ErrorIs(t, local.PostMessage(e.ctx(), 2), messages.ErrInvalidState)
	assert.ErrorIs(t, e.bridge.PostTo(e.ctx(), w, 3), messages.ErrInvalidState)
	_, _, err = e.bridge.NewChannel(e.ctx())
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	e.quiet()
}

// slowDispatcher runs an actor's mailbox only after a delay, so that its
// Started comes late.
type slowDispatcher struct{ delay time.Duration }

func (d slowDispatcher) Schedule(fn func()) { time.AfterFunc(d.delay, fn) }
func (slowDispatcher) Throughput() int      { return 300 }

// WaitQuiet also waits for contexts that were spawned but have not yet
// run their Started (and for the messages already in their mailboxes):
// the stress test's model once saw a port "lost" in the mailbox of a
// worker that had not started.
func TestWaitQuietWaitsForStartingContexts(t *testing.T) {
	e := newEnv(t)
	var started, got atomic.Bool
	w := e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			started.Store(true)
		case *ports.MessageEvent:
			got.Store(true)
		}
	}, actor.WithDispatcher(slowDispatcher{delay: 100 * time.Millisecond})))
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, "queued before Started"))
	e.quiet()
	assert.True(t, started.Load(), "WaitQuiet returned before the window started")
	assert.True(t, got.Load(), "WaitQuiet returned before the window took its message")
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

// Shutdown also ends a context that was spawned just before it and had not
// started yet: when Shutdown returns, no actor of the plugin is left.
func TestShutdownEndsStartingContexts(t *testing.T) {
	e := newEnv(t)
	w := e.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			_, err := ports.NewMessageChannel(ctx)
			assert.Error(t, err, "a context that starts after Shutdown began is being destroyed")
		}
	}, actor.WithDispatcher(slowDispatcher{delay: 50 * time.Millisecond})))
	require.NoError(t, e.plugin.Shutdown(e.ctx()))
	_, alive := e.sys.ProcessRegistry.Get(w)
	assert.False(t, alive, "Shutdown returned while a context of the plugin was still to start")
	assert.Zero(t, e.plugin.Contexts())
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
