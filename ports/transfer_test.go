package ports

import (
	"time"

	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collect starts p (owned by pr) and returns the data of the next n
// messages that arrive on it.
func collect(t *testing.T, pr *probe, p *MessagePort, n int) []any {
	t.Helper()
	pr.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	var got []any
	for len(got) < n {
		ev := pr.nextMessage()
		require.Same(t, p, ev.Target)
		got = append(got, ev.Data)
	}
	return got
}

func newChannel(t testing.TB, pr *probe) *MessageChannel {
	t.Helper()
	var ch *MessageChannel
	pr.do(func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
	})
	return ch
}

func TestMessagesQueuedBeforeShippingFollowThePort(t *testing.T) {
	// WPT Channel_postMessage_with_transfer_incoming_messages.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
		for i := 4; i <= 6; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	p := b.nextMessage().Ports[0]
	assert.Equal(t, []any{1, 2, 3, 4, 5, 6}, collect(t, b, p, 6))
}

func TestRapidRetransferKeepsOrder(t *testing.T) {
	// A port moves a -> b -> c -> d, each hop posting before the port was
	// ever started, while the other end keeps posting.
	sys := newSystem(t)
	a, b, c, d := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c"), newProbe(t, sys, "d")
	ch := newChannel(t, a)
	next := 1
	postSome := func(ctx actor.Context, n int) {
		for i := 0; i < n; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, next))
			next++
		}
	}
	a.do(func(ctx actor.Context) {
		postSome(ctx, 2)
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
		postSome(ctx, 2)
	})
	var p *MessagePort
	p = b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, c.pid, nil, p)) })
	a.do(func(ctx actor.Context) { postSome(ctx, 2) })
	p = c.nextMessage().Ports[0]
	c.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, d.pid, nil, p)) })
	a.do(func(ctx actor.Context) { postSome(ctx, 2) })
	p = d.nextMessage().Ports[0]
	assert.Equal(t, []any{1, 2, 3, 4, 5, 6, 7, 8}, collect(t, d, p, 8))
	eventually(t, func() bool { return Get(sys).Stats().Proxies == 0 }, "the chain of proxies collapses")
}

func TestCrossingTransfersOfBothEnds(t *testing.T) {
	// Both ends move at once to different contexts, with messages in
	// flight both ways.
	sys := newSystem(t)
	a, b, c := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "1>"))
		require.NoError(t, ch.Port2.PostMessage(ctx, "<1"))
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port1))
		require.NoError(t, PostTo(ctx, c.pid, nil, ch.Port2))
	})
	p1 := b.nextMessage().Ports[0]
	p2 := c.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p1.PostMessage(ctx, "2>")) })
	c.do(func(ctx actor.Context) { require.NoError(t, p2.PostMessage(ctx, "<2")) })
	assert.Equal(t, []any{"1>", "2>"}, collect(t, c, p2, 2))
	assert.Equal(t, []any{"<1", "<2"}, collect(t, b, p1, 2))
	eventually(t, func() bool { return Get(sys).Stats().Proxies == 0 }, "both proxies retire")
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
	assert.Equal(t, []any{"queued", "again"}, collect(t, b, p2, 2))
	eventually(t, func() bool { return Get(sys).Stats().Proxies == 0 }, "proxies retire")
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
	assert.Equal(t, []any{2, 3, 4, 5}, collect(t, b, p, 4))
	a.quiet(20 * time.Millisecond)
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
	assert.Equal(t, []any{"x"}, collect(t, b, p, 1))
}

func TestPortInsideTheData(t *testing.T) {
	type carrier struct {
		Name string
		Port *MessagePort
	}
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, b.pid, &carrier{Name: "n", Port: ch.Port2}, ch.Port2))
	})
	ev := b.nextMessage()
	got, ok := ev.Data.(*carrier)
	require.True(t, ok, "data keeps its Go type")
	require.Len(t, ev.Ports, 1)
	assert.Same(t, ev.Ports[0], got.Port, "the port in the data is the adopted handle")
}
