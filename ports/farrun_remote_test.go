//go:build !race

// Built without the race detector, as remote_test.go (which says why).

package ports

import (
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/messages"
)

// farPair is a channel whose first end is owned by probe a on one node and
// whose second end was moved to a receiver on another node, which starts
// it and reports every event on it.
type farPair struct {
	a    *probe
	port *MessagePort // a's end
	nb   *actor.ActorSystem
	far  *MessagePort // the moved end, on node B (its receiver's)
	got  chan any
}

func newFarPair(t *testing.T) *farPair {
	t.Helper()
	return newFarPairWith(t)
}

// newFarPairWith is newFarPair on nodes made with more remote options.
func newFarPairWith(t *testing.T, opts ...remote.ConfigOption) *farPair {
	t.Helper()
	return newFarPairOn(t, opts, nil)
}

// newFarPairOn is newFarPair on nodes made with more remote options, whose
// receiving node's extension has the options bOpts.
func newFarPairOn(t *testing.T, opts []remote.ConfigOption, bOpts []Option) *farPair {
	t.Helper()
	na, nb := remoteNodeWith(t, opts...), remoteNodeWith(t, opts...)
	_, err := Register(na)
	require.NoError(t, err)
	_, err = Register(nb, bOpts...)
	require.NoError(t, err)
	got := make(chan any, 4096)
	started := make(chan struct{})
	var far *MessagePort // read after started is closed
	receiver := nb.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch ev := ctx.Message().(type) {
		case *MessageEvent:
			if ev.Target == nil && len(ev.Ports) == 1 {
				assert.NoError(t, ev.Ports[0].Start(ctx))
				far = ev.Ports[0]
				close(started)
				return
			}
			got <- ev
		case *MessageErrorEvent, *CloseEvent:
			got <- ev
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware)))
	t.Cleanup(func() { _ = nb.Root.StopFuture(receiver).Wait() })
	a := newProbe(t, na, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, actor.NewPID(nb.Address(), receiver.GetId()), nil, ch.Port2))
	})
	select {
	case <-started:
	case <-time.After(waitFor):
		t.Fatal("the moved port did not arrive on node B")
	}
	// The sending actor hears where the other end went a little later;
	// until then posts take the way they took before the move.
	c := ch.Port1.core
	require.Eventually(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.fastFar != nil
	}, waitFor, time.Millisecond, "the sending port never sent straight to the other node")
	return &farPair{a: a, port: ch.Port1, nb: nb, far: far, got: got}
}

func (f *farPair) next(t *testing.T) any {
	t.Helper()
	select {
	case ev := <-f.got:
		return ev
	case <-time.After(waitFor):
		t.Fatal("timed out waiting for an event on node B")
		return nil
	}
}

// Many posts in one turn to the other end on another node travel in runs
// (farrun.go). Every message arrives once and in order, whatever its kind:
// primitives, registered structs, records longer than a run (which start
// runs of their own), and a message the sender cannot encode for the trip
// (a MessageErrorEvent in its place, inside a run). Several bursts in a
// row, so that runs start at every point of the sequence.
func TestRemoteRunsDeliverEveryMessageInOrder(t *testing.T) {
	f := newFarPair(t)
	long := strings.Repeat("x", 3*runMaxBytes)
	payload := func(i int) any {
		switch {
		case i%97 == 13:
			return &plainUnregistered{A: i}
		case i%89 == 7:
			return &plainPoint{X: float64(i), Name: long}
		case i%2 == 0:
			return i
		}
		return &plainPoint{X: float64(i), Name: "p"}
	}
	const burst = 2_000
	for round := range 3 {
		f.a.do(func(ctx actor.Context) {
			for i := range burst {
				require.NoError(t, f.port.PostMessage(ctx, payload(round*burst+i)))
			}
		})
		for i := range burst {
			n := round*burst + i
			ev := f.next(t)
			switch want := payload(n).(type) {
			case *plainUnregistered:
				me, ok := ev.(*MessageErrorEvent)
				require.Truef(t, ok, "message %d: want a MessageErrorEvent, got %T", n, ev)
				assert.ErrorIs(t, me.Err, messages.ErrDataClone)
			default:
				me, ok := ev.(*MessageEvent)
				require.Truef(t, ok, "message %d: want a MessageEvent, got %T %v", n, ev, ev)
				require.Equalf(t, want, me.Data, "message %d", n)
			}
		}
	}
	e := Get(f.a.sys)
	assert.Greater(t, e.runsSent.Load(), int64(3*burst/187), "the bursts went in runs")
	stats := e.Stats()
	assert.Zero(t, stats.ProtocolErrors)
	assert.Zero(t, stats.Dropped)
}

// A turn that posts twice and then goes on working does not hold its
// second message back until it ends: the run leaves after runDelay. The
// turn here ends only once node B has both messages.
func TestRemoteRunLeavesWhileTheTurnGoesOn(t *testing.T) {
	f := newFarPair(t)
	both := make(chan struct{})
	go func() {
		for range 2 {
			if _, ok := f.next(t).(*MessageEvent); !ok {
				return
			}
		}
		close(both)
	}()
	f.a.do(func(ctx actor.Context) {
		require.NoError(t, f.port.PostMessage(ctx, "first"))  // at once
		require.NoError(t, f.port.PostMessage(ctx, "second")) // in a run
		select {
		case <-both:
		case <-time.After(waitFor):
			t.Error("the second message did not arrive while the turn went on")
		}
	})
	assert.Equal(t, int64(1), Get(f.a.sys).runsSent.Load(), "the second message went in a run")
}

// What a turn posts before it closes its port, or before it transfers it
// to another context of its node which goes on posting, arrives first, in
// order, and nothing after it is lost: the run leaves before the port
// actor hears of the close or the transfer.
func TestRemoteRunLeavesBeforeCloseAndTransfer(t *testing.T) {
	const burst = 300
	t.Run("close", func(t *testing.T) {
		f := newFarPair(t)
		f.a.do(func(ctx actor.Context) {
			f.port.core.own.far.delay = time.Hour // no run leaves on the timer
			for i := range burst {
				require.NoError(t, f.port.PostMessage(ctx, i))
			}
			require.NoError(t, f.port.Close(ctx))
		})
		for i := range burst {
			ev, ok := f.next(t).(*MessageEvent)
			require.Truef(t, ok, "message %d", i)
			require.Equal(t, i, ev.Data)
		}
		ce, ok := f.next(t).(*CloseEvent)
		require.True(t, ok, "then the CloseEvent")
		assert.Equal(t, CloseByPeer, ce.Reason)
	})
	t.Run("transfer", func(t *testing.T) {
		f := newFarPair(t)
		b := newProbe(t, f.a.sys, "b")
		f.a.do(func(ctx actor.Context) {
			f.port.core.own.far.delay = time.Hour
			for i := range burst {
				require.NoError(t, f.port.PostMessage(ctx, i))
			}
			require.NoError(t, PostTo(ctx, b.pid, nil, f.port))
		})
		moved := b.nextMessage().Ports[0]
		b.do(func(ctx actor.Context) {
			for i := burst; i < 2*burst; i++ {
				require.NoError(t, moved.PostMessage(ctx, i))
			}
		})
		for i := range 2 * burst {
			ev, ok := f.next(t).(*MessageEvent)
			require.Truef(t, ok, "message %d", i)
			require.Equal(t, i, ev.Data)
		}
		assert.Zero(t, Get(f.a.sys).Stats().ProtocolErrors)
	})
}
