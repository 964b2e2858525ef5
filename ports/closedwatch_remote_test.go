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
	f := newFarPair(t)
	f.a.do(func(ctx actor.Context) { require.NoError(t, f.port.Close(ctx)) })
	ce, ok := f.next(t).(*CloseEvent)
	require.True(t, ok, "want the CloseEvent on node B")
	assert.Equal(t, CloseByPeer, ce.Reason)
	res, err := f.nb.Root.RequestFuture(f.far.core.pid, &inspect{}, time.Second).Result()
	require.NoError(t, err)
	text := res.(*portSnapshot).text
	i := strings.Index(text, "watching=")
	require.GreaterOrEqual(t, i, 0, text)
	id := f.port.core.pid.GetId()
	if strings.Contains(text[i:], id) {
		return
	}
	// The watch ends when the closed end's actor has stopped and its
	// Terminated has come (the death was seen, after the Closed): that
	// may be before the inspect. Until then it must be watched.
	_, alive := f.a.sys.ProcessRegistry.GetLocal(id)
	assert.False(t, alive, "the closed end on node A runs and is no longer watched: %s", text)
}
