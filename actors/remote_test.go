//go:build !race

// The cross-node tests are built without the race detector: protoactor
// remote at the pinned version races with itself (grpclog.SetLoggerV2 in
// Remote.Start, endpointManager.stop against remoteDeliver, the endpoint
// reader), and -race would report those in any multi-node test. .ci/run
// runs them in a separate step without -race.

package actors_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRemoteChannelAcrossNodes(t *testing.T) {
	nodes := newNodes(t, 2, echoKind("echo"))
	a, b := nodes[0], nodes[1]
	res, err := a.remote.SpawnNamed(b.sys.Address(), "echo-1", "echo", wait)
	require.NoError(t, err)
	echo := pidOn(res.Pid)

	local, remotePort, err := a.bridge.NewChannel(a.ctx())
	require.NoError(t, err)
	require.NoError(t, a.bridge.PostMessage(a.ctx(), actors.WindowOf(echo), "port", "https://echo.example", remotePort))
	echoCheck(t, a, local, 500, "in order, exactly once, across nodes")
}

// echoCheck posts 0..n-1 on local and expects them back in order.
func echoCheck(t *testing.T, a *node, local *actors.BridgePort, n int, what string) {
	t.Helper()
	for i := 0; i < n; i++ {
		require.NoError(t, local.PostMessage(a.ctx(), i))
	}
	for i := 0; i < n; i++ {
		ev, err := local.Receive(a.ctx())
		require.NoError(t, err)
		require.Equal(t, i, ev.Data, what)
	}
}

// A port's far end moves from node B to node C while messages flow both
// ways: everything arrives once, in order.
func TestRemoteTransferWhileFlowing(t *testing.T) {
	relay := remote.NewKind("relay", actors.WindowFunc(origin.MustParse("https://relay.example"), func(ctx actor.Context) {
		m, ok := ctx.Message().(*ports.MessageEvent)
		if !ok || len(m.Ports) != 1 {
			return
		}
		p, n := m.Ports[0], 0
		to := m.Data.(string)
		_ = p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
			_ = p.PostMessage(ctx, ev.Data)
			if n++; n == 50 {
				addr, id, _ := strings.Cut(to, "|")
				_ = ports.PostTo(ctx, actor.NewPID(addr, id), nil, p) // leaves from inside its own handler
			}
		})
	}))
	nodes := newNodes(t, 3, echoKind("echo"), relay)
	a, b, c := nodes[0], nodes[1], nodes[2]
	res, err := a.remote.SpawnNamed(b.sys.Address(), "relay-1", "relay", wait)
	require.NoError(t, err)
	relayPID := pidOn(res.Pid)
	res, err = a.remote.SpawnNamed(c.sys.Address(), "echo-1", "echo", wait)
	require.NoError(t, err)

	local, far, err := a.bridge.NewChannel(a.ctx())
	require.NoError(t, err)
	require.NoError(t, a.bridge.PostTo(a.ctx(), relayPID, res.Pid.GetAddress()+"|"+res.Pid.GetId(), far))
	echoCheck(t, a, local, 300, "in order, exactly once, across the move B -> C")
}

// Both ends of a channel move to other nodes at the same time.
func TestRemoteBothEndsMove(t *testing.T) {
	nodes := newNodes(t, 3, echoKind("echo"))
	a, b, c := nodes[0], nodes[1], nodes[2]
	// collect reports every message on the port it is given to its
	// node's bridge.
	collector := func(n *node) *actor.PID {
		return n.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://c.example"), func(ctx actor.Context) {
			if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
				p := m.Ports[0]
				_ = p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
					_ = ports.PostTo(ctx, n.bridge.PID(), ev.Data)
				})
			}
		}))
	}
	onB, onC := collector(b), collector(c)
	var p1, p2 *ports.MessagePort
	require.NoError(t, a.bridge.Do(a.ctx(), func(ctx actor.Context) error {
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			return err
		}
		p1, p2 = ch.Port1, ch.Port2
		for i := 0; i < 100; i++ {
			_ = p1.PostMessage(ctx, fmt.Sprintf("to p2 %d", i))
			_ = p2.PostMessage(ctx, fmt.Sprintf("to p1 %d", i))
		}
		// Both ends leave in the same task, to two other nodes.
		if err := ports.PostTo(ctx, pidOn(onB), nil, p1); err != nil {
			return err
		}
		return ports.PostTo(ctx, pidOn(onC), nil, p2)
	}))
	for i := 0; i < 100; i++ {
		assert.Equal(t, fmt.Sprintf("to p1 %d", i), b.next())
		assert.Equal(t, fmt.Sprintf("to p2 %d", i), c.next())
	}
}

