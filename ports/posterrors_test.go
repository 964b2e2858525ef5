package ports

import (
	"errors"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/messages"
)

// By default a post on a closed or transferred port is dropped silently, as
// on the web; it is counted all the same.
func TestPostOnClosedPortIsSilentByDefault(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	before := Get(sys).Stats().Dropped
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		assert.NoError(t, ch.Port1.PostMessage(ctx, "dropped"))
		assert.NoError(t, ch.Port1.PostMessage(ctx, struct{ A int }{1}))
	})
	assert.Equal(t, before+2, Get(sys).Stats().Dropped)
}

// With WithPostErrors(true) PostMessage says why it dropped a message:
// ErrPortClosed for a closed port or a doomed channel, ErrDetached for a
// port transferred away; both are InvalidStateErrors. The transfer still
// happens, as the standard orders it: the ports listed are shipped (and,
// with nobody to adopt them, closed: their peers hear of it).
func TestPostErrors(t *testing.T) {
	sys := newSystem(t, WithPostErrors(true))
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	closed := newChannel(t, a)
	moved := newChannel(t, a)
	carried := newChannel(t, a)
	doomed := newChannel(t, a)
	before := Get(sys).Stats().Dropped
	a.do(func(ctx actor.Context) {
		require.NoError(t, closed.Port1.Close(ctx))
		err := closed.Port1.PostMessage(ctx, "primitive")
		assert.ErrorIs(t, err, ErrPortClosed)
		assert.ErrorIs(t, err, messages.ErrInvalidState)
		err = closed.Port1.PostMessage(ctx, []int{1, 2}, carried.Port2)
		assert.ErrorIs(t, err, ErrPortClosed)
		assert.True(t, carried.Port2.Detached(), "the port in the transfer list was shipped all the same")

		require.NoError(t, PostTo(ctx, b.pid, nil, moved.Port2))
		err = moved.Port2.PostMessage(ctx, "after the transfer")
		assert.ErrorIs(t, err, ErrDetached)
		assert.ErrorIs(t, err, messages.ErrInvalidState)
		assert.False(t, errors.Is(err, ErrPortClosed))

		err = doomed.Port1.PostMessage(ctx, "doom", doomed.Port2)
		assert.ErrorIs(t, err, ErrPortClosed)
		assert.Contains(t, err.Error(), "doomed")
	})
	assert.Equal(t, CloseByPeer, a.nextClose().Reason, "the carried port's peer hears that it is gone")
	assert.Equal(t, before+4, Get(sys).Stats().Dropped)
	b.nextMessage()
}

// Drops are reported in aggregate: a burst of 2,000 posts on a closed port
// is one report at once and then at most one per interval, and the counts
// add up to every message dropped.
func TestDropsAreReportedInAggregate(t *testing.T) {
	const interval = 50 * time.Millisecond
	sys := newSystem(t, WithDropReports(interval))
	dropped := subscribe[*MessageDropped](t, sys)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	before := Get(sys).Stats().Dropped
	start := time.Now()
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		for i := 0; i < 2000; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	assert.Equal(t, before+2000, Get(sys).Stats().Dropped)
	first := receive(t, dropped, "the first MessageDropped")
	assert.Equal(t, 1, first.Count, "the first drop is reported at once")
	total, reports := first.Count, 1
	for total < 2000 {
		md := receive(t, dropped, "MessageDropped")
		assert.True(t, md.Port.Equal(ch.Port1.PID()))
		assert.False(t, md.Last.Before(md.First))
		total += md.Count
		reports++
	}
	elapsed := time.Since(start)
	assert.Equal(t, 2000, total)
	assert.LessOrEqual(t, reports, 2+int(elapsed/interval), "at most one report per interval after the first")
}

// When the port actor stops, the drops not yet reported go out at once in
// a final report.
func TestDropReportIsFlushedWhenThePortStops(t *testing.T) {
	sys := newSystem(t, WithQueueLimit(1, 0), WithOverflowPolicy(OverflowDrop), WithDropReports(time.Hour))
	dropped := subscribe[*MessageDropped](t, sys)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p := b.nextMessage().Ports[0]
	before := Get(sys).Stats().Dropped
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 5; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	eventually(t, func() bool { return Get(sys).Stats().Dropped == before+4 }, "four messages over the limit dropped")
	first := receive(t, dropped, "the first MessageDropped")
	assert.Equal(t, 1, first.Count)
	assert.False(t, first.Final)
	b.do(func(ctx actor.Context) { require.NoError(t, p.Close(ctx)) })
	var final *MessageDropped
	for final == nil {
		md := receive(t, dropped, "the final MessageDropped")
		if md.Reason == first.Reason {
			final = md
		}
	}
	assert.True(t, final.Final)
	assert.Equal(t, 3, final.Count)
	assert.True(t, final.Port.Equal(first.Port))
}
