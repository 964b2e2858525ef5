//go:build !race

// Built without the race detector, as remote_test.go (which says why).

package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A port that closes itself at a queue overflow (OverflowClose) while its
// owner, in a turn that goes on, holds posts to the other end on another
// node in a run: its Closed counts those posts, so it stays on until they
// have left, and the other end gets every one of them, then its CloseEvent
// (closed by the peer, not lost).
func TestRemoteOverflowCloseWaitsForItsOwnersRun(t *testing.T) {
	const burst = 50
	na, nb := remoteNodeWith(t), remoteNodeWith(t)
	_, err := Register(na, WithQueueLimit(2, 0))
	require.NoError(t, err)
	_, err = Register(nb)
	require.NoError(t, err)
	a, b := newProbe(t, na, "a"), newProbe(t, nb, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, actor.NewPID(nb.Address(), b.pid.GetId()), nil, ch.Port2))
	})
	far := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	c := ch.Port1.core
	require.Eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.fastFar != nil
	}, waitFor, time.Millisecond, "the port never sent straight to the other node")

	// a's turn posts the burst (the first at once, the rest in a run)
	// and goes on.
	held, release := make(chan struct{}), make(chan struct{})
	turnDone := make(chan struct{})
	go func() {
		defer close(turnDone)
		a.do(func(ctx actor.Context) {
			c.own.far.delay = time.Hour // no run leaves on the timer
			for i := range burst {
				require.NoError(t, ch.Port1.PostMessage(ctx, i))
			}
			close(held)
			<-release
		})
	}()
	<-held
	// Three messages to a port that is not started and holds two: it
	// closes (CloseOverflow) while the run still waits.
	b.do(func(ctx actor.Context) {
		for i := range 3 {
			require.NoError(t, far.PostMessage(ctx, i))
		}
	})
	// The close runs its course on both nodes while the turn goes on:
	// the closed end's Closed, the answer, the run the closed end sends
	// itself, its stop.
	require.Eventually(t, func() bool { return Get(na).Stats().PortActors == 0 }, waitFor, time.Millisecond,
		"the closed end stops while its owner's turn goes on")
	close(release)
	<-turnDone
	for i := range burst {
		ev, ok := b.next().(*MessageEvent)
		require.Truef(t, ok, "message %d of the burst", i)
		require.Equal(t, i, ev.Data)
	}
	ce := b.nextClose()
	assert.Same(t, far, ce.Target)
	assert.Equal(t, CloseByPeer, ce.Reason)
}

// Ports made before remote started keep PIDs with the "nonhost" address,
// which the fast path then takes for another node's (posts gather in
// runs) while the transport delivers them in this process, running the
// receiving port actor on the sending goroutine. A run that overflows the
// other port of the same owner, which then closes and waits for its own
// posts in a run, must not stall the owner: the closing end leaves the
// runs to whoever is sending them.
func TestOverflowCloseInsideARunDoesNotStallTheOwner(t *testing.T) {
	sys, startRemote := nodeBeforeRemote(t, WithQueueLimit(2, 0))
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a) // before remote starts: "nonhost" PIDs
	startRemote()
	c1, c2 := ch.Port1.core, ch.Port2.core
	// A message to each port actor makes it set its fast path again, now
	// that its peer's address is not this system's.
	sys.Root.Send(c1.pid, &wake{})
	sys.Root.Send(c2.pid, &wake{})
	require.Eventually(t, func() bool {
		c1.mu.Lock()
		f1 := c1.fastFar != nil
		c1.mu.Unlock()
		c2.mu.Lock()
		defer c2.mu.Unlock()
		return f1 && c2.fastFar != nil
	}, waitFor, time.Millisecond, "both ports send as to another node")
	a.do(func(ctx actor.Context) {
		c1.own.far.delay = time.Hour // runs leave when the turn ends
		for i := range 4 {
			require.NoError(t, ch.Port1.PostMessage(ctx, i)) // overflows port 2 (limit 2)
		}
		for i := range 2 {
			require.NoError(t, ch.Port2.PostMessage(ctx, i)) // one at once, one in a run
		}
	})
	// The turn's end sent the runs; the owner takes its next task, and
	// the end closed by its limit stops once its own posts have left.
	a.do(func(actor.Context) {})
	require.Eventually(t, func() bool { return !c2.isLive() }, waitFor, time.Millisecond,
		"the end closed by its limit stops")
	assert.Zero(t, c2.farPending.Load(), "its posts have left")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	waitPortActors(t, sys, 0)
}