// An unregistered struct type cannot be rebuilt on the other node: the
// receiving port gets a MessageErrorEvent; the channel goes on.
func TestRemoteUnregisteredType(t *testing.T) {
	nodes := newNodes(t, 2)
	a, b := nodes[0], nodes[1]
	type secret struct{ A int } // never registered
	local := reportingPeer(t, a, b, func(v any) string { return fmt.Sprint("message ", v) })
	require.NoError(t, local.PostMessage(a.ctx(), 1))
	require.NoError(t, local.PostMessage(a.ctx(), secret{A: 2}))
	require.NoError(t, local.PostMessage(a.ctx(), 3))
	assert.Equal(t, "message 1", b.next())
	assert.Equal(t, "messageerror true", b.next())
	assert.Equal(t, "message 3", b.next())
}

// reportingPeer connects a bridge port on node a to a window on node b
// that tells b's bridge what arrives: describe(data) for a message,
// "messageerror true" for a MessageErrorEvent matching ErrDataClone or
// ErrLimitExceeded.
func reportingPeer(t *testing.T, a, b *node, describe func(any) string) *actors.BridgePort {
	t.Helper()
	w := b.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://b.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ports.MessageEvent:
			if len(m.Ports) == 1 {
				_ = m.Ports[0].Start(ctx)
				return
			}
			_ = ports.PostTo(ctx, b.bridge.PID(), describe(m.Data))
		case *ports.MessageErrorEvent:
			_ = ports.PostTo(ctx, b.bridge.PID(), fmt.Sprint("messageerror ", errors.Is(m.Err, messages.ErrDataClone) || errors.Is(m.Err, messages.ErrLimitExceeded)))
		}
	}))
	local, far, err := a.bridge.NewChannel(a.ctx())
	require.NoError(t, err)
	require.NoError(t, a.bridge.PostTo(a.ctx(), pidOn(w), nil, far))
	return local
}

// The randomized contexts stress test with its contexts spread over three
// nodes.
var remoteStressSeeds = flag.Int("remotestress.seeds", 6, "number of seeds of the cross-node contexts stress test")

func TestRemoteContextsStress(t *testing.T) {
	seeds := *remoteStressSeeds
	if testing.Short() {
		seeds = 2
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			nodes := newNodes(t, 3)
			envs := []*env{nodes[0].env, nodes[1].env, nodes[2].env}
			runContextsSeedOn(t, seed, 200, envs)
		})
	}
}

// streamerKind is a window that, given a port, posts 0, 1, 2, ... on it
// in batches from a timer until it is stopped.
func streamerKind() *remote.Kind {
	return remote.NewKind("streamer", actors.WindowFunc(origin.MustParse("https://s.example"), func(ctx actor.Context) {
		m, ok := ctx.Message().(*ports.MessageEvent)
		if !ok || len(m.Ports) != 1 {
			return
		}
		p, next := m.Ports[0], 0
		var tick func(ctx actor.Context)
		tick = func(ctx actor.Context) {
			for i := 0; i < 20; i++ {
				_ = p.PostMessage(ctx, next)
				next++
			}
			_, _ = actors.SetTimeout(ctx, time.Millisecond, tick)
		}
		tick(ctx)
	}))
}

