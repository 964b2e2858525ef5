package ports

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roomChannels makes n channels owned by pr, with every Port2 started,
// and returns them.
func roomChannels(t *testing.T, pr *probe, n int) []*MessageChannel {
	t.Helper()
	chs := make([]*MessageChannel, n)
	for i := range chs {
		chs[i] = newChannel(t, pr)
	}
	pr.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, ch.Port2.Start(ctx))
		}
	})
	return chs
}

func collect(pc *PortCollection) []*MessagePort { return slices.Collect(pc.All()) }

func TestCollectionAddRemoveAndOwnership(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	chs := roomChannels(t, a, 3)
	foreign := newChannel(t, b)
	var pc PortCollection // the zero value is ready
	a.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, pc.Add(ctx, ch.Port1))
		}
		require.NoError(t, pc.Add(ctx, chs[0].Port1), "adding twice does nothing")
		assert.ErrorIs(t, pc.Add(ctx, foreign.Port1), messages.ErrInvalidState, "a port of another actor")
		assert.ErrorIs(t, pc.Add(ctx, nil), messages.ErrInvalidState)
		closed := newChannelIn(t, ctx)
		require.NoError(t, closed.Port1.Close(ctx))
		assert.ErrorIs(t, pc.Add(ctx, closed.Port1), messages.ErrInvalidState, "a closed port")
	})
	assert.Equal(t, 3, pc.Len())
	assert.Equal(t, []*MessagePort{chs[0].Port1, chs[1].Port1, chs[2].Port1}, collect(&pc))
	assert.False(t, pc.Has(foreign.Port1))

	pc.Remove(chs[1].Port1)
	pc.Remove(foreign.Port1) // not in it: nothing happens
	assert.Equal(t, []*MessagePort{chs[0].Port1, chs[2].Port1}, collect(&pc))
	assert.False(t, pc.Has(chs[1].Port1))
	assert.True(t, pc.Has(chs[2].Port1))
	for p := range pc.All() {
		pc.Remove(p) // changing the collection while iterating is allowed
	}
	assert.Zero(t, pc.Len())
}

// newChannelIn makes a channel from inside the owner's Receive.
func newChannelIn(t *testing.T, ctx actor.Context) *MessageChannel {
	t.Helper()
	ch, err := NewMessageChannel(ctx)
	require.NoError(t, err)
	return ch
}

type roomLine struct {
	N    int
	Tags []string
}

// Each port's other end gets the broadcasts in the order posted, and
// each receiver in this process gets a copy of its own.
func TestCollectionBroadcastOrderPerPort(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	chs := roomChannels(t, a, 3)
	pc := NewPortCollection()
	a.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, pc.Add(ctx, ch.Port1))
		}
		for i := 1; i <= 5; i++ {
			require.NoError(t, pc.PostMessage(ctx, roomLine{N: i, Tags: []string{"x"}}))
		}
		require.NoError(t, pc.PostMessage(ctx, "end")) // a primitive goes as it is
	})
	got := map[*MessagePort][]any{}
	var copies []*string
	for i := 0; i < 3*6; i++ {
		ev := a.nextMessage()
		got[ev.Target] = append(got[ev.Target], ev.Data)
		if l, ok := ev.Data.(roomLine); ok {
			copies = append(copies, &l.Tags[0])
		}
	}
	for _, ch := range chs {
		want := []any{}
		for i := 1; i <= 5; i++ {
			want = append(want, roomLine{N: i, Tags: []string{"x"}})
		}
		assert.Equal(t, append(want, "end"), got[ch.Port2])
	}
	for i := range copies {
		for j := i + 1; j < len(copies); j++ {
			require.NotSame(t, copies[i], copies[j], "two receivers share a copy")
		}
	}
}

