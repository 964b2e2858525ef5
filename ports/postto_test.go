package ports

// PostTo, the first link between two actors, and carriers that reach an
// actor which cannot adopt their ports (no ReceiverMiddleware, draining,
// stopped or about to stop): those ports close at their peers and nothing
// is left behind.

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// PostTo: the first link between two actors. It arrives with no Target, in
// the order posted, works from an actor without the middleware when it
// carries no ports, transfers buffers, and can carry ports to the sender
// itself.
func TestPostTo(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	a.do(func(ctx actor.Context) {
		assert.ErrorIs(t, PostTo(ctx, nil, "x"), messages.ErrInvalidState)
		for i := 0; i < 50; i++ {
			require.NoError(t, PostTo(ctx, b.pid, i))
		}
	})
	for i := 0; i < 50; i++ {
		ev := b.nextMessage()
		assert.Nil(t, ev.Target)
		assert.Empty(t, ev.Ports)
		assert.Equal(t, i, ev.Data)
	}
	// To itself, with a port.
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "queued"))
		require.NoError(t, PostTo(ctx, ctx.Self(), "self", ch.Port2))
	})
	ev := a.nextMessage()
	require.Len(t, ev.Ports, 1)
	assert.Equal(t, []any{"queued"}, startAndRead(t, a, ev.Ports[0], 1))
	// From an actor without the middleware, with a buffer.
	errs := make(chan error, 1)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if s, ok := c.Message().(string); ok {
			ab := messages.NewArrayBuffer([]byte(s))
			err := PostTo(c, b.pid, ab, ab)
			if err == nil && !ab.Detached() {
				err = errors.New("not detached")
			}
			errs <- err
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(plain).Wait() })
	sys.Root.Send(plain, "bytes")
	require.NoError(t, receive(t, errs, "the plain actor's PostTo"))
	got := b.nextMessage().Data.(*messages.ArrayBuffer)
	assert.Equal(t, []byte("bytes"), got.Bytes())
}

func TestPostToActorWithoutMiddleware(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan any, 4)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *MessageEvent, *MessageErrorEvent:
			got <- m
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(plain).Wait() })
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, plain, "just data"))
		require.NoError(t, PostTo(ctx, plain, "with a port", ch.Port2))
		require.NoError(t, ch.Port1.Start(ctx))
	})
	first := <-got
	require.IsType(t, &MessageEvent{}, first)
	assert.Equal(t, "just data", first.(*MessageEvent).Data)
	second := <-got
	require.IsType(t, &MessageErrorEvent{}, second)
	assert.True(t, errors.Is(second.(*MessageErrorEvent).Err, messages.ErrInvalidState))
	assert.Equal(t, CloseByPeer, a.nextClose().Reason, "the port that could not be adopted is closed")
}

// An actor without ReceiverMiddleware cannot own ports: ports posted to it
// are closed (their peers get a CloseEvent), buffers are still moved, and
// no port actor is left behind.
func TestReceiverWithoutMiddlewareAbandonsPorts(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan any, 8)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *MessageEvent, *MessageErrorEvent:
			got <- m
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(plain).Wait() })
	x, y := newChannel(t, a), newChannel(t, a)
	ab := messages.NewArrayBuffer([]byte{1, 2, 3})
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port1.Start(ctx))
		require.NoError(t, y.Port1.Start(ctx))
		require.NoError(t, x.Port1.PostMessage(ctx, "queued in x.Port2"))
		require.NoError(t, PostTo(ctx, plain, "ports", x.Port2, ab, y.Port2))
		assert.True(t, ab.Detached())
	})
	me, ok := receive(t, got, "the plain actor's event").(*MessageErrorEvent)
	require.True(t, ok, "a message with ports becomes a MessageErrorEvent")
	assert.Nil(t, me.Target)
	closed := closesOf(t, a, 2)
	assert.Contains(t, closed, x.Port1)
	assert.Contains(t, closed, y.Port1)
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port1.Close(ctx))
		require.NoError(t, y.Port1.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	assert.Equal(t, int64(0), Get(sys).Stats().OpenPorts)
	assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
}

// Buffers and ports in a message posted to an actor that is stopping
// gracefully: the ports close at their peers, nothing leaks.
func TestPostToDrainingActorAbandonsPorts(t *testing.T) {
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

func TestCarrierToStoppedActorAbandonsPorts(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	gone := newProbe(t, sys, "gone")
	require.NoError(t, sys.Root.StopFuture(gone.pid).Wait())
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, PostTo(ctx, gone.pid, nil, ch.Port2))
	})
	assert.Equal(t, CloseByPeer, a.nextClose().Reason)
}

// A receiver stopped hard before it read a PostTo carrier: the ports in it
// are lost and their peers close; nothing hangs.
func TestReceiverStoppedBeforeReadingACarrier(t *testing.T) {
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

// A carrier that reaches an actor just before its PoisonPill: the port in
// it is adopted and closed with the stop, its peer gets one CloseEvent,
// and the actor does stop.
func TestPortArrivingJustBeforePoisonClosesItsPeer(t *testing.T) {
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

// An actor without ReceiverMiddleware receives a PostTo as the event
// itself, in mailbox order with its other messages, and nothing else: a
// *MessageEvent for data, a *MessageErrorEvent for a message that carried
// ports (which are then closed); never a type of this package's plumbing.
func TestPostToWithoutMiddlewareReceivesOnlyEventsInOrder(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan any, 16)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch c.Message().(type) {
		case actor.SystemMessage, actor.AutoReceiveMessage:
		default:
			got <- c.Message()
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(plain).Wait() })
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		ctx.Send(plain, "before")
		require.NoError(t, PostTo(ctx, plain, "data"))
		ctx.Send(plain, "between")
		require.NoError(t, PostTo(ctx, plain, "with a port", ch.Port2))
		ctx.Send(plain, "after")
		require.NoError(t, ch.Port1.Start(ctx))
	})
	var seen []string
	for i := 0; i < 5; i++ {
		switch m := receive(t, got, "the plain actor's message").(type) {
		case *MessageEvent:
			seen = append(seen, fmt.Sprintf("MessageEvent %v", m.Data))
		case *MessageErrorEvent:
			assert.ErrorIs(t, m.Err, messages.ErrInvalidState)
			seen = append(seen, "MessageErrorEvent")
		default:
			seen = append(seen, fmt.Sprintf("%T %v", m, m))
		}
	}
	assert.Equal(t, []string{"string before", "MessageEvent data", "string between", "MessageErrorEvent", "string after"}, seen)
	assert.Equal(t, CloseByPeer, a.nextClose().Reason, "the port it could not own is closed")
	assert.Empty(t, got, "nothing else")
}
