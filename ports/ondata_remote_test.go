//go:build !race

package ports

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An OnData handler on a port whose other end is on another node gets what
// that node posted, rebuilt from its record, in order (primitives, a flat
// map, a nested value, a carried port that works); the close still goes to
// Receive, after them.
func TestRemoteOnDataAcrossNodes(t *testing.T) {
	a, b := remoteNode(t), remoteNode(t)
	_, err := Register(a)
	require.NoError(t, err)
	_, err = Register(b)
	require.NoError(t, err)
	type got struct {
		data  any
		ports []*MessagePort
	}
	data := make(chan got, 16)
	events := make(chan any, 16)
	receiver, err := b.Root.SpawnNamed(actor.PropsFromFunc(func(ctx actor.Context) {
		switch ev := ctx.Message().(type) {
		case *runOn:
			ev.f(ctx)
			close(ev.done)
		case *MessageEvent:
			if ev.Target == nil && len(ev.Ports) == 1 {
				require.NoError(t, ev.Ports[0].OnData(ctx, func(_ actor.Context, d any, ps []*MessagePort) {
					data <- got{d, ps}
				}))
				return
			}
			events <- ev
		case *CloseEvent:
			events <- ev
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware)), "receiver")
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Root.StopFuture(receiver).Wait() })

	x := newProbe(t, a, "x")
	ch, extra := newChannel(t, x), newChannel(t, x)
	posts := []any{1, "two", map[string]any{"i": 3}, []any{4, "five", map[string]any{"six": 6.5}}}
	x.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, actor.NewPID(b.Address(), receiver.GetId()), nil, ch.Port2))
		for _, v := range posts {
			require.NoError(t, ch.Port1.PostMessage(ctx, v))
		}
		require.NoError(t, ch.Port1.PostMessage(ctx, "with a port", extra.Port2))
		require.NoError(t, ch.Port1.Close(ctx))
	})
	for i, want := range posts {
		g := receive(t, data, fmt.Sprintf("message %d", i))
		assert.Equal(t, want, g.data)
		assert.Empty(t, g.ports)
	}
	g := receive(t, data, "the message with a port")
	assert.Equal(t, "with a port", g.data)
	require.Len(t, g.ports, 1)
	ce, ok := receive(t, events, "the CloseEvent").(*CloseEvent)
	require.True(t, ok, "want the CloseEvent in Receive")
	assert.Equal(t, CloseByPeer, ce.Reason)
	// The carried port is the receiver's: started there, it gets what the
	// other node posts on its other end.
	carried := g.ports[0]
	b.Root.Send(receiver, &runOn{done: make(chan struct{}), f: func(ctx actor.Context) {
		require.NoError(t, carried.Start(ctx))
	}})
	x.do(func(ctx actor.Context) { require.NoError(t, extra.Port1.PostMessage(ctx, "on the carried port")) })
	me, ok := receive(t, events, "the message on the carried port").(*MessageEvent)
	require.True(t, ok, "want a MessageEvent")
	assert.Equal(t, "on the carried port", me.Data)
	assert.Same(t, carried, me.Target)
}
