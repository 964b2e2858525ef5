package ports

// Review tests: scenarios a protoactor user runs into around the
// channel-messaging contract (stops, restarts, ports in data, counting).

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// MessageEvent.Ports is in transfer-list order, and references in the data
// resolve to the same new handles, whatever order the data holds them in.
func TestReviewPortsFollowTransferListOrder(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	x, y := newChannel(t, a), newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port1.PostMessage(ctx, "for x"))
		require.NoError(t, y.Port1.PostMessage(ctx, "for y"))
		require.NoError(t, PostTo(ctx, b.pid, []any{y.Port2, x.Port2, y.Port2}, x.Port2, y.Port2))
	})
	ev := b.nextMessage()
	require.Len(t, ev.Ports, 2)
	data := ev.Data.([]any)
	assert.Same(t, ev.Ports[1], data[0])
	assert.Same(t, ev.Ports[0], data[1])
	assert.Same(t, data[0], data[2], "one object referenced twice stays one")
	assert.Equal(t, []any{"for x"}, startAndRead(t, b, ev.Ports[0], 1))
	assert.Equal(t, []any{"for y"}, startAndRead(t, b, ev.Ports[1], 1))
}

// A receiver stopped hard before it read a PostTo carrier: the ports in it
// are lost and their peers close; nothing hangs.
func TestReviewReceiverStoppedBeforeReadingACarrier(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, "to the lost port"))
		require.NoError(t, PostTo(ctx, b.pid, "carrier", ch.Port2))
		ctx.Stop(b.pid) // a system message: b stops before it reads the carrier
	})
	ce := a.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	a.quiet(30 * time.Millisecond)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	waitPortActors(t, sys, 0)
}

// A restart after a panic inside an OnMessage handler is fail-stop for the
// actor's ports (their peers close once), and afterwards the actor owns
// ports again from scratch.
func TestReviewRestartFromHandlerPanicThenOwnPortsAgain(t *testing.T) {
	sys := newSystem(t)
	owner := newProbe(t, sys, "owner")
	peer := newProbe(t, sys, "peer")
	ch := newChannel(t, owner)
	far := moveTo(t, owner, peer, ch.Port2)
	peer.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	owner.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.OnMessage(ctx, func(actor.Context, *MessageEvent) { panic("handler bug") }))
	})
	peer.do(func(ctx actor.Context) { require.NoError(t, far.PostMessage(ctx, "boom")) })
	ce := peer.nextClose()
	assert.Same(t, far, ce.Target)
	peer.quiet(30 * time.Millisecond)
	var open int
	owner.do(func(ctx actor.Context) { open = OpenPorts(ctx) })
	assert.Equal(t, 0, open, "the restarted actor owns nothing")
	again := newChannel(t, owner)
	owner.do(func(ctx actor.Context) {
		require.NoError(t, again.Port1.PostMessage(ctx, "after restart"))
		require.NoError(t, again.Port2.Start(ctx))
	})
	assert.Equal(t, "after restart", owner.nextMessage().Data)
}

// A carrier that reaches an actor just before its PoisonPill: the port in
// it is adopted and closed with the stop, its peer gets one CloseEvent,
// and the actor does stop.
func TestReviewPortArrivingJustBeforePoisonClosesItsPeer(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, PostTo(ctx, b.pid, "carrier", ch.Port2))
		ctx.Poison(b.pid)
	})
	ce := a.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	eventually(t, func() bool {
		_, alive := sys.ProcessRegistry.Get(b.pid)
		return !alive
	}, "b stops")
	a.quiet(30 * time.Millisecond)
}

// Messages that reached a port but were not dispatched when it is closed
// are dropped: they are counted in Stats.Dropped and each is reported
// with a MessageDropped event naming the port.
func TestReviewCloseCountsTheMessagesItDrops(t *testing.T) {
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
	for i := 0; i < 3; i++ {
		md := receive(t, dropped, "MessageDropped")
		assert.True(t, md.Port.Equal(ch.Port2.PID()))
	}
	assert.Equal(t, before+3, Get(sys).Stats().Dropped)
	assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
}

// Buffers and ports in a message posted to an actor that is stopping
// gracefully: the ports close at their peers, nothing leaks.
func TestReviewPostToDrainingActorAbandonsPorts(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	b := newHookProbe(t, sys, "b", nil)
	ch := newChannel(t, a)
	b.do(func(ctx actor.Context) { require.NoError(t, Drain(ctx)) })
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, PostTo(ctx, b.pid, "too late", ch.Port2, messages.NewArrayBuffer([]byte{1})))
	})
	assert.Same(t, ch.Port1, a.nextClose().Target)
	b.quiet(30 * time.Millisecond)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	waitPortActors(t, sys, 0)
}

// TryReceive on a port just received, from inside the Receive of the event
// that brought it: the messages that were queued at the old owner moved
// with the port (transfer steps move the queue), so they have reached it.
func TestReviewTryReceiveOnAJustReceivedPort(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan []any, 1)
	b := newHookProbe(t, sys, "b", func(ctx actor.Context, ev any) {
		me, ok := ev.(*MessageEvent)
		if !ok || len(me.Ports) != 1 {
			return
		}
		var data []any
		for {
			e, ok, err := me.Ports[0].TryReceive(ctx)
			require.NoError(t, err)
			if !ok {
				break
			}
			data = append(data, e.Data)
		}
		got <- data
	})
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, PostTo(ctx, b.pid, "port", ch.Port2))
	})
	assert.Equal(t, seq(1, 3), receive(t, got, "what TryReceive took"))
	b.nextMessage()
}

