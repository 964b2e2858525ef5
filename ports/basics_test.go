package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostThenStartDelivers(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	var ch *MessageChannel
	a.do(func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
	})
	a.quiet(50 * time.Millisecond) // the queue starts disabled
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	ev := a.nextMessage()
	assert.Equal(t, 1, ev.Data)
	assert.Same(t, ch.Port2, ev.Target)
	assert.Empty(t, ev.Ports)
}

func TestTransferToAnotherContext(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	b := newProbe(t, sys, "b")
	var ch *MessageChannel
	a.do(func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
		require.NoError(t, ch.Port1.PostMessage(ctx, "before"))
		require.NoError(t, PostTo(ctx, b.pid, "here is a port", ch.Port2))
		require.NoError(t, ch.Port1.PostMessage(ctx, "after"))
		require.NoError(t, ch.Port1.Start(ctx))
	})
	ev := b.nextMessage()
	require.Len(t, ev.Ports, 1)
	p := ev.Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	assert.Equal(t, "before", b.nextMessage().Data)
	assert.Equal(t, "after", b.nextMessage().Data)
	b.do(func(ctx actor.Context) { require.NoError(t, p.PostMessage(ctx, "reply")) })
	assert.Equal(t, "reply", a.nextMessage().Data)
	b.do(func(ctx actor.Context) { require.NoError(t, p.Close(ctx)) })
	ce := a.nextClose()
	assert.Equal(t, CloseByPeer, ce.Reason)
	assert.Same(t, ch.Port1, ce.Target)
	ext := Get(sys)
	eventually(t, func() bool { return ext.Stats().Proxies == 0 }, "proxies retire")
}