// A port leaves the collection by itself when it is closed, transferred,
// or has had its CloseEvent; the others still get the broadcast.
func TestCollectionPortLeavesByItself(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	chs := roomChannels(t, a, 4)
	pc := NewPortCollection()
	a.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, pc.Add(ctx, ch.Port1))
		}
		require.NoError(t, chs[0].Port1.Close(ctx))                     // closed
		require.NoError(t, PostTo(ctx, b.pid, "take it", chs[1].Port1)) // transferred
		require.NoError(t, chs[2].Port1.Start(ctx))
		require.NoError(t, chs[2].Port2.Close(ctx)) // its other end closes: a CloseEvent
	})
	moved := b.nextMessage()
	require.Len(t, moved.Ports, 1)
	closes := 0
	for closes < 2 { // Port2 of chs[0], Port1 of chs[2]
		if _, ok := a.next().(*CloseEvent); ok {
			closes++
		}
	}
	assert.Equal(t, []*MessagePort{chs[3].Port1}, collect(pc))
	a.do(func(ctx actor.Context) { require.NoError(t, pc.PostMessage(ctx, "still here")) })
	ev := a.nextMessage()
	assert.Same(t, chs[3].Port2, ev.Target)
	assert.Equal(t, "still here", ev.Data)
	a.quiet(20 * time.Millisecond)
}

// A port that cannot take the broadcast does not stop the others; the
// error names it.
func TestCollectionFailingPortDoesNotStopOthers(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	mine := roomChannels(t, a, 2)
	theirs := newChannel(t, b)
	pc := NewPortCollection()
	a.do(func(ctx actor.Context) { require.NoError(t, pc.Add(ctx, mine[0].Port1)) })
	b.do(func(ctx actor.Context) { require.NoError(t, pc.Add(ctx, theirs.Port1)) })
	a.do(func(ctx actor.Context) {
		require.NoError(t, pc.Add(ctx, mine[1].Port1))
		err := pc.PostMessage(ctx, roomLine{N: 1})
		require.Error(t, err)
		assert.ErrorIs(t, err, messages.ErrInvalidState)
		var pe *PortError
		require.True(t, errors.As(err, &pe))
		assert.Same(t, theirs.Port1, pe.Port)
	})
	for _, ch := range mine {
		ev := a.nextMessage()
		assert.Same(t, ch.Port2, ev.Target)
		assert.Equal(t, roomLine{N: 1}, ev.Data)
	}
}

// A transfer list in a broadcast is a DataCloneError: nothing is
// detached and nothing posted. So is data that cannot be cloned.
func TestCollectionRefusesTransferListAndUnclonableData(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	chs := roomChannels(t, a, 2)
	pc := NewPortCollection()
	other := newChannel(t, a)
	ab := messages.NewArrayBuffer([]byte("bytes"))
	a.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, pc.Add(ctx, ch.Port1))
		}
		err := pc.PostMessage(ctx, ab, ab, other.Port2)
		assert.ErrorIs(t, err, messages.ErrDataClone)
		assert.Contains(t, err.Error(), "one port only")
		err = pc.PostMessage(ctx, roomLine{N: 1}, nil)
		assert.ErrorIs(t, err, messages.ErrDataClone, "even a list of nils")
		err = pc.PostMessage(ctx, map[string]any{"f": func() {}})
		assert.ErrorIs(t, err, messages.ErrDataClone)
	})
	assertAttached(t, ab, other.Port2)
	a.quiet(20 * time.Millisecond)
	assert.Equal(t, 2, pc.Len())
}

// Under a queue byte limit each port posts as MessagePort.PostMessage
// does (the record is what the limit counts); the result is the same.
func TestCollectionUnderAByteLimit(t *testing.T) {
	sys := newSystem(t, WithQueueLimit(0, 1<<20))
	a := newProbe(t, sys, "a")
	chs := roomChannels(t, a, 2)
	pc := NewPortCollection()
	a.do(func(ctx actor.Context) {
		for _, ch := range chs {
			require.NoError(t, pc.Add(ctx, ch.Port1))
		}
		assert.ErrorIs(t, pc.PostMessage(ctx, func() {}), messages.ErrDataClone)
		require.NoError(t, pc.PostMessage(ctx, roomLine{N: 7}))
	})
	for range chs {
		assert.Equal(t, roomLine{N: 7}, a.nextMessage().Data)
	}
	a.quiet(20 * time.Millisecond)
}
