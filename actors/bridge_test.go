package actors_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// The bridge's port as a Go channel.
func TestBridgePortChannel(t *testing.T) {
	e := newEnv(t)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
			for i := 0; i < 100; i++ {
				_ = m.Ports[0].PostMessage(ctx, i)
			}
			_ = m.Ports[0].Close(ctx)
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	n := 0
	for ev := range local.C(e.ctx()) {
		require.Equal(t, n, ev.Data)
		n++
	}
	assert.Equal(t, 100, n, "every message, in order, then the channel closes")
}
