package actors_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The MDN example of the Channel Messaging API: a window embeds a
// cross-origin iframe, sends it port2 with a targetOrigin, and the iframe
// answers on the port.
func TestIFrameHandshake(t *testing.T) {
	e := newEnv(t)
	frame := func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && m.Target == nil {
			require.Len(t, m.Ports, 1)
			port := m.Ports[0]
			e.report(ctx, fmt.Sprintf("frame got %v from %s", m.Data, m.Origin))
			_ = port.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
				_ = port.PostMessage(ctx, fmt.Sprintf("frame answers %v", ev.Data))
			})
			_ = port.PostMessage(ctx, "hello from the frame")
		}
	}
	var frameOrigin, frameParentIsWindow string
	e.spawnWindow("https://main.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			f, err := actors.CreateIFrame(ctx, origin.MustParse("https://frame.example:8443/page.html"), actors.Func(func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Started); ok {
					g := actors.ScopeOf(ctx)
					frameOrigin = g.Origin().String()
					frameParentIsWindow = fmt.Sprint(g.Parent().PID().Equal(g.Top().PID()))
				}
				frame(ctx)
			}), actors.IFrameOptions{})
			require.NoError(t, err)
			ch, err := ports.NewMessageChannel(ctx)
			require.NoError(t, err)
			require.NoError(t, ch.Port1.Start(ctx))
			require.NoError(t, f.PostMessage(ctx, "init", "https://frame.example:8443", ch.Port2))
		case *ports.MessageEvent:
			e.report(ctx, fmt.Sprintf("window got %v", m.Data))
			if m.Data == "hello from the frame" {
				_ = m.Target.PostMessage(ctx, "ping")
			}
		}
	})
	assert.Equal(t, "frame got init from https://main.example", e.next())
	assert.Equal(t, "window got hello from the frame", e.next())
	assert.Equal(t, "window got frame answers ping", e.next())
	e.quiet()
	assert.Equal(t, "https://frame.example:8443", frameOrigin)
	assert.Equal(t, "true", frameParentIsWindow)
}

// MessageEvent of a window message: data, origin (the sender's), source
// (a reference that can be replied through), lastEventId "", ports
// adopted by the receiver (usable at once, in transfer-list order).
func TestWindowMessageEventFields(t *testing.T) {
	e := newEnv(t)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && m.Target == nil {
			desc := fmt.Sprintf("data=%v origin=%s lastEventId=%q ports=%d target=%v", m.Data, m.Origin, m.LastEventID(), len(m.Ports), m.Target == nil)
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

func TestWindowMessageSourceReply(t *testing.T) {
	e := newEnv(t)
	pid := e.sys.Root.SpawnPrefix(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && m.Target == nil {
			_ = actors.WindowOf(m.Source).PostMessage(ctx, "re: "+m.Data.(string), m.Origin)
		}
	}), "window")
	require.NoError(t, e.bridge.PostMessage(e.ctx(), actors.WindowOf(pid), "hi", "https://a.example"))
	ev, err := e.bridge.Await(e.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
	require.NoError(t, err)
	m := ev.(*ports.MessageEvent)
	assert.Equal(t, "re: hi", m.Data)
	assert.Equal(t, "https://a.example", m.Origin)
	assert.True(t, m.Source.Equal(pid))
	for _, f := range reflect.VisibleFields(reflect.TypeOf(*m)) {
		assert.NotContains(t, []string{"Kind", "TargetOrigin"}, f.Name, "the plugin's routing fields are not shown to user code")
	}
}

func TestWindowPostMessageFromWorkerIsInvalid(t *testing.T) {
	e := newEnv(t)
	target := e.echoWindow(origin.MustParse("https://a.example"))
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			_, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Started); ok {
					err := target.PostMessage(ctx, "x", "*")
					e.report(ctx, errors.Is(err, messages.ErrInvalidState))
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
		}
	})
	assert.Equal(t, true, e.next())
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
