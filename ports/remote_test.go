//go:build !race

// Built without the race detector: protoactor remote at the pinned version
// races with itself in a process that runs two nodes. .ci/run runs the
// tests named Remote in a separate step without -race.

package ports

import (
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// remoteNode starts an actor system with remote on 127.0.0.1 and no ports
// extension yet; cleanup stops it.
func remoteNode(t *testing.T) *actor.ActorSystem {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	r := remote.NewRemote(sys, remote.Configure("127.0.0.1", 0))
	r.Start()
	t.Cleanup(func() {
		Unregister(sys)
		r.Shutdown(false)
		sys.Shutdown()
	})
	return sys
}

// A node whose ports extension starts after the first Hello reached it
// (its first owner is spawned but has not started yet, and the owner
// starts the extension) is asked again: the port that was waiting for the
// handshake arrives.
func TestRemoteHelloBeforeThePeerIsReady(t *testing.T) {
	a, b := remoteNode(t), remoteNode(t)
	_, err := Register(a)
	require.NoError(t, err)

	refused := make(chan struct{}, 1)
	sub := b.EventStream.Subscribe(func(ev any) {
		if d, ok := ev.(*actor.DeadLetterEvent); ok && d.PID.GetId() == gatewayName {
			select {
			case refused <- struct{}{}:
			default:
			}
		}
	})
	defer b.EventStream.Unsubscribe(sub)

	// The receiver exists, but its Started (where ReceiverMiddleware
	// starts b's extension and its gateway) waits for release.
	release := make(chan struct{})
	hold := func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			if _, ok := env.Message.(*actor.Started); ok {
				<-release
			}
			next(c, env)
		}
	}
	got := make(chan *MessageEvent, 1)
	receiver, err := b.Root.SpawnNamed(actor.PropsFromFunc(func(ctx actor.Context) {
		if ev, ok := ctx.Message().(*MessageEvent); ok {
			if len(ev.Ports) == 1 {
				require.NoError(t, ev.Ports[0].PostMessage(ctx, "thanks"))
			}
			got <- ev
		}
	}, actor.WithReceiverMiddleware(hold, ReceiverMiddleware)), "receiver")
	require.NoError(t, err)

	x := newProbe(t, a, "x")
	ch := newChannel(t, x)
	x.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, PostTo(ctx, actor.NewPID(b.Address(), receiver.GetId()), "take this", ch.Port2))
	})
	select {
	case <-refused:
	case <-time.After(waitFor):
		t.Fatal("the first Hello never reached the other node")
	}
	close(release)
	select {
	case ev := <-got:
		assert.Equal(t, "take this", ev.Data)
		assert.Len(t, ev.Ports, 1)
	case <-time.After(waitFor):
		t.Fatal("the port never arrived")
	}
	assert.Equal(t, "thanks", x.nextMessage().Data)
}
