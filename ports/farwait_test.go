package ports

import (
	"sync/atomic"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The count of posts numbered for another node and not yet sent: a closed
// end waits while it is above zero, asks once to be woken, and the post
// that brings it to zero is the one that wakes it.
func TestFarPendingWakesTheWaitingActorOnce(t *testing.T) {
	c := &portCore{own: &owner{}}
	a := &portActor{core: c}
	assert.True(t, a.farSent(), "nothing numbered: nothing to wait for")

	c.numberedFar()
	c.numberedFar()
	assert.False(t, a.farSent(), "two posts still on their way")
	assert.False(t, a.farSent(), "asking again changes nothing")
	assert.False(t, c.leftFar(1), "one left, one to go")
	assert.True(t, c.leftFar(1), "the last one wakes the actor")
	assert.Zero(t, c.farPending.Load())
	assert.True(t, a.farSent())

	c.numberedFar()
	assert.False(t, c.leftFar(1), "nobody waited: nobody to wake")
	assert.Zero(t, c.farPending.Load())
}

// A wake for a port actor that has stopped meanwhile reaches nobody and
// leaves no dead letter on the EventStream.
func TestWakeForAStoppedPortActorLeavesNoDeadLetter(t *testing.T) {
	sys := newSystem(t)
	pr := newProbe(t, sys, "owner")
	ch := newChannel(t, pr)
	c := ch.Port1.core
	pr.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		require.NoError(t, ch.Port2.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	var dead atomic.Int32
	sub := sys.EventStream.Subscribe(func(evt any) {
		if _, ok := evt.(*actor.DeadLetterEvent); ok {
			dead.Add(1)
		}
	})
	defer sys.EventStream.Unsubscribe(sub)
	c.wakeActor() // protoactor publishes a dead letter on the caller's goroutine
	assert.Zero(t, dead.Load())
}
