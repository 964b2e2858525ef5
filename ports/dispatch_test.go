package ports

// Dispatch to the owner: a burst takes the batch path and still gives one
// MessageEvent per message, in order; neither a burst nor a handler that
// posts again on every message starves the owner's other messages.

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// marker is a plain protoactor message sent to a probe between port
// messages.
type marker struct{}

func TestBurstFromAnotherActorArrivesInOrderOneEventEach(t *testing.T) {
	// A burst takes the batch path: every message is still one
	// MessageEvent, in order, with the right target.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	p1, p2 := connected(t, a, b)
	const n = 5 * batchBudget
	a.do(func(ctx actor.Context) {
		for i := 0; i < n; i++ {
			require.NoError(t, p1.PostMessage(ctx, i))
		}
	})
	for i := 0; i < n; i++ {
		ev := b.nextMessage()
		require.Same(t, p2, ev.Target)
		require.Equal(t, i, ev.Data)
	}
	b.quiet(20 * time.Millisecond)
}

func TestBurstYieldsToTheOwnersOtherMessages(t *testing.T) {
	// While the owner works through a burst, a message that reaches its
	// mailbox after the burst began is handled after at most one batch,
	// not after the whole burst.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	release := make(chan struct{})
	got := make(chan any, 10000)
	b := &probe{t: t, sys: sys, events: make(chan any, 1), name: "b"}
	props := actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *runOn:
			m.f(c)
			close(m.done)
		case *MessageEvent:
			if len(m.Ports) > 0 {
				b.events <- m // the channel's port, for connected
				return
			}
			got <- m.Data
		case marker:
			got <- m
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware))
	b.pid = sys.Root.Spawn(props)
	t.Cleanup(func() { _ = sys.Root.StopFuture(b.pid).Wait() })
	p1, _ := connected(t, a, b)

	// Keep b busy while the burst and the marker arrive.
	busy := make(chan struct{})
	sys.Root.Send(b.pid, &runOn{f: func(actor.Context) { close(busy); <-release }, done: make(chan struct{})})
	<-busy
	const n = 4 * batchBudget
	a.do(func(ctx actor.Context) {
		for i := 0; i < n; i++ {
			require.NoError(t, p1.PostMessage(ctx, i))
		}
	})
	sys.Root.Send(b.pid, marker{})
	close(release)

	markerAt := -1
	next := 0
	for k := 0; k < n+1; k++ {
		v := receive(t, got, "a message")
		if _, ok := v.(marker); ok {
			markerAt = k
			continue
		}
		require.Equal(t, next, v, "port messages stay in order around the marker")
		next++
	}
	require.GreaterOrEqual(t, markerAt, 0, "the marker arrived")
	assert.LessOrEqual(t, markerAt, batchBudget, "the marker waited for at most one batch")
}

func TestStartReleasesAQueueFilledByABurst(t *testing.T) {
	// Messages that piled up on a port that was not started are all
	// delivered, in order, once it is.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p2 := b.nextMessage().Ports[0]
	const n = 3*batchBudget + 7
	a.do(func(ctx actor.Context) {
		for i := 0; i < n; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port1.Close(ctx))
	})
	got := startAndRead(t, b, p2, n)
	for i, v := range got {
		require.Equal(t, i, v)
	}
	assert.Equal(t, CloseByPeer, b.nextClose().Reason)
}

// WPT MessageEvent_onmessage_postMessage_infinite_loop: a handler that
// posts again on every message must not starve the actor's other messages
// (the web's timers): each event is its own task.
func TestRepostingHandlerDoesNotStarveOtherMessages(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	var count int
	stop := false
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			count++
			if !stop {
				require.NoError(t, ch.Port1.PostMessage(ctx, count))
			}
		}))
		require.NoError(t, ch.Port1.PostMessage(ctx, 0))
	})
	// This runs on the actor between two of the loop's events.
	var seen int
	a.do(func(actor.Context) {
		seen = count
		stop = true
	})
	assert.Positive(t, seen, "the loop was running")
	a.quiet(20 * time.Millisecond)
}

// connected gives a's first port and b's adopted second port of a new
// channel, both started.
func connected(t *testing.T, a, b *probe) (*MessagePort, *MessagePort) {
	t.Helper()
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
	})
	var p2 *MessagePort
	switch ev := b.next().(type) {
	case *MessageEvent:
		require.Len(t, ev.Ports, 1)
		p2 = ev.Ports[0]
	default:
		t.Fatalf("want the port, got %T", ev)
	}
	b.do(func(ctx actor.Context) { require.NoError(t, p2.Start(ctx)) })
	return ch.Port1, p2
}
