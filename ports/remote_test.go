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
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// remoteNode starts an actor system with remote on 127.0.0.1 and no ports
// extension yet; cleanup stops it.
func remoteNode(t *testing.T) *actor.ActorSystem {
	t.Helper()
	return remoteNodeWith(t)
}

// remoteNodeWith is remoteNode with more remote options.
func remoteNodeWith(t *testing.T, opts ...remote.ConfigOption) *actor.ActorSystem {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	r := remote.NewRemote(sys, remote.Configure("127.0.0.1", 0, opts...))
	r.Start()
	t.Cleanup(func() {
		Unregister(sys)
		r.Shutdown(false)
		sys.Shutdown()
	})
	return sys
}

// nodeBeforeRemote returns a system with the ports extension registered
// (with opts) and remote not started yet, and the function that starts
// remote: actors spawned before that keep the "nonhost" address.
func nodeBeforeRemote(t *testing.T, opts ...Option) (*actor.ActorSystem, func()) {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	_, err := Register(sys, opts...)
	require.NoError(t, err)
	return sys, func() {
		r := remote.NewRemote(sys, remote.Configure("127.0.0.1", 0))
		r.Start()
		t.Cleanup(func() {
			Unregister(sys)
			r.Shutdown(false)
			sys.Shutdown()
		})
	}
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

// Across nodes, a port listens only to its route neighbours: a node that
// learnt the Ref of an end's old incarnation (a token names it) or only
// the port's route key can say nothing that the port acts on. Both are
// reported.
func TestRemoteOnlyNeighboursAreHeard(t *testing.T) {
	na, nb := remoteNode(t), remoteNode(t)
	for _, sys := range []*actor.ActorSystem{na, nb} {
		_, err := Register(sys)
		require.NoError(t, err)
	}
	rejected := subscribe[*ProtocolRejected](t, na)
	a, a2 := newProbe(t, na, "a"), newProbe(t, na, "a2")
	ch := newChannel(t, a)
	former, moved := moveAndSettle(t, a, a2, ch.Port2, ch.Port1)

	// Node B names the end's old incarnation, long replaced.
	requireFormerRefused(t, nb, rejected, ch.Port1, former)
	// Node B with the route key and a made-up sender.
	nb.Root.Send(ch.Port1.PID(), &wire.Msg{Key: ch.Port1.core.key, From: randomKey(), Seq: 2, Record: recordBytes(t, "forged")})
	pr := receive(t, rejected, "ProtocolRejected")
	assert.Contains(t, pr.Reason, "not a route neighbour")
	assert.Equal(t, "*wire.Msg", pr.Message)

	a2.do(func(ctx actor.Context) { require.NoError(t, moved.PostMessage(ctx, "real")) })
	assert.Equal(t, "real", a.nextMessage().Data, "the forged number 2 took nothing's place")
}
