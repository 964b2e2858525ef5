//go:build !race

// Built without the race detector, as remote_test.go (which says why).

package ports

import (
	"fmt"
	"strings"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
)

// A burst of messages too large to travel in runs (8 KiB each, 24 MiB in
// all) queues up for the other node faster than gRPC sends it, so
// protoactor's writer batches a thousand of them (8 MiB) into one gRPC
// message. With RemoteReceiveLimit on the nodes, every message arrives, in
// order, and the channel stays open. (Without it, on this project's
// machine, node B's gRPC server refused the first such batch: the channel
// closed after about 700 messages.)
func TestRemoteReceiveLimitTakesLargeBatches(t *testing.T) {
	f := newFarPairWith(t, RemoteReceiveLimit(0))
	const n = 3000
	pad := strings.Repeat("x", 8<<10)
	f.a.do(func(ctx actor.Context) {
		for i := range n {
			require.NoError(t, f.port.PostMessage(ctx, fmt.Sprint(i, ":", pad)))
		}
	})
	for i := range n {
		ev := f.next(t)
		me, ok := ev.(*MessageEvent)
		require.True(t, ok, "message %d: got %T", i, ev)
		s, ok := me.Data.(string)
		require.True(t, ok, "message %d: data is %T", i, me.Data)
		require.True(t, strings.HasPrefix(s, fmt.Sprint(i, ":")), "message %d out of order", i)
		require.Len(t, s, len(fmt.Sprint(i, ":"))+len(pad))
	}
}

func TestRemoteReceiveLimitAddsToServerOptions(t *testing.T) {
	for _, max := range []int{0, -1, 64 << 20} {
		cfg := remote.Configure("127.0.0.1", 0,
			remote.WithServerOptions(grpc.EmptyServerOption{}), RemoteReceiveLimit(max))
		assert.Len(t, cfg.ServerOptions, 2, "max %d: the option adds to the server options set before it", max)
	}
}