// A node dies in the middle of a message stream and of a transfer: the
// surviving ends deliver an in-order prefix, then exactly one CloseEvent
// (CloseLost); nothing is delivered twice.
func TestRemoteNodeKill(t *testing.T) {
	nodes := newNodes(t, 2, streamerKind(), echoKind("echo"))
	a, b := nodes[0], nodes[1]
	res, err := a.remote.SpawnNamed(b.sys.Address(), "streamer-1", "streamer", wait)
	require.NoError(t, err)
	streamer := pidOn(res.Pid)
	res, err = a.remote.SpawnNamed(b.sys.Address(), "echo-1", "echo", wait)
	require.NoError(t, err)
	echo := pidOn(res.Pid)

	stream, far, err := a.bridge.NewChannel(a.ctx())
	require.NoError(t, err)
	require.NoError(t, a.bridge.PostTo(a.ctx(), streamer, nil, far))
	// A second channel whose far end is on its way to node B when B dies.
	transit, far2, err := a.bridge.NewChannel(a.ctx())
	require.NoError(t, err)

	got := 0
	for ; got < 200; got++ {
		ev, err := stream.Receive(a.ctx())
		require.NoError(t, err)
		require.Equal(t, got, ev.Data)
	}
	require.NoError(t, a.bridge.PostTo(a.ctx(), echo, nil, far2))
	b.kill()

	for {
		ev, err := stream.Receive(a.ctx())
		if err != nil {
			require.ErrorIs(t, err, actors.ErrClosed, "the stream ends with a close, not a hang")
			break
		}
		require.Equal(t, got, ev.Data, "an in-order prefix, nothing twice")
		got++
	}
	require.NotNil(t, stream.CloseEvent())
	assert.Equal(t, ports.CloseLost, stream.CloseEvent().Reason)
	_, err = transit.Receive(a.ctx())
	assert.ErrorIs(t, err, actors.ErrClosed, "the port in transit to the dead node closes on the surviving side")

	// Exactly one close each: nothing else reaches the bridge later.
	require.NoError(t, actorstest.WaitQuiet(a.ctx(), a.plugin))
	done, cancel := context.WithCancel(context.Background())
	cancel()
	left, err := a.bridge.Next(done)
	assert.ErrorIs(t, err, context.Canceled, "unexpected event after the closes: %v", left)
	t.Logf("received %d messages before node B died", got)
}

// A node that speaks another protocol version, or has no entangle plugin,
// gets nothing but the Hello: messages for it are undeliverable, the
// ports they carry close on the sender's side, and the sender publishes
// PeerRejected.
func TestRemoteVersionCheck(t *testing.T) {
	tests := []struct {
		name    string
		version uint32 // what the other node's gateway answers; 0: no gateway
		reason  string
	}{
		{name: "other version", version: ports.ProtocolVersion + 1, reason: fmt.Sprintf("version %d", ports.ProtocolVersion+1)},
		// Version 2 nodes do not know wire.RebuildFailed.
		{name: "version 2", version: 2, reason: "version 2"},
		{name: "no plugin", version: 0, reason: "nothing answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newNodes(t, 1)[0]
			// The other node: plain protoactor with remote, no plugin.
			sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
				return slog.New(slog.DiscardHandler)
			}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
			r := remote.NewRemote(sys, remote.Configure("127.0.0.1", 0))
			r.Start()
			t.Cleanup(func() { r.Shutdown(false); sys.Shutdown() })
			seen := make(chan any, 16)
			if tt.version != 0 {
				_, err := sys.Root.SpawnNamed(actor.PropsFromFunc(func(ctx actor.Context) {
					if h, ok := ctx.Message().(*wire.Hello); ok {
						seen <- h
						ctx.Respond(&wire.Hello{Version: tt.version, Node: sys.Address()})
					}
				}), "entangle-gateway")
				require.NoError(t, err)
			}
			target, err := sys.Root.SpawnNamed(actor.PropsFromFunc(func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Started); !ok {
					seen <- ctx.Message()
				}
			}), "target")
			require.NoError(t, err)

			rejected := make(chan *ports.PeerRejected, 1)
			sub := a.sys.EventStream.Subscribe(func(ev any) {
				if m, ok := ev.(*ports.PeerRejected); ok {
					rejected <- m
				}
			})
			defer a.sys.EventStream.Unsubscribe(sub)

			local, far, err := a.bridge.NewChannel(a.ctx())
			require.NoError(t, err)
			require.NoError(t, a.bridge.PostTo(a.ctx(), pidOn(target), "hello", far))
			// A node where nothing answers is asked again for the whole
			// handshake timeout (it may be starting up).
			select {
			case m := <-rejected:
				assert.Equal(t, sys.Address(), m.Address)
				assert.Contains(t, m.Reason, tt.reason)
			case <-time.After(2 * wait):
				t.Fatal("no PeerRejected")
			}
			_, err = local.Receive(a.ctx())
			assert.ErrorIs(t, err, actors.ErrClosed, "the port that was to go there closes")
			if tt.version != 0 {
				_, isHello := (<-seen).(*wire.Hello)
				assert.True(t, isHello, "the Hello comes first")
			}
			select {
			case m := <-seen:
				t.Fatalf("the other node got %T besides the Hello", m)
			default:
			}
		})
	}
}

