package ports

// Close and close events: what is delivered and what is dropped around a
// close, the close-event modes (standard, both, none), exactly one
// CloseEvent per end, and closes while a port is on the move.

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
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

// WPT message-channels/close.any.js: messages to and from a closed port
// are dropped, also through a shipped partner; messages posted before the
// close are delivered; close inside a handler loses nothing already
// posted by the closer; close detaches only itself.
func TestCloseSemantics(t *testing.T) {
	t.Run("to a closed port", func(t *testing.T) {
		sys := newSystem(t)
		a := newProbe(t, sys, "a")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port2.Start(ctx))
			require.NoError(t, ch.Port2.Close(ctx))
			require.NoError(t, ch.Port1.PostMessage(ctx, "dropped"))
		})
		assert.Same(t, ch.Port1, a.nextClose().Target)
		a.quiet(30 * time.Millisecond)
	})
	t.Run("from a closed port", func(t *testing.T) {
		sys := newSystem(t)
		a := newProbe(t, sys, "a")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port2.Start(ctx))
			require.NoError(t, ch.Port1.Close(ctx))
			require.NoError(t, ch.Port1.PostMessage(ctx, "dropped"))
		})
		assert.Same(t, ch.Port2, a.nextClose().Target)
		a.quiet(30 * time.Millisecond)
	})
	t.Run("to a closed port from a transferred port", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Close(ctx)) })
		moved := moveTo(t, a, b, ch.Port1)
		b.do(func(ctx actor.Context) {
			require.NoError(t, moved.PostMessage(ctx, "dropped"))
			require.NoError(t, moved.Start(ctx))
		})
		// The port's close event fired at a before it moved (its queue
		// was empty); it does not fire again at b.
		assert.Same(t, ch.Port1, a.nextClose().Target)
		a.quiet(30 * time.Millisecond)
		b.quiet(10 * time.Millisecond)
	})
	t.Run("in flight when the sender closes", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		far := moveTo(t, a, b, ch.Port2)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.PostMessage(ctx, "first"))
			require.NoError(t, ch.Port1.PostMessage(ctx, "second"))
			require.NoError(t, ch.Port1.Close(ctx))
		})
		assert.Equal(t, []any{"first", "second"}, startAndRead(t, b, far, 2))
		ce := b.nextClose()
		assert.Same(t, far, ce.Target)
		assert.Equal(t, CloseByPeer, ce.Reason)
		b.quiet(30 * time.Millisecond)
	})
	t.Run("reply then close inside a handler", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		far := moveTo(t, a, b, ch.Port2)
		handled := make(chan any, 10)
		b.do(func(ctx actor.Context) {
			require.NoError(t, far.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
				handled <- ev.Data
				require.NoError(t, ev.Target.PostMessage(ctx, "pong"))
				require.NoError(t, ev.Target.Close(ctx))
			}))
		})
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.Start(ctx))
			require.NoError(t, ch.Port1.PostMessage(ctx, "ping"))
			require.NoError(t, ch.Port1.PostMessage(ctx, "not dispatched: the port closed"))
		})
		assert.Equal(t, "pong", a.nextMessage().Data)
		assert.Same(t, ch.Port1, a.nextClose().Target)
		assert.Equal(t, "ping", receive(t, handled, "ping"))
		a.quiet(30 * time.Millisecond)
		assert.Empty(t, handled, "a closed port dispatches nothing more")
	})
	t.Run("close detaches only itself", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.Close(ctx))
			require.NoError(t, ch.Port1.Close(ctx), "close twice is fine")
			assert.True(t, ch.Port1.Detached())
			assert.False(t, ch.Port2.Detached())
			err := PostTo(ctx, b.pid, nil, ch.Port1)
			assert.ErrorIs(t, err, messages.ErrDataClone)
			require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2), "the partner can still be transferred")
		})
		moved := b.nextMessage().Ports[0]
		b.do(func(ctx actor.Context) { require.NoError(t, moved.Start(ctx)) })
		assert.Same(t, moved, b.nextClose().Target)
		a.quiet(30 * time.Millisecond)
		b.quiet(10 * time.Millisecond)
	})
	t.Run("messages queued at the closer are dropped and their ports close", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		carrier := newChannel(t, a)
		far := moveTo(t, a, b, carrier.Port2)
		inside := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, inside.Port1.Start(ctx))
			require.NoError(t, carrier.Port1.PostMessage(ctx, "carrier", inside.Port2))
		})
		b.quiet(30 * time.Millisecond) // far is not started: the carrier waits
		b.do(func(ctx actor.Context) {
			require.NoError(t, far.Close(ctx))
			require.NoError(t, far.Start(ctx))
		})
		got := closesOf(t, a, 2)
		assert.Contains(t, got, carrier.Port1)
		assert.Contains(t, got, inside.Port1, "the port inside the dropped message is closed")
		a.quiet(30 * time.Millisecond)
		b.quiet(10 * time.Millisecond)
		a.do(func(ctx actor.Context) {
			require.NoError(t, carrier.Port1.Close(ctx))
			require.NoError(t, inside.Port1.Close(ctx))
		})
		waitPortActors(t, sys, 0)
	})
}

