package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGracefulStopOfOwnerIsLossless(t *testing.T) {
	// A worker posts a port and is poisoned right away: the port and
	// everything in flight to it still reach the new owner, and the ports
	// the worker kept close with their messages delivered.
	sys := newSystem(t)
	w, b := newProbe(t, sys, "w"), newProbe(t, sys, "b")
	moving := newChannel(t, w)
	kept := newChannel(t, w)
	w.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, kept.Port2)) })
	keptFar := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, keptFar.Start(ctx)) })
	w.do(func(ctx actor.Context) {
		require.NoError(t, moving.Port1.PostMessage(ctx, "m1"))
		require.NoError(t, kept.Port1.PostMessage(ctx, "k1"))
		require.NoError(t, PostTo(ctx, b.pid, nil, moving.Port2))
		require.NoError(t, moving.Port1.PostMessage(ctx, "m2"))
		ctx.Poison(ctx.Self())
	})
	// Order between the two streams is free; each is in order, and each
	// ends with one close (both of the worker's ends closed as it stopped).
	var far *MessagePort
	got := map[*MessagePort][]any{}
	closed := map[*MessagePort]CloseReason{}
	for far == nil || len(closed) < 2 {
		switch ev := b.next().(type) {
		case *MessageEvent:
			if len(ev.Ports) == 1 {
				far = ev.Ports[0]
				b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
				continue
			}
			_, done := closed[ev.Target]
			require.False(t, done, "a message after the close event")
			got[ev.Target] = append(got[ev.Target], ev.Data)
		case *CloseEvent:
			_, dup := closed[ev.Target]
			require.False(t, dup, "two close events")
			closed[ev.Target] = ev.Reason
		}
	}
	assert.Equal(t, []any{"k1"}, got[keptFar])
	assert.Equal(t, []any{"m1", "m2"}, got[far])
	assert.Equal(t, CloseByPeer, closed[keptFar])
	assert.Equal(t, CloseByPeer, closed[far])
	eventually(t, func() bool {
		_, alive := sys.ProcessRegistry.Get(w.pid)
		return !alive
	}, "the worker stops once its ports are done")
}

func TestHardStopIsFailStop(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 5; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	require.NoError(t, sys.Root.StopFuture(a.pid).Wait())
	var got []any
	for {
		ev := b.next()
		if ce, ok := ev.(*CloseEvent); ok {
			assert.Contains(t, []CloseReason{CloseByPeer, CloseLost}, ce.Reason)
			break
		}
		got = append(got, ev.(*MessageEvent).Data)
	}
	for i, d := range got {
		assert.Equal(t, i+1, d, "a prefix, in order")
	}
	b.quiet(30 * time.Millisecond)
}

func TestPortInTransitWhenHolderDies(t *testing.T) {
	// The carrier is posted to an actor that never reads it; the holder's
	// owner is stopped hard: the port is lost and its peer closes.
	sys := newSystem(t)
	a, b, c := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, c.pid, nil, ch.Port1)) })
	p1 := c.nextMessage().Ports[0]
	c.do(func(ctx actor.Context) { require.NoError(t, p1.Start(ctx)) })
	carrier := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		// The carrier sits in carrier.Port2's queue, never started.
		require.NoError(t, carrier.Port1.PostMessage(ctx, nil, ch.Port2))
		require.NoError(t, PostTo(ctx, b.pid, nil, carrier.Port2))
	})
	b.nextMessage() // b owns the never-started queue now
	require.NoError(t, sys.Root.StopFuture(a.pid).Wait())
	assert.Equal(t, CloseLost, c.nextClose().Reason)
}

func TestRestartAfterPanicIsFailStop(t *testing.T) {
	sys := newSystem(t)
	events := make(chan any, 10)
	var ch *MessageChannel
	props := actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *runOn:
			m.f(c)
			close(m.done)
		case string:
			panic(m)
		case *CloseEvent:
			events <- m
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware))
	pid := sys.Root.Spawn(props)
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	b := newProbe(t, sys, "b")
	done := make(chan struct{})
	sys.Root.Send(pid, &runOn{done: done, f: func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
	}})
	<-done
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	sys.Root.Send(pid, "boom") // default supervision restarts the actor, stopping its children
	ce := b.nextClose()
	assert.Contains(t, []CloseReason{CloseByPeer, CloseLost}, ce.Reason)
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

func TestOpenPortCounts(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ext := Get(sys)
	ch := newChannel(t, a)
	var n int
	a.do(func(ctx actor.Context) { n = OpenPorts(ctx) })
	assert.Equal(t, 2, n)
	assert.Equal(t, int64(2), ext.Stats().OpenPorts)
	assert.Equal(t, int64(2), ext.Stats().PortActors)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		n = OpenPorts(ctx)
	})
	assert.Equal(t, 1, n)
	a.nextClose()
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Close(ctx)) })
	eventually(t, func() bool { return ext.Stats().PortActors == 0 }, "port actors stop after both ends closed")
	assert.Equal(t, int64(0), ext.Stats().OpenPorts)
}
