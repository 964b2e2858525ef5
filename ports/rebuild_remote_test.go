//go:build !race

package ports

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// remoteOnlyRecord is never registered: another node cannot rebuild it.
type remoteOnlyRecord struct{ N int }

// moveAcross transfers port (owned by from) to to, on another node, and
// returns the handle to receives. A PID caches the process it was first
// used with, so to is named afresh for from's system.
func moveAcross(t *testing.T, from, to *probe, port *MessagePort) *MessagePort {
	t.Helper()
	there := actor.NewPID(to.pid.GetAddress(), to.pid.GetId())
	from.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, there, "move", port)) })
	ev := to.nextMessage()
	require.Len(t, ev.Ports, 1)
	return ev.Ports[0]
}

// Across nodes, a message whose type the receiving node has not
// registered is a MessageErrorEvent there and a RemoteRebuildFailed on
// the sending node, naming the sending port; the messages after it still
// arrive, both ways.
func TestRemoteRebuildFailureIsToldToTheSender(t *testing.T) {
	na, nb := remoteNode(t), remoteNode(t)
	for _, sys := range []*actor.ActorSystem{na, nb} {
		_, err := Register(sys)
		require.NoError(t, err)
	}
	told := subscribe[*RemoteRebuildFailed](t, na)
	a, b := newProbe(t, na, "a"), newProbe(t, nb, "b")
	ch := newChannel(t, a)
	far := moveAcross(t, a, b, ch.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, remoteOnlyRecord{N: 1}), "the sender cannot know")
		require.NoError(t, ch.Port1.PostMessage(ctx, "after"))
	})
	ev := b.next()
	me, ok := ev.(*MessageErrorEvent)
	require.Truef(t, ok, "want a MessageErrorEvent, got %T", ev)
	assert.Contains(t, me.Err.Error(), "not registered")
	assert.Equal(t, "after", b.nextMessage().Data, "the channel goes on")

	r := receive(t, told, "RemoteRebuildFailed")
	assert.Equal(t, ch.Port1.PID(), r.Port)
	assert.Equal(t, uint64(1), r.Seq)
	assert.Contains(t, r.Reason, "not registered")
	assert.Equal(t, int64(1), Get(na).Stats().RebuildErrors)
	assert.Equal(t, int64(0), Get(nb).Stats().RebuildErrors)

	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	b.do(func(ctx actor.Context) { require.NoError(t, far.PostMessage(ctx, "back")) })
	assert.Equal(t, "back", a.nextMessage().Data)
}

// The ports a message carries are lost with it when the other node cannot
// rebuild it (as on the web, where a messageerror has no ports): the
// sender's end of such a port gets a CloseEvent, and what it posts after
// that is dropped. That is the "next posts vanish" of a reply port; the
// channel the message came on goes on, and the sender hears why.
func TestRemoteRebuildFailureClosesTheCarriedPorts(t *testing.T) {
	na, nb := remoteNode(t), remoteNode(t)
	for _, sys := range []*actor.ActorSystem{na, nb} {
		_, err := Register(sys)
		require.NoError(t, err)
	}
	told := subscribe[*RemoteRebuildFailed](t, na)
	a, b := newProbe(t, na, "a"), newProbe(t, nb, "b")
	ch := newChannel(t, a)
	far := moveAcross(t, a, b, ch.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	reply := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, reply.Port1.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, []any{remoteOnlyRecord{N: 1}, reply.Port2}, reply.Port2))
	})
	_, ok := b.next().(*MessageErrorEvent)
	require.True(t, ok)
	ce := a.nextClose()
	assert.Same(t, reply.Port1, ce.Target, "the reply port's kept end closes")
	assert.Contains(t, receive(t, told, "RemoteRebuildFailed").Reason, "not registered")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "after")) })
	assert.Equal(t, "after", b.nextMessage().Data)
}
