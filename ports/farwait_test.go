package ports

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
