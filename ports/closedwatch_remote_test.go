//go:build !race

package ports

import (
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An end on another node that closed is still watched after its Closed,
// and still counted as a sender: its owner may hold posts numbered before
// the Closed in a run (farrun.go) that have not left yet, so the death of
// its node must still break the route (a CloseEvent with what came) rather
// than leave this end waiting. In one process the watch ends at the Closed
// (TestClosedEndIsNotWatchedAfterItsClosed).
func TestClosedEndOnAnotherNodeIsStillWatched(t *testing.T) {
	na, nb := remoteNode(t), remoteNode(t)
	_, err := Register(na)
	require.NoError(t, err)
	_, err = Register(nb)
	require.NoError(t, err)
	moved := make(chan *MessagePort, 1)
	closed := make(chan *CloseEvent, 1)
	receiver := nb.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch ev := ctx.Message().(type) {
		case *MessageEvent:
			if ev.Target == nil && len(ev.Ports) == 1 {
				assert.NoError(t, ev.Ports[0].Start(ctx))
				moved <- ev.Ports[0]
			}
		case *CloseEvent:
			closed <- ev
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware)))
	t.Cleanup(func() { _ = nb.Root.StopFuture(receiver).Wait() })
	a := newProbe(t, na, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, actor.NewPID(nb.Address(), receiver.GetId()), nil, ch.Port2))
	})
	x := receive(t, moved, "the moved port on node B")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	ce := receive(t, closed, "the CloseEvent on node B")
	assert.Equal(t, CloseByPeer, ce.Reason)
	res, err := nb.Root.RequestFuture(x.core.pid, &inspect{}, time.Second).Result()
	require.NoError(t, err)
	text := res.(*portSnapshot).text
	closedEnd := ch.Port1.core.pid.GetId()
	i := strings.Index(text, "watching=")
	require.GreaterOrEqual(t, i, 0, text)
	assert.Contains(t, text[i:], closedEnd, "the closed end on node A is no longer watched: %s", text)
}
