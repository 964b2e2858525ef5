package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A port that holds messages without being started is reported once, after
// the threshold, naming the port and its owner; starting it ends the
// episode.
func TestPortNotStartedIsReportedOnce(t *testing.T) {
	sys := newSystem(t, WithUnstartedWarning(40*time.Millisecond))
	reports := subscribe[*PortNotStarted](t, sys)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p := b.nextMessage().Ports[0]
	start := time.Now()
	a.do(func(ctx actor.Context) {
		for i := 0; i < 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	r := receive(t, reports, "PortNotStarted")
	assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond, "not before the threshold")
	assert.True(t, r.Port.Equal(p.PID()))
	assert.True(t, r.Owner.Equal(b.pid))
	assert.Equal(t, 3, r.Queued)
	assert.Equal(t, seq(0, 2), startAndRead(t, b, p, 3))
	// Another port, and the first one's report is not repeated.
	ch2 := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch2.Port1.PostMessage(ctx, "held"))
	})
	r2 := receive(t, reports, "PortNotStarted for the second port")
	assert.True(t, r2.Port.Equal(ch2.Port2.PID()))
	assert.Empty(t, reports, "one report per port and episode")
}

// A port that got a message while not started is a candidate of the
// PortNotStarted scan until a scan finds it empty; a port actor that has
// stopped leaves the candidates at once, so that the scan keeps no dead
// port's memory alive until it runs (a second and more at the default
// threshold).
func TestStoppedPortLeavesTheNotStartedScan(t *testing.T) {
	sys := newSystem(t, WithUnstartedWarning(time.Hour))
	e := Get(sys)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "held")) })
	candidate := func(c *portCore) bool {
		e.unstarted.mu.Lock()
		defer e.unstarted.mu.Unlock()
		_, ok := e.unstarted.cands[c]
		return ok
	}
	require.True(t, candidate(ch.Port2.core), "the port holding a message unstarted is a candidate")
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		require.NoError(t, ch.Port2.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	assert.False(t, candidate(ch.Port2.core), "a stopped port is no candidate")
}

// With a threshold of 0 nothing is reported.
func TestPortNotStartedOff(t *testing.T) {
	sys := newSystem(t, WithUnstartedWarning(0))
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 1)) })
	assert.False(t, Get(sys).unstarted.armed)
}

type carriesPort struct {
	Note string
	Port *MessagePort
}

// A port handle sent as a plain message (not transferred) is reported as it
// reaches the receiver, once per port, naming the sender and the owner.
func TestPortSentOutsideIsReported(t *testing.T) {
	sys := newSystem(t)
	reports := subscribe[*PortSentOutside](t, sys)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		ctx.Request(b.pid, &carriesPort{Note: "wrong", Port: ch.Port2})
	})
	r := receive(t, reports, "PortSentOutside")
	assert.True(t, r.Receiver.Equal(b.pid))
	assert.True(t, r.Sender.Equal(a.pid))
	assert.True(t, r.Port.Equal(ch.Port2.PID()))
	assert.True(t, r.Owner.Equal(a.pid))
	assert.Equal(t, "*ports.carriesPort", r.MessageType)
	// The same port again, bare and in a slice: already reported.
	a.do(func(ctx actor.Context) {
		ctx.Send(b.pid, ch.Port2)
		ctx.Send(b.pid, []*MessagePort{ch.Port2})
	})
	// Another port in a map is reported.
	a.do(func(ctx actor.Context) {
		ctx.Send(b.pid, map[string]*MessagePort{"x": ch.Port1})
	})
	r = receive(t, reports, "PortSentOutside for the other port")
	assert.True(t, r.Port.Equal(ch.Port1.PID()))
	assert.Nil(t, r.Sender)
	// An actor's own port in a message to itself is no misuse.
	own := newChannel(t, b)
	b.do(func(ctx actor.Context) { ctx.Send(b.pid, &carriesPort{Port: own.Port1}) })
	b.do(func(actor.Context) {})
	assert.Empty(t, reports)
}
