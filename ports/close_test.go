package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCloseDeliversWhatWasPostedThenOneCloseEvent(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port1.Close(ctx))
		require.NoError(t, ch.Port1.Close(ctx), "Close is idempotent")
		require.NoError(t, ch.Port1.PostMessage(ctx, "after close"), "posting on a closed port is a silent no-op")
	})
	for i := 1; i <= 3; i++ {
		assert.Equal(t, i, b.nextMessage().Data)
	}
	ce := b.nextClose()
	assert.Same(t, p, ce.Target)
	assert.Equal(t, CloseByPeer, ce.Reason)
	b.quiet(50 * time.Millisecond)
	a.quiet(10 * time.Millisecond) // standard mode: the closer gets no close event
	b.do(func(ctx actor.Context) {
		require.NoError(t, p.PostMessage(ctx, "to a closed peer"), "posting after the peer closed is a silent no-op")
	})
	a.quiet(20 * time.Millisecond)
}

func TestCloseDropsUndispatchedMessagesAtTheCloser(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "never seen"))
		require.NoError(t, ch.Port2.Close(ctx))
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.Start(ctx))
	})
	ce := a.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	a.quiet(30 * time.Millisecond)
}

func TestCloseInsideHandlerStopsFurtherDispatch(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	seen := make(chan any, 10)
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			seen <- ev.Data
			require.NoError(t, ev.Target.Close(ctx))
		}))
	})
	assert.Equal(t, 1, <-seen)
	a.nextClose() // Port1 learns that Port2 closed
	a.quiet(30 * time.Millisecond)
	assert.Empty(t, seen)
}

func TestCloseEventModes(t *testing.T) {
	for _, tc := range []struct {
		mode          CloseEventMode
		peer, closer  bool
		closerReasons CloseReason
	}{
		{mode: CloseEventsStandard, peer: true},
		{mode: CloseEventsBoth, peer: true, closer: true, closerReasons: CloseSelf},
		{mode: CloseEventsNone},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			sys := newSystem(t, WithCloseEvents(tc.mode))
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
			p := b.nextMessage().Ports[0]
			b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
			if tc.peer {
				assert.Equal(t, CloseByPeer, b.nextClose().Reason)
			}
			if tc.closer {
				ce := a.nextClose()
				assert.Same(t, ch.Port1, ce.Target)
				assert.Equal(t, tc.closerReasons, ce.Reason)
			}
			a.quiet(30 * time.Millisecond)
			b.quiet(10 * time.Millisecond)
		})
	}
}

func TestCloseEventFiresOnNeverStartedPort(t *testing.T) {
	// WPT close-event/explicitly-closed: the partner gets close although
	// its queue was never started.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	b.nextMessage()
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	assert.Equal(t, CloseByPeer, b.nextClose().Reason)
}

func TestCloseEventWaitsForQueuedMessages(t *testing.T) {
	// Messages the peer posted before closing come first, even when the
	// port is started (or read with TryReceive) only after the close.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	for _, useTry := range []bool{false, true} {
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
		p := b.nextMessage().Ports[0]
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.PostMessage(ctx, "queued"))
			require.NoError(t, ch.Port1.Close(ctx))
		})
		b.quiet(30 * time.Millisecond)
		if useTry {
			var ev *MessageEvent
			b.do(func(ctx actor.Context) {
				var ok bool
				var err error
				ev, ok, err = p.TryReceive(ctx)
				require.NoError(t, err)
				require.True(t, ok)
			})
			assert.Equal(t, "queued", ev.Data)
		} else {
			b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
			assert.Equal(t, "queued", b.nextMessage().Data)
		}
		assert.Equal(t, CloseByPeer, b.nextClose().Reason)
	}
}

func TestDoomedChannel(t *testing.T) {
	// The other end of the same channel in the transfer list: no error,
	// the message is dropped, and the sending end gets its close event.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	other := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, other.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, "doomed", ch.Port2, other.Port1))
		assert.True(t, ch.Port2.Detached(), "the listed port was transferred")
		assert.True(t, other.Port1.Detached(), "so was the other listed port")
	})
	closed := map[*MessagePort]bool{}
	for len(closed) < 2 {
		closed[a.nextClose().Target] = true
	}
	assert.True(t, closed[ch.Port1], "the sending end gets close")
	assert.True(t, closed[other.Port2], "the peer of a port lost with the message gets close")
	a.quiet(30 * time.Millisecond)
}
