package actors_test

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The MDN example of the Channel Messaging API: a window embeds a
// cross-origin iframe, sends it port2 with a targetOrigin, and the iframe
// answers on the port.
func TestMDNHandshake(t *testing.T) {
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
