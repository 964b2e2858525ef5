package ports

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// While a port's handler runs, the envelope the middleware was given holds
// what the handler got, in a batch as well: an OnMessage handler's
// *MessageEvent, an OnData handler's data. A middleware in front of
// ReceiverMiddleware (the actors package's error reporting, a tracer) sees
// what the user's code handled, never the notification.
func TestHandlerEventIsInTheTaskEnvelope(t *testing.T) {
	for _, tt := range []struct {
		name string
		// set gives port a handler that calls got with the data it was
		// handed and whether the envelope holds what the handler got.
		set func(ctx actor.Context, port *MessagePort, task func() *actor.MessageEnvelope, got func(data any, same bool)) error
	}{
		{"OnMessage", func(ctx actor.Context, port *MessagePort, task func() *actor.MessageEnvelope, got func(any, bool)) error {
			return port.OnMessage(ctx, func(_ actor.Context, ev *MessageEvent) {
				inEnv, _ := task().Message.(*MessageEvent)
				got(ev.Data, inEnv == ev)
			})
		}},
		{"OnData", func(ctx actor.Context, port *MessagePort, task func() *actor.MessageEnvelope, got func(any, bool)) error {
			return port.OnData(ctx, func(_ actor.Context, data any, _ []*MessagePort) {
				got(data, task().Message == data)
			})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
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
					require.NoError(t, tt.set(ctx, m.Ports[0], func() *actor.MessageEnvelope { return task }, func(data any, same bool) {
						if data == "hold" {
							<-release
						}
						seen <- fmt.Sprintf("%v same=%v", data, same)
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
		})
	}
}
