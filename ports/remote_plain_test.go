//go:build !race

// Built without the race detector, as remote_test.go (which says why).

package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/messages"
)

// plainUnregistered is a type no node registers: it has no name for the
// trip.
type plainUnregistered struct{ A int }

// Messages posted in this process carry their clone, not a record. When the
// receiving end turns out to be on another node (it moved there with
// messages queued, or it lives there), each is serialized for the trip;
// one the other node cannot rebuild becomes a MessageErrorEvent there, in
// its place, and the rest arrive in order.
func TestRemotePlainMessagesAreSerializedForTheTrip(t *testing.T) {
	na, nb := remoteNode(t), remoteNode(t)
	for _, sys := range []*actor.ActorSystem{na, nb} {
		_, err := Register(sys)
		require.NoError(t, err)
	}
	// The receiver on node B starts the port it is given and reports
	// every event on it.
	got := make(chan any, 16)
	var moved *MessagePort
	receiver, err := nb.Root.SpawnNamed(actor.PropsFromFunc(func(ctx actor.Context) {
		switch ev := ctx.Message().(type) {
		case *MessageEvent:
			if ev.Target == nil && len(ev.Ports) == 1 {
				moved = ev.Ports[0]
				assert.NoError(t, moved.Start(ctx))
				return
			}
			got <- ev
		case *MessageErrorEvent:
			got <- ev
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware)), "plain-receiver")
	require.NoError(t, err)
	t.Cleanup(func() { _ = nb.Root.StopFuture(receiver).Wait() })

	a := newProbe(t, na, "a")
	ch := newChannel(t, a)
	posts := func(tag string) {
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.PostMessage(ctx, map[string]any{"i": tag}))
			require.NoError(t, ch.Port1.PostMessage(ctx, &plainUnregistered{A: 2}))
			require.NoError(t, ch.Port1.PostMessage(ctx, &plainPoint{X: 3, Name: tag}))
		})
	}
	next := func() any {
		select {
		case ev := <-got:
			return ev
		case <-time.After(waitFor):
			t.Fatal("timed out waiting for an event on node B")
			return nil
		}
	}
	check := func(tag string) {
		ev := next()
		require.IsType(t, &MessageEvent{}, ev)
		assert.Equal(t, map[string]any{"i": tag}, ev.(*MessageEvent).Data)
		ev = next()
		me, ok := ev.(*MessageErrorEvent)
		require.Truef(t, ok, "want a MessageErrorEvent, got %T %+v", ev, ev)
		assert.ErrorIs(t, me.Err, messages.ErrDataClone)
		assert.Same(t, moved, me.Target)
		ev = next()
		require.IsType(t, &MessageEvent{}, ev)
		assert.Equal(t, &plainPoint{X: 3, Name: tag}, ev.(*MessageEvent).Data)
	}
	// Queued at the receiving end while it is still here, then moved
	// with it.
	posts("queued")
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, actor.NewPID(nb.Address(), receiver.GetId()), nil, ch.Port2))
	})
	check("queued")
	// Posted once the end is there.
	posts("there")
	check("there")
}
