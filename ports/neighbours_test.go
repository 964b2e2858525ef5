package ports

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idleActor is a live actor that is no port: a PID to name in forged
// messages.
func idleActor(t *testing.T, sys *actor.ActorSystem) *actor.PID {
	t.Helper()
	pid := sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	return pid
}

// startedChannel is a system watched for ProtocolRejected, a probe that
// owns a channel, and the channel with Port2 started.
func startedChannel(t *testing.T) (*actor.ActorSystem, chan *ProtocolRejected, *probe, *MessageChannel) {
	t.Helper()
	sys := newSystem(t)
	rejected := subscribe[*ProtocolRejected](t, sys)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	return sys, rejected, a, ch
}

// A port actor acts only on messages from its route neighbours. Messages
// that carry its route key but come from anyone else change nothing and
// are reported; the channel keeps flowing, its numbers untouched.
func TestNeighboursOnlyAreHeard(t *testing.T) {
	for _, tt := range []struct {
		name   string
		forge  func(t *testing.T, sys *actor.ActorSystem, ch *MessageChannel) any
		reason string
	}{
		{
			name: "a user message from an actor that is no neighbour",
			forge: func(t *testing.T, sys *actor.ActorSystem, ch *MessageChannel) any {
				return &wire.Msg{Key: ch.Port2.core.key, From: randomKey(), Seq: 1, Record: recordBytes(t, "forged")}
			},
			reason: "not a route neighbour",
		},
		{
			name: "a Closed from an actor that is no neighbour",
			forge: func(t *testing.T, sys *actor.ActorSystem, ch *MessageChannel) any {
				return &wire.Closed{Key: ch.Port2.core.key, From: &wire.Ref{Pid: idleActor(t, sys), Key: randomKey()}, Lost: true}
			},
			reason: "not a route neighbour",
		},
		{
			name: "a PrevIs from an actor that is no neighbour",
			forge: func(t *testing.T, sys *actor.ActorSystem, ch *MessageChannel) any {
				stranger := &wire.Ref{Pid: idleActor(t, sys), Key: randomKey()}
				return &wire.PrevIs{Key: ch.Port2.core.key, From: stranger, Prev: stranger}
			},
			reason: "not a route neighbour",
		},
		{
			name: "a Closed with the peer's key from another actor",
			forge: func(t *testing.T, sys *actor.ActorSystem, ch *MessageChannel) any {
				return &wire.Closed{Key: ch.Port2.core.key, From: &wire.Ref{Pid: idleActor(t, sys), Key: ch.Port1.core.key}, Lost: true}
			},
			reason: "belongs to another actor",
		},
		{
			name: "a Bypass with the peer's key from another actor",
			forge: func(t *testing.T, sys *actor.ActorSystem, ch *MessageChannel) any {
				other := &wire.Ref{Pid: idleActor(t, sys), Key: ch.Port1.core.key}
				return &wire.Bypass{Key: ch.Port2.core.key, From: other, Proxy: ch.Port1.core.ref(), Target: other}
			},
			reason: "belongs to another actor",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sys, rejected, a, ch := startedChannel(t)
			sys.Root.Send(ch.Port2.PID(), tt.forge(t, sys, ch))
			pr := receive(t, rejected, "ProtocolRejected")
			assert.True(t, pr.Port.Equal(ch.Port2.PID()))
			assert.Contains(t, pr.Reason, tt.reason)
			// Nothing changed: the real first message is the first event
			// (not a duplicate of a forged number, not after a close).
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "real")) })
			assert.Equal(t, "real", a.nextMessage().Data)
			assert.Equal(t, int64(1), Get(sys).Stats().ProtocolErrors)
		})
	}
}

// An actor that has handed its part of the route on is a neighbour no
// more: what it says afterwards is dropped and reported.
func TestNeighboursFormerNeighbourIsNotHeard(t *testing.T) {
	sys := newSystem(t)
	rejected := subscribe[*ProtocolRejected](t, sys)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	old, moved := moveAndSettle(t, a, b, ch.Port1, ch.Port2)
	requireFormerRefused(t, sys, rejected, ch.Port2, old)
	// Nor does a user message in its name take the next number: the old
	// incarnation said it had sent none.
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: ch.Port2.core.key, From: old.GetKey(), Seq: 2, Record: recordBytes(t, "forged")})
	pr := receive(t, rejected, "ProtocolRejected")
	assert.Contains(t, pr.Reason, "numbered after its sender left")
	b.do(func(ctx actor.Context) { require.NoError(t, moved.PostMessage(ctx, "still open")) })
	assert.Equal(t, "still open", a.nextMessage().Data, "the channel did not close")
}

// A neighbour's first message can arrive before the news that makes it
// one (they come from different actors): it waits, and is handled once
// the news arrives.
func TestNeighboursEarlyMessageWaitsForItsSender(t *testing.T) {
	sys, rejected, a, ch := startedChannel(t)
	successor := &wire.Ref{Pid: idleActor(t, sys), Key: randomKey()}
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: ch.Port2.core.key, From: successor.GetKey(), Seq: 1, Record: recordBytes(t, "early")})
	// The current sender (Port1) announces the successor.
	sys.Root.Send(ch.Port2.PID(), &wire.PrevIs{Key: ch.Port2.core.key, From: ch.Port1.core.ref(), Prev: successor})
	assert.Equal(t, "early", a.nextMessage().Data)
	select {
	case pr := <-rejected:
		t.Fatalf("a message that waited for its sender was reported: %+v", pr)
	default:
	}
	assert.Equal(t, int64(0), Get(sys).Stats().ProtocolErrors)
}

// The fast path takes messages only from the neighbours the port actor
// named: a message from anyone else goes to the actor, which holds it.
func TestNeighboursFastPathChecksTheSender(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	c := ch.Port2.core
	c.mu.Lock()
	in, next := c.fastIn, c.nextIn
	c.mu.Unlock()
	require.True(t, in, "an idle open port takes messages on the fast path")
	res, _ := c.acceptFast(&inMsg{seq: next}, randomKey(), true, c.own.queued)
	assert.Equal(t, fastFallback, res, "from a stranger")
	res, note := c.acceptFast(&inMsg{seq: next, val: "fast", plain: true}, ch.Port1.core.key, true, c.own.queued)
	assert.NotEqual(t, fastFallback, res, "from the peer")
	if note != nil {
		sys.Root.Send(a.pid, note)
	}
	assert.Equal(t, "fast", a.nextMessage().Data)
}

// A Bypass must name an actor to send to. One that names only a key (here
// the key of a message held from a stranger) is refused: taken, it would
// leave the port sending nowhere, and would make the held message look
// like its peer's.
func TestNeighboursBypassToNoActorIsRefused(t *testing.T) {
	sys, rejected, a, ch := startedChannel(t)
	k := randomKey()
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: ch.Port2.core.key, From: k, Seq: 1, Record: recordBytes(t, "held")})
	peer := ch.Port1.core.ref()
	sys.Root.Send(ch.Port2.PID(), &wire.Bypass{Key: ch.Port2.core.key, From: peer, Proxy: peer, Target: &wire.Ref{Key: k}})
	pr := receive(t, rejected, "ProtocolRejected")
	assert.Contains(t, pr.Reason, "Bypass to no actor")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "real")) })
	assert.Equal(t, "real", a.nextMessage().Data, "the port still sends to and hears its peer")
}
