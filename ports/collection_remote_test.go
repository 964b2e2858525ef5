//go:build !race

package ports

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type farLine struct {
	N    int
	Text string
}

func init() { messages.RegisterType(farLine{}) }

// A broadcast to ports whose other ends are on another node encodes the
// data once for all of them; a port in this process gets a clone of its
// own, and every receiver gets the message.
func TestRemoteCollectionEncodesOnceForFarPorts(t *testing.T) {
	na, nb := remoteNode(t), remoteNode(t)
	for _, sys := range []*actor.ActorSystem{na, nb} {
		_, err := Register(sys)
		require.NoError(t, err)
	}
	a, b := newProbe(t, na, "a"), newProbe(t, nb, "b")
	chs := roomChannels(t, a, 4)
	var far []*MessagePort
	for _, ch := range chs[1:] {
		far = append(far, moveAcross(t, a, b, ch.Port2))
	}
	// One message back on each: once it has arrived, the route is
	// direct, and posts go straight to the other node.
	a.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, ch.Port1.Start(ctx))
		}
	})
	b.do(func(ctx actor.Context) {
		for _, p := range far {
			require.NoError(t, p.Start(ctx))
			require.NoError(t, p.PostMessage(ctx, "ready"))
		}
	})
	for range far {
		assert.Equal(t, "ready", a.nextMessage().Data)
	}
	eventually(t, func() bool {
		for _, ch := range chs[1:] {
			if !ch.Port1.core.sendsFar() {
				return false
			}
		}
		return true
	}, "the routes to the other node are direct")

	encodes := 0
	broadcastEncodes = func() { encodes++ }
	defer func() { broadcastEncodes = nil }()
	pc := NewPortCollection()
	a.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, pc.Add(ctx, ch.Port1))
		}
		require.NoError(t, pc.PostMessage(ctx, farLine{N: 1, Text: "to all"}))
	})
	assert.Equal(t, 1, encodes, "one encoding for the three far ports")
	assert.Equal(t, farLine{N: 1, Text: "to all"}, a.nextMessage().Data, "the port in this process")
	for range far {
		ev := b.nextMessage()
		assert.Equal(t, farLine{N: 1, Text: "to all"}, ev.Data)
	}
}
