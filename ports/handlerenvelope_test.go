package ports

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// While a port's OnMessage handler runs, the envelope the middleware was
// given holds the handler's *MessageEvent, in a batch as well: a middleware
// in front of ReceiverMiddleware (the actors package's error reporting, a
// tracer) sees the event the user's code handled, never the notification.
func TestHandlerEventIsInTheTaskEnvelope(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	seen := make(chan string, 16)
	var task *actor.MessageEnvelope
	outer := func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
			task = env
			next(rc, env)
		}
	}
	release := make(chan struct{})
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*MessageEvent); ok && m.Target == nil {
			require.NoError(t, m.Ports[0].OnMessage(ctx, func(_ actor.Context, ev *MessageEvent) {
				if ev.Data == "hold" {
					<-release
				}
				inEnv, _ := task.Message.(*MessageEvent)
				seen <- fmt.Sprintf("%v same=%v", ev.Data, inEnv == ev)
			}))
		}
	}, actor.WithReceiverMiddleware(outer, ReceiverMiddleware))
	b, err := sys.Root.SpawnNamed(props, t.Name())
	require.NoError(t, err)
	t.Cleanup(func() { _ = sys.Root.StopFuture(b).Wait() })
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b, nil, ch.Port2)) })
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "hold"))
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	close(release)
	for _, want := range []string{"hold same=true", "1 same=true", "2 same=true", "3 same=true"} {
		assert.Equal(t, want, receive(t, seen, want))
	}
}
