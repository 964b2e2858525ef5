//go:build !race

// Built without the race detector, as remote_test.go (which says why).

package ports

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/flatrec"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countFlat counts, until the test ends, the records the flat-struct
// shortcut writes and reads (both nodes run in this process).
func countFlat(t *testing.T) (written, read *atomic.Int64) {
	written, read = new(atomic.Int64), new(atomic.Int64)
	appendFn, decodeFn := flatrec.Append, flatrec.Decode
	t.Cleanup(func() { flatrec.Append, flatrec.Decode = appendFn, decodeFn })
	flatrec.Append = func(b []byte, v any) ([]byte, bool) {
		out, ok := appendFn(b, v)
		if ok {
			written.Add(1)
		}
		return out, ok
	}
	flatrec.Decode = func(b []byte, lim flatrec.Limits) (any, bool) {
		v, ok := decodeFn(b, lim)
		if ok {
			read.Add(1)
		}
		return v, ok
	}
	return written, read
}

// A flat struct (here plainPoint: a float and a string) posted to a port
// on another node is copied at post time and written to the wire straight
// from the copy, and the receiving node reads it back without a Record:
// every value arrives as it was when posted, by pointer or by value, also
// when the sender changes it right after posting.
func TestRemoteFlatStructsArriveAsPosted(t *testing.T) {
	written, read := countFlat(t)
	f := newFarPair(t)
	p := &plainPoint{X: 1, Name: "first"}
	f.a.do(func(ctx actor.Context) {
		require.NoError(t, f.port.PostMessage(ctx, p))
		p.X, p.Name = 2, "changed after posting"
		require.NoError(t, f.port.PostMessage(ctx, p))
		require.NoError(t, f.port.PostMessage(ctx, plainPoint{X: 3, Name: "by value"}))
	})
	want := []any{
		&plainPoint{X: 1, Name: "first"},
		&plainPoint{X: 2, Name: "changed after posting"},
		plainPoint{X: 3, Name: "by value"},
	}
	for i, w := range want {
		ev, ok := f.next(t).(*MessageEvent)
		require.Truef(t, ok, "message %d", i)
		assert.Equal(t, w, ev.Data, "message %d", i)
	}
	assert.Equal(t, int64(3), written.Load(), "written without a Record")
	assert.Equal(t, int64(3), read.Load(), "read without a Record")
}

// The receiving node's decode limits hold on the shortcut too: a flat
// record deeper than WithMaxDepth allows is a MessageErrorEvent, as it was
// before the shortcut, and the next message still arrives.
func TestRemoteFlatStructsKeepTheDecodeLimits(t *testing.T) {
	_, read := countFlat(t)
	f := newFarPairOn(t, nil, []Option{WithDecodeLimits(messages.WithMaxDepth(1))})
	f.a.do(func(ctx actor.Context) {
		require.NoError(t, f.port.PostMessage(ctx, &plainPoint{X: 1}))
		require.NoError(t, f.port.PostMessage(ctx, 7))
	})
	me, ok := f.next(t).(*MessageErrorEvent)
	require.True(t, ok, "a record deeper than the limit")
	assert.ErrorIs(t, me.Err, messages.ErrLimitExceeded)
	ev, ok := f.next(t).(*MessageEvent)
	require.True(t, ok)
	assert.Equal(t, 7, ev.Data)
	assert.Zero(t, read.Load())
}

// PostTo an actor on another node writes a flat struct's record straight
// from the value at post time, and the receiving node reads it back
// without a Record: the receiver gets the value as it was when posted.
func TestRemoteFlatPostToArrivesAsPosted(t *testing.T) {
	written, read := countFlat(t)
	na, nb := remoteNode(t), remoteNode(t)
	for _, sys := range []*actor.ActorSystem{na, nb} {
		_, err := Register(sys)
		require.NoError(t, err)
	}
	got := make(chan any, 4)
	receiver := nb.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if ev, ok := ctx.Message().(*MessageEvent); ok {
			got <- ev.Data
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware)))
	t.Cleanup(func() { _ = nb.Root.StopFuture(receiver).Wait() })
	a := newProbe(t, na, "a")
	far := actor.NewPID(nb.Address(), receiver.GetId())
	p := &plainPoint{X: 1, Name: "first"}
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, far, p))
		p.X = 2
		require.NoError(t, PostTo(ctx, far, p))
	})
	assert.Equal(t, &plainPoint{X: 1, Name: "first"}, receive(t, got, "the first message"))
	assert.Equal(t, &plainPoint{X: 2, Name: "first"}, receive(t, got, "the second message"))
	assert.Equal(t, int64(2), written.Load())
	assert.Equal(t, int64(2), read.Load())
}

// sendsFar answers without the core's lock until a port of the system has
// sent straight to another node: false in a process whose ports only
// talk among themselves, and true for a port whose fast path goes to
// another node, once one has.
func TestSendsFarOnlyOnceAPortSentFar(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newStartedChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, &plainPoint{X: 1})) })
	a.nextMessage()
	assert.False(t, Get(sys).farSeen.Load(), "no port of this system sent to another node")
	assert.False(t, ch.Port1.core.sendsFar())

	f := newFarPair(t) // returns once the port's fast path goes to node B
	assert.True(t, Get(f.a.sys).farSeen.Load())
	// (A protocol message the port actor handles pauses the fast path
	// for a moment: it takes the lock, and sees that.)
	assert.Eventually(t, f.port.core.sendsFar, waitFor, time.Millisecond)
	f.a.do(func(ctx actor.Context) { require.NoError(t, f.port.PostMessage(ctx, &plainPoint{X: 2, Name: "far"})) })
	ev, ok := f.next(t).(*MessageEvent)
	require.True(t, ok)
	assert.Equal(t, &plainPoint{X: 2, Name: "far"}, ev.Data)
}