// A protocol message that does not carry the route key of the port actor
// it is sent to is dropped and reported, whatever node it comes from.
func TestRemoteForgedProtocolMessage(t *testing.T) {
	nodes := newNodes(t, 2)
	a, b := nodes[0], nodes[1]
	rejected := make(chan *ports.ProtocolRejected, 4)
	sub := a.sys.EventStream.Subscribe(func(ev any) {
		if m, ok := ev.(*ports.ProtocolRejected); ok {
			rejected <- m
		}
	})
	defer a.sys.EventStream.Unsubscribe(sub)
	local, far, err := a.bridge.NewChannel(a.ctx())
	require.NoError(t, err)
	var portPID *actor.PID
	require.NoError(t, a.bridge.Do(a.ctx(), func(actor.Context) error { portPID = local.Port().PID(); return nil }))
	rec, err := messages.Serialize("forged")
	require.NoError(t, err)
	raw, err := rec.MarshalBinary()
	require.NoError(t, err)
	// Node B guesses a key.
	b.sys.Root.Send(pidOn(portPID), &wire.Msg{Key: 42, Seq: 1, Record: raw})
	select {
	case m := <-rejected:
		assert.Contains(t, m.Reason, "key")
	case <-a.ctx().Done():
		t.Fatal("no ProtocolRejected")
	}
	// The real channel is untouched.
	require.NoError(t, a.bridge.Do(a.ctx(), func(ctx actor.Context) error { return far.PostMessage(ctx, "real") }))
	ev, err := local.Receive(a.ctx())
	require.NoError(t, err)
	assert.Equal(t, "real", ev.Data)
}

// A record from another node is decoded within the receiving node's
// limits: one that exceeds them is a MessageErrorEvent there, and the
// channel goes on.
func TestRemoteDecodeLimits(t *testing.T) {
	nodes := newNodesWith(t, 2, []actors.Option{actors.WithPortOptions(ports.WithDecodeLimits(messages.WithMaxDepth(8), messages.WithMaxBytes(1<<16)))})
	a, b := nodes[0], nodes[1]
	local := reportingPeer(t, a, b, func(v any) string { return fmt.Sprintf("message of %T", v) })
	var deep any = 1
	for i := 0; i < 20; i++ {
		deep = []any{deep}
	}
	require.NoError(t, local.PostMessage(a.ctx(), deep))
	require.NoError(t, local.PostMessage(a.ctx(), make([]byte, 1<<20)))
	require.NoError(t, local.PostMessage(a.ctx(), "small"))
	assert.Equal(t, "messageerror true", b.next(), "too deep")
	assert.Equal(t, "messageerror true", b.next(), "too big")
	assert.Equal(t, "message of string", b.next())
}
