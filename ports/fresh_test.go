package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The two ports of a new channel in one owner do not watch each other
// (freshPair); these tests check that every way one of them can go is
// still seen by the other.

func TestFreshPairPortStoppedFromOutsideClosesItsSibling(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, "before"))
	})
	assert.Equal(t, "before", a.nextMessage().Data)
	require.NoError(t, sys.Root.StopFuture(ch.Port1.PID()).Wait())
	ce := a.nextClose()
	assert.Same(t, ch.Port2, ce.Target)
	assert.Equal(t, CloseLost, ce.Reason)
	a.quiet(20 * time.Millisecond)
}

func TestFreshPairEndShippedThenItsNewOwnerStoppedHard(t *testing.T) {
	// Once one end leaves, the pair is fresh no more: the end that stayed
	// watches the new one and closes when its owner dies.
	for _, postFirst := range []bool{false, true} {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.Start(ctx))
			if postFirst {
				require.NoError(t, ch.Port2.PostMessage(ctx, "from the fresh pair"))
			}
			require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
		})
		if postFirst {
			assert.Equal(t, "from the fresh pair", a.nextMessage().Data)
		}
		p := b.nextMessage().Ports[0]
		b.do(func(ctx actor.Context) {
			require.NoError(t, p.Start(ctx))
			require.NoError(t, p.PostMessage(ctx, "hello"))
		})
		assert.Equal(t, "hello", a.nextMessage().Data)
		require.NoError(t, sys.Root.StopFuture(b.pid).Wait())
		ce := a.nextClose()
		assert.Same(t, ch.Port1, ce.Target)
		assert.Contains(t, []CloseReason{CloseByPeer, CloseLost}, ce.Reason)
	}
}

func TestFreshPairEndShippedThenStoppedWhileInTransit(t *testing.T) {
	// The shipped end's actor is stopped from outside before anyone
	// claims it: the sibling, told by peerMoved, watches it and closes.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	// A carrier that nobody takes: port2 is posted into the queue of
	// another channel's end that is never started, so it stays in transit.
	other := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, other.Port1.PostMessage(ctx, "carrier", ch.Port2))
	})
	require.NoError(t, sys.Root.StopFuture(ch.Port2.PID()).Wait())
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	ce := a.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	assert.Equal(t, CloseLost, ce.Reason)
}