// Messages that reached a port but were not dispatched when it is closed
// are dropped: they are counted in Stats.Dropped and reported together, in
// one MessageDropped event naming the port with their count.
func TestCloseCountsTheMessagesItDrops(t *testing.T) {
	sys := newSystem(t)
	dropped := subscribe[*MessageDropped](t, sys)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	before := Get(sys).Stats().Dropped
	a.do(func(ctx actor.Context) {
		for i := 0; i < 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port2.Close(ctx))
	})
	md := receive(t, dropped, "MessageDropped")
	assert.True(t, md.Port.Equal(ch.Port2.PID()))
	assert.Equal(t, 3, md.Count, "one report for the three messages")
	assert.Equal(t, before+3, Get(sys).Stats().Dropped)
	assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
	assert.Equal(t, int64(0), Get(sys).queued.Load(), "the stripes sum to zero, unclamped")
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

// Close-event modes: exactly one CloseEvent per end that should get one,
// whichever end closes first and even when both close.
func TestCloseEventModesExactlyOnce(t *testing.T) {
	for _, tc := range []struct {
		mode CloseEventMode
		// what the first closer and the second closer see, in order
		first, second []CloseReason
	}{
		{mode: CloseEventsStandard, first: nil, second: []CloseReason{CloseByPeer}},
		{mode: CloseEventsBoth, first: []CloseReason{CloseSelf}, second: []CloseReason{CloseByPeer}},
		{mode: CloseEventsNone},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			sys := newSystem(t, WithCloseEvents(tc.mode))
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			far := moveTo(t, a, b, ch.Port2)
			b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
			var firstGot, secondGot []CloseReason
			for range tc.second {
				ce := b.nextClose()
				assert.Same(t, far, ce.Target)
				secondGot = append(secondGot, ce.Reason)
			}
			// The second end closes too, after it saw the close.
			b.do(func(ctx actor.Context) { require.NoError(t, far.Close(ctx)) })
			for range tc.first {
				ce := a.nextClose()
				assert.Same(t, ch.Port1, ce.Target)
				firstGot = append(firstGot, ce.Reason)
			}
			a.quiet(50 * time.Millisecond)
			b.quiet(20 * time.Millisecond)
			assert.Equal(t, tc.first, firstGot)
			assert.Equal(t, tc.second, secondGot, "a port gets one CloseEvent, even if it is closed after its peer")
			waitPortActors(t, sys, 0)
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

// Close while the peer is in transit: the moving port arrives with
// everything posted before the close, then exactly one CloseEvent.
func TestCloseWhileThePeerIsInTransit(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, ch.Port1.PostMessage(ctx, 2))
		require.NoError(t, PostTo(ctx, b.pid, "port", ch.Port2))
		require.NoError(t, ch.Port1.PostMessage(ctx, 3))
		require.NoError(t, ch.Port1.Close(ctx))
	})
	moved := b.nextMessage().Ports[0]
	assert.Equal(t, seq(1, 3), startAndRead(t, b, moved, 3))
	ce := b.nextClose()
	assert.Same(t, moved, ce.Target)
	assert.Equal(t, CloseByPeer, ce.Reason)
	b.quiet(30 * time.Millisecond)
	a.quiet(10 * time.Millisecond)
	b.do(func(ctx actor.Context) { require.NoError(t, moved.Close(ctx)) })
	waitPortActors(t, sys, 0)
}

// Both ends move at once and one of them is closed as soon as it arrives,
// while the other keeps posting: the closed end's peer gets everything
// the closer posted, then one CloseEvent; no port actor is left.
func TestCrossingTransferThenImmediateClose(t *testing.T) {
	sys := newSystem(t)
	a, b, c := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c")
	closer := newHookProbe(t, sys, "closer", func(ctx actor.Context, ev any) {
		if me, ok := ev.(*MessageEvent); ok && len(me.Ports) == 1 {
			require.NoError(t, me.Ports[0].PostMessage(ctx, "last words"))
			require.NoError(t, me.Ports[0].Close(ctx))
		}
	})
	ch := newChannel(t, a)
	far := moveTo(t, a, b, ch.Port2)
	b.do(func(ctx actor.Context) {
		for i := 1; i <= 5; i++ {
			require.NoError(t, far.PostMessage(ctx, i))
		}
		require.NoError(t, PostTo(ctx, c.pid, "far", far))
	})
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, closer.pid, "near", ch.Port1)) })
	closer.nextMessage()
	atC := c.nextMessage().Ports[0]
	assert.Equal(t, []any{"last words"}, startAndRead(t, c, atC, 1))
	ce := c.nextClose()
	assert.Same(t, atC, ce.Target)
	c.do(func(ctx actor.Context) { require.NoError(t, atC.PostMessage(ctx, "into the void")) })
	c.quiet(30 * time.Millisecond)
	closer.quiet(10 * time.Millisecond)
	c.do(func(ctx actor.Context) { require.NoError(t, atC.Close(ctx)) })
	waitPortActors(t, sys, 0)
}