// Close while the peer is in transit: the moving port arrives with
// everything posted before the close, then exactly one CloseEvent.
func TestReviewCloseWhileThePeerIsInTransit(t *testing.T) {
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
func TestReviewCrossingTransferThenImmediateClose(t *testing.T) {
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

// A port sent back to the actor that owns its peer (over another channel)
// is a moved port: both ends then live in one actor and talk both ways.
func TestReviewPortComesHomeToItsPeer(t *testing.T) {
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

// doc.go: a graceful stop waits for the ports the owner posted away; one
// whose carrier sits in a queue that is never started keeps the owner
// (lingering) until it is stopped hard, and then its peer closes.
func TestReviewGracefulStopLingersOnAnUnstartedCarrierQueue(t *testing.T) {
	sys := newSystem(t)
	w, b, z := newProbe(t, sys, "w"), newProbe(t, sys, "b"), newProbe(t, sys, "z")
	ch := newChannel(t, w)
	zEnd := moveTo(t, w, z, ch.Port1)
	z.do(func(ctx actor.Context) { require.NoError(t, zEnd.Start(ctx)) })
	carrier := newChannel(t, w)
	bEnd := moveTo(t, w, b, carrier.Port2) // never started
	w.do(func(ctx actor.Context) {
		require.NoError(t, carrier.Port1.PostMessage(ctx, "port", ch.Port2))
		ctx.Poison(ctx.Self())
	})
	// (bEnd's close event waits behind the carrier in its queue.)
	b.quiet(50 * time.Millisecond)
	_, alive := sys.ProcessRegistry.Get(w.pid)
	assert.True(t, alive, "w lingers while its shipped port is unclaimed")
	z.quiet(10 * time.Millisecond)
	require.NoError(t, sys.Root.StopFuture(w.pid).Wait())
	ce := z.nextClose()
	assert.Same(t, zEnd, ce.Target)
	assert.Equal(t, CloseLost, ce.Reason, "the port in transit was lost")
	// b's carrier queue still holds the (now dead) port: starting it
	// delivers a port that is closed at once.
	b.do(func(ctx actor.Context) {
		ev, ok, err := bEnd.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok, "the carrier is still there")
		require.Len(t, ev.Ports, 1)
		require.NoError(t, ev.Ports[0].Start(ctx))
	})
	got := closesOf(t, b, 2)
	assert.Equal(t, []CloseReason{CloseByPeer}, got[bEnd], "the carrier channel closed when w stopped")
	assert.Len(t, got, 2, "and the port that arrived dead fires its close")
	b.quiet(20 * time.Millisecond)
}

type reviewUnregistered struct{ A int }

// A record from another node naming a type this node has not registered
// becomes a MessageErrorEvent at the port (the web's messageerror) that
// says what to register; the next message still arrives.
func TestReviewUnregisteredTypeFromAnotherNodeIsAMessageError(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	encode := func(v any) []byte {
		rec, err := messages.Serialize(v)
		require.NoError(t, err)
		b, err := rec.MarshalBinary()
		require.NoError(t, err)
		return b
	}
	// They come as from Port1, Port2's peer: a port takes messages only
	// from its route neighbours.
	key, from := ch.Port2.core.key, ch.Port1.core.key
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: key, From: from, Seq: 1, Record: encode(reviewUnregistered{A: 1})})
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: key, From: from, Seq: 2, Record: encode("fine")})
	ev := a.next()
	me, ok := ev.(*MessageErrorEvent)
	require.Truef(t, ok, "want a MessageErrorEvent, got %T", ev)
	assert.ErrorIs(t, me.Err, messages.ErrDataClone)
	assert.Contains(t, me.Err.Error(), "not registered")
	assert.Same(t, ch.Port2, me.Target)
	assert.Equal(t, "fine", a.nextMessage().Data)
}

// A queue limit applies to the queue a port brings with it: messages that
// piled up while it was in transit overflow at the new owner, by the
// policy, and nothing hangs or leaks.
func TestReviewQueueLimitAtTheNewOwnerOfAMovedPort(t *testing.T) {
	for _, policy := range []OverflowPolicy{OverflowClose, OverflowDrop} {
		t.Run(policy.String(), func(t *testing.T) {
			sys := newSystem(t, WithQueueLimit(2, 0), WithOverflowPolicy(policy))
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.Start(ctx))
				require.NoError(t, ch.Port1.PostMessage(ctx, 1))
				require.NoError(t, ch.Port1.PostMessage(ctx, 2))
				require.NoError(t, PostTo(ctx, b.pid, "port", ch.Port2))
				for i := 3; i <= 5; i++ {
					require.NoError(t, ch.Port1.PostMessage(ctx, i))
				}
			})
			moved := b.nextMessage().Ports[0]
			switch policy {
			case OverflowClose:
				ce := b.nextClose()
				assert.Same(t, moved, ce.Target)
				assert.Equal(t, CloseOverflow, ce.Reason)
				assert.Equal(t, CloseByPeer, a.nextClose().Reason)
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
			case OverflowDrop:
				assert.Equal(t, seq(1, 2), startAndRead(t, b, moved, 2))
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 6)) })
				assert.Equal(t, 6, b.nextMessage().Data)
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
				b.nextClose()
				b.do(func(ctx actor.Context) { require.NoError(t, moved.Close(ctx)) })
			}
			waitPortActors(t, sys, 0)
			assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
		})
	}
}
