package ports

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message that carries a port takes the fast path (the sending owner puts
// it in the receiving core's queue itself) when the channel is in its
// steady state: the port arrives and works, without the two port actors
// of the carrying channel handling the message.
func TestFastPathCarriesPorts(t *testing.T) {
	handled := recordPortActorMessages(t) // before the system: its actors read the hook
	sys := newSystem(t)
	s, r, carrier, p2 := fastCarrier(t, sys)
	carried := func() int {
		return handled(carrier.Port1.core.pid, "*ports.postReq") + handled(carrier.Port1.core.pid, "*ports.userMsg") +
			handled(p2.core.pid, "*ports.postReq") + handled(p2.core.pid, "*ports.userMsg")
	}
	before := carried()
	for round := range 3 {
		ch := newStartedChannel(t, s)
		s.do(func(ctx actor.Context) {
			require.NoError(t, carrier.Port1.PostMessage(ctx, round, ch.Port2))
		})
		ev := r.nextMessage()
		require.Equal(t, round, ev.Data)
		require.Len(t, ev.Ports, 1)
		moved := ev.Ports[0]
		r.do(func(ctx actor.Context) {
			require.NoError(t, moved.Start(ctx))
			require.NoError(t, moved.PostMessage(ctx, "back"))
		})
		back := s.nextMessage()
		assert.Same(t, ch.Port1, back.Target)
		assert.Equal(t, "back", back.Data)
	}
	assert.Equal(t, before, carried(), "a port actor of the carrying channel handled a message: it did not take the fast path")
}

// A message carrying a port that the fast path puts in a queue whose handle
// has just closed is dropped, and the port it carried is closed: its other
// end gets a CloseEvent instead of waiting for a port that will never come.
func TestFastPathDropToAClosedHandleClosesTheCarriedPorts(t *testing.T) {
	sys := newSystem(t)
	s, r, carrier, p2 := fastCarrier(t, sys)
	// The moment between the owner closing its handle and the port actor
	// pausing the fast path, held open.
	r.do(func(actor.Context) {
		c := p2.core
		c.mu.Lock()
		c.state = handleClosed
		c.mu.Unlock()
	})
	before := Get(sys).Stats().Dropped
	ch := newStartedChannel(t, s)
	s.do(func(ctx actor.Context) {
		require.NoError(t, carrier.Port1.PostMessage(ctx, "carrying", ch.Port2))
	})
	ce := s.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	assert.Equal(t, int64(1), Get(sys).Stats().Dropped-before)
}

// fastCarrier makes a channel in s whose second port, p2, moves to r and
// is started there, and waits until posts on the first port take the fast
// path (once the two ports know each other).
func fastCarrier(t *testing.T, sys *actor.ActorSystem) (s, r *probe, carrier *MessageChannel, p2 *MessagePort) {
	t.Helper()
	s, r = newProbe(t, sys, "s"), newProbe(t, sys, "r")
	carrier = newChannel(t, s)
	p2 = moveTo(t, s, r, carrier.Port2)
	r.do(func(ctx actor.Context) { require.NoError(t, p2.Start(ctx)) })
	c := carrier.Port1.core
	eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.fastPeer != nil
	}, "the carrier's fast path opens")
	return s, r, carrier, p2
}

// recordPortActorMessages counts the messages each port actor handles, by
// type; the returned function reads the count. Call it before the system
// is made: port actors read the hook without a lock.
func recordPortActorMessages(t *testing.T) func(pid *actor.PID, typ string) int {
	t.Helper()
	type key struct{ id, typ string }
	var mu = make(chan struct{}, 1)
	counts := map[key]int{}
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	traceHook = func(self *actor.PID, _ *portActor, msg any) {
		if _, ok := msg.(string); ok {
			return
		}
		mu <- struct{}{}
		counts[key{self.GetId(), fmt.Sprintf("%T", msg)}]++
		<-mu
	}
	return func(pid *actor.PID, typ string) int {
		mu <- struct{}{}
		defer func() { <-mu }()
		return counts[key{pid.GetId(), typ}]
	}
}
