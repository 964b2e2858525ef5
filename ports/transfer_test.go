package ports

// Moving ports: the transfer-receiving steps (a new handle whose queue is
// disabled again and keeps its messages), a transfer from inside a
// dispatch, both ends of one channel moved together, and a port that comes
// back to the actor of its peer.

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestTransferredPortStartsDisabled(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
		require.NoError(t, ch.Port1.PostMessage(ctx, "x"))
	})
	p := b.nextMessage().Ports[0]
	b.quiet(50 * time.Millisecond)
	assert.Equal(t, []any{"x"}, startAndRead(t, b, p, 1))
}

// Transfer-receiving steps: the new port's queue is disabled again and holds
// the undelivered messages, even those whose dispatch was already due at
// the old owner (the port had been started). Carried over a port, not
// PostTo.
func TestTransferredPortArrivesDisabledWithItsQueue(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	carrier := newChannel(t, a)
	far := moveTo(t, a, b, carrier.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, ch.Port1.PostMessage(ctx, 2))
		// Both are due at a (started), but not yet dispatched: they move.
		require.NoError(t, carrier.Port1.PostMessage(ctx, "port", ch.Port2))
		require.NoError(t, ch.Port1.PostMessage(ctx, 3))
	})
	ev := b.nextMessage()
	require.Same(t, far, ev.Target)
	require.Len(t, ev.Ports, 1)
	moved := ev.Ports[0]
	assert.NotSame(t, ch.Port2, moved, "the received port is a new object")
	b.quiet(50 * time.Millisecond)
	a.quiet(10 * time.Millisecond)
	assert.Equal(t, seq(1, 3), startAndRead(t, b, moved, 3))
}

func TestTransferDuringDispatch(t *testing.T) {
	// WPT Channel_postMessage_transfer_during_dispatch: the port is
	// shipped from inside the handler of its first message; the rest of
	// the queue moves with it, nothing is delivered twice.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	first := make(chan any, 1)
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 5; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			first <- ev.Data
			require.NoError(t, PostTo(ctx, b.pid, nil, ev.Target))
		}))
	})
	p := b.nextMessage().Ports[0]
	assert.Equal(t, 1, <-first)
	assert.Equal(t, []any{2, 3, 4, 5}, startAndRead(t, b, p, 4))
	a.quiet(20 * time.Millisecond)
}

// WPT Channel_postMessage_transfer_during_dispatch: the receiving port is
// transferred (over another channel of the same context) from inside the
// handler of its first message; the messages behind it move with it and
// are delivered once, in order, at the new port.
func TestTransferDuringDispatchMovesTheRestOfTheQueue(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	carrier := newChannel(t, a)
	seen := make(chan any, 10)
	a.do(func(ctx actor.Context) {
		require.NoError(t, carrier.Port2.Start(ctx))
		for i := 1; i <= 4; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			seen <- ev.Data
			require.NoError(t, carrier.Port1.PostMessage(ctx, "moving", ev.Target))
		}))
	})
	assert.Equal(t, 1, receive(t, seen, "the first message"))
	ev := a.nextMessage()
	require.Same(t, carrier.Port2, ev.Target)
	require.Len(t, ev.Ports, 1)
	moved := ev.Ports[0]
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 5)) })
	a.quiet(30 * time.Millisecond) // the moved port is not started
	assert.Equal(t, seq(2, 5), startAndRead(t, a, moved, 4))
	assert.Empty(t, seen, "the old handler ran once")
	a.quiet(20 * time.Millisecond)
}

// The same from a Receive (no handler), transferring to another actor, with
// a TryReceive inside the dispatch: each message is seen exactly once.
func TestTransferDuringDispatchFromReceive(t *testing.T) {
	sys := newSystem(t)
	var ch *MessageChannel
	b := newProbe(t, sys, "b")
	a := newHookProbe(t, sys, "a", func(ctx actor.Context, ev any) {
		me, ok := ev.(*MessageEvent)
		if !ok || me.Target != ch.Port2 || me.Data != 1 {
			return
		}
		got, ok, err := me.Target.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, 2, got.Data)
		require.NoError(t, PostTo(ctx, b.pid, "moving", me.Target))
	})
	ch = newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		for i := 1; i <= 5; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	assert.Equal(t, 1, a.nextMessage().Data)
	moved := b.nextMessage().Ports[0]
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 6)) })
	assert.Equal(t, seq(3, 6), startAndRead(t, b, moved, 4))
	a.quiet(30 * time.Millisecond)
	b.quiet(10 * time.Millisecond)
}

func TestBothEndsInOneMessage(t *testing.T) {
	// WPT event.ports: both ports of one channel in one transfer list.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "queued"))
		require.NoError(t, PostTo(ctx, b.pid, "both", ch.Port1, ch.Port2))
	})
	ev := b.nextMessage()
	require.Len(t, ev.Ports, 2)
	p1, p2 := ev.Ports[0], ev.Ports[1]
	b.do(func(ctx actor.Context) { require.NoError(t, p1.PostMessage(ctx, "again")) })
	assert.Equal(t, []any{"queued", "again"}, startAndRead(t, b, p2, 2))
	eventually(t, func() bool { return Get(sys).Stats().Proxies == 0 }, "proxies retire")
}

// WPT Channel_postMessage_with_transfer_entangled: both ends of a channel
// in one message over a port of the same context, with a message pending;
// then more messages: order 1, 2, 3.
func TestBothEndsTransferredTogetherOverAPort(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	carrier := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, carrier.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, carrier.Port1.PostMessage(ctx, "both", ch.Port1, ch.Port2))
	})
	ev := a.nextMessage()
	require.Len(t, ev.Ports, 2)
	p1, p2 := ev.Ports[0], ev.Ports[1]
	a.do(func(ctx actor.Context) {
		require.NoError(t, p1.PostMessage(ctx, 2))
		require.NoError(t, p1.PostMessage(ctx, 3))
	})
	assert.Equal(t, seq(1, 3), startAndRead(t, a, p2, 3))
}

// A port sent back to the actor that owns its peer (over another channel)
// is a moved port: both ends then live in one actor and talk both ways.
func TestPortComesHomeToItsPeer(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	far := moveTo(t, a, b, ch.Port2)
	b.do(func(ctx actor.Context) {
		require.NoError(t, far.PostMessage(ctx, "from b"))
		require.NoError(t, PostTo(ctx, a.pid, "home", far))
	})
	home := a.nextMessage().Ports[0]
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "to home"))
		require.NoError(t, home.PostMessage(ctx, "from home"))
	})
	assert.Equal(t, []any{"from b", "from home"}, startAndRead(t, a, ch.Port1, 2))
	assert.Equal(t, []any{"to home"}, startAndRead(t, a, home, 1))
	waitPortActors(t, sys, 2)
}
