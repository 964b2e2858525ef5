package ports

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message the receiving owner cannot rebuild is reported to the sending
// end too: its node publishes RemoteRebuildFailed and counts it; the
// receiving port still gets its MessageErrorEvent and the channel goes on.
func TestRebuildFailureIsToldToTheSender(t *testing.T) {
	sys := newSystem(t)
	told := subscribe[*RemoteRebuildFailed](t, sys)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	rec, err := messages.Serialize(unregisteredRecord{A: 1})
	require.NoError(t, err)
	b, err := rec.MarshalBinary()
	require.NoError(t, err)
	// As from Port1, Port2's peer (the way another node's message comes).
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: ch.Port2.core.key, From: ch.Port1.core.key, Seq: 1, Record: b})
	_, ok := a.next().(*MessageErrorEvent)
	require.True(t, ok)

	r := receive(t, told, "RemoteRebuildFailed")
	assert.Equal(t, ch.Port1.PID(), r.Port, "reported by the sending end")
	assert.Equal(t, ch.Port2.PID(), r.Peer)
	assert.Equal(t, uint64(1), r.Seq)
	assert.Contains(t, r.Reason, "not registered")
	level, _, _ := r.Log()
	assert.Equal(t, "WARN", level.String())
	assert.Equal(t, int64(1), Get(sys).Stats().RebuildErrors)
}

// Only the sending end's route neighbour is heard: a RebuildFailed with
// a made-up sender is held, never reported as news from the other end.
func TestRebuildFailedFromAStrangerIsNotReported(t *testing.T) {
	sys := newSystem(t)
	told := subscribe[*RemoteRebuildFailed](t, sys)
	rejected := subscribe[*ProtocolRejected](t, sys)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	sys.Root.Send(ch.Port1.PID(), &wire.RebuildFailed{Key: ch.Port1.core.key, From: &wire.Ref{Pid: ch.Port2.PID(), Key: randomKey()}, Seq: 1, Reason: "forged"})
	// A neighbour's PID with another key is refused at once.
	sys.Root.Send(ch.Port1.PID(), &wire.RebuildFailed{Key: ch.Port1.core.key, From: &wire.Ref{Pid: ch.Port1.PID(), Key: ch.Port2.core.key}, Seq: 1, Reason: "forged"})
	pr := receive(t, rejected, "ProtocolRejected")
	assert.Equal(t, "*wire.RebuildFailed", pr.Message)
	select {
	case r := <-told:
		t.Fatalf("reported a forged RebuildFailed: %+v", r)
	default:
	}
	assert.Equal(t, int64(0), Get(sys).Stats().RebuildErrors)
}

// TryReceive of a message that cannot be rebuilt tells the sending end as
// a dispatch does.
func TestRebuildFailureOnTryReceiveIsToldToTheSender(t *testing.T) {
	sys := newSystem(t)
	told := subscribe[*RemoteRebuildFailed](t, sys)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	rec, err := messages.Serialize(unregisteredRecord{A: 2})
	require.NoError(t, err)
	b, err := rec.MarshalBinary()
	require.NoError(t, err)
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: ch.Port2.core.key, From: ch.Port1.core.key, Seq: 1, Record: b})
	eventually(t, func() bool {
		var got bool
		a.do(func(ctx actor.Context) {
			_, ok, err := ch.Port2.TryReceive(ctx)
			if ok {
				got = true
				assert.ErrorIs(t, err, messages.ErrDataClone)
			}
		})
		return got
	}, "the message reached the port")
	r := receive(t, told, "RemoteRebuildFailed")
	assert.Equal(t, ch.Port1.PID(), r.Port)
	assert.Equal(t, uint64(1), r.Seq)
}
