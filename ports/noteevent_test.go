package ports

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A batch notification from the fast path is the batch's first event, in
// its own envelope (noteMessage), so each such event has an envelope of
// its own: a receiver that forwards its events (protoactor's Forward sends
// the envelope itself) hands on each message as it was, even when the
// forwarded envelopes are read only after later messages have arrived.
func TestForwardedEventsKeepTheirMessage(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	const n = 5

	got := make(chan any, n)
	collector := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *runOn:
			m.f(ctx)
			close(m.done)
		case *MessageEvent:
			got <- m.Data
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(collector).Wait() })
	// The collector is held until every event has been forwarded to it.
	release := hold(sys, collector)
	defer release()

	forwarded := make(chan any, n)
	b := newHookProbe(t, sys, "b", func(ctx actor.Context, ev any) {
		if me, ok := ev.(*MessageEvent); ok && me.Target != nil {
			ctx.Forward(collector)
			forwarded <- me.Data
		}
	})
	near, _ := fastRoute(t, a, b, (*MessagePort).Start)
	a.do(func(ctx actor.Context) { require.NoError(t, near.PostMessage(ctx, "warm")) })
	require.Equal(t, "warm", receive(t, forwarded, "the first message"))
	// One message at a time: each is forwarded before the next is posted,
	// so each comes with a notification of its own.
	for i := range n {
		a.do(func(ctx actor.Context) { require.NoError(t, near.PostMessage(ctx, i)) })
		require.Equal(t, i, receive(t, forwarded, "the forwarded message"))
	}
	release()
	assert.Equal(t, "warm", receive(t, got, "the collector's first message"))
	for i := range n {
		assert.Equal(t, i, receive(t, got, "the collector's message"), "forwarded event %d", i)
	}
}

// A batch notification of a port that makes events is its batch's first
// event, in the envelope it will be delivered in; the owner takes the
// event only from that envelope. A port with an OnData handler, which
// makes no events, gets its notification bare, as does one of the owner's
// own posts.
func TestNotificationIsItsFirstEventInItsOwnEnvelope(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	c := ch.Port1.core
	// The handler setters tell the fast path whether the port makes events.
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.OnData(ctx, func(actor.Context, any, []*MessagePort) {}))
	})
	assert.True(t, c.batchNote.onData.Load(), "OnData")
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.OnMessage(ctx, func(actor.Context, *MessageEvent) {}))
	})
	assert.False(t, c.batchNote.onData.Load(), "OnMessage")

	c.mu.Lock()
	note := c.batchNoteLocked()
	c.mu.Unlock()

	env, ok := c.noteMessage(note).(*actor.MessageEnvelope)
	require.True(t, ok, "a batch notification of a port that makes events travels in an envelope")
	s, ok := env.Message.(*envelopedEvent)
	require.True(t, ok, "the envelope holds the event")
	assert.Same(t, &s.env, env, "the event's own envelope")
	assert.Same(t, ch.Port1, s.ev.Target, "the event names the port")
	assert.Same(t, s, noteEvent(env))
	assert.Nil(t, noteEvent(&actor.MessageEnvelope{Message: s}), "another envelope does not take it")
	assert.Nil(t, noteEvent(&actor.MessageEnvelope{Message: note}), "nor does a bare notification")
	assert.NotSame(t, s, c.noteMessage(note).(*actor.MessageEnvelope).Message, "each notification is an event of its own")

	c.batchNote.onData.Store(true)
	assert.Same(t, note, c.noteMessage(note), "an OnData port's notification goes bare")
	c.batchNote.onData.Store(false)
	assert.Same(t, &c.note, c.noteMessage(&c.note), "a notification of the owner's own post goes bare")
}

// The event a fast-path notification comes as is the one the owner's
// code gets for a batch of one message, read by Receive or by an
// OnMessage handler: no other event is made for it. A middleware around
// ReceiverMiddleware sees the notification in its envelope.
func TestFastPathEventIsTheNotifications(t *testing.T) {
	for _, handler := range []bool{false, true} {
		t.Run(map[bool]string{false: "Receive", true: "OnMessage"}[handler], func(t *testing.T) {
			sys := newSystem(t)
			a := newProbe(t, sys, "a")
			got := make(chan *MessageEvent, 4)
			notes := make(chan *envelopedEvent, 4)
			outer := func(next actor.ReceiverFunc) actor.ReceiverFunc {
				return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
					if s, ok := env.Message.(*envelopedEvent); ok && &s.env == env {
						notes <- s
					}
					next(rc, env)
				}
			}
			b := newOuterProbe(t, sys, "b", func(_ actor.Context, ev any) {
				if me, ok := ev.(*MessageEvent); ok && me.Target != nil {
					got <- me
				}
			}, outer)
			start := (*MessagePort).Start
			if handler {
				start = func(far *MessagePort, ctx actor.Context) error {
					return far.OnMessage(ctx, func(_ actor.Context, ev *MessageEvent) { got <- ev })
				}
			}
			near, far := fastRoute(t, a, b, start)
			a.do(func(ctx actor.Context) { require.NoError(t, near.PostMessage(ctx, "warm")) })
			require.Equal(t, "warm", receive(t, got, "the first message").Data)
			require.NotEmpty(t, notes, "the fast path's notification came as an event")
			for len(notes) > 0 {
				<-notes
			}

			a.do(func(ctx actor.Context) { require.NoError(t, near.PostMessage(ctx, "x")) })
			ev := receive(t, got, "the message")
			s := receive(t, notes, "the notification")
			assert.Equal(t, "x", ev.Data)
			assert.Same(t, &s.ev, ev, "the event is the notification's")
			assert.Same(t, far, ev.Target)
		})
	}
}

// A middleware around ReceiverMiddleware that hands on a notification in
// an envelope of its own (a tracing layer adding headers, say) still has
// it dispatched: the owner then makes the events itself, and the event
// the notification was made as is left alone.
func TestNotificationInAnotherEnvelopeIsDispatched(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan *MessageEvent, 8)
	notes := make(chan *envelopedEvent, 8)
	rewrap := func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
			if s, ok := env.Message.(*envelopedEvent); ok {
				notes <- s
				env = &actor.MessageEnvelope{Header: env.Header, Message: env.Message, Sender: env.Sender}
			}
			next(rc, env)
		}
	}
	b := newOuterProbe(t, sys, "b", func(_ actor.Context, ev any) {
		if me, ok := ev.(*MessageEvent); ok && me.Target != nil {
			got <- me
		}
	}, rewrap)
	near, far := fastRoute(t, a, b, (*MessagePort).Start)
	for i := range 5 {
		a.do(func(ctx actor.Context) { require.NoError(t, near.PostMessage(ctx, i)) })
		ev := receive(t, got, "the message")
		assert.Equal(t, i, ev.Data)
		assert.Same(t, far, ev.Target)
	}
	require.NotEmpty(t, notes, "the fast path's notifications came as events")
	for len(notes) > 0 {
		s := <-notes
		assert.Nil(t, s.ev.Data, "the notification's own event was not used")
	}
}

// A batch of several events read by Receive gives each event an envelope
// of its own, and the task's envelope keeps the notification: a
// middleware around ReceiverMiddleware that reads the envelope after the
// call (a tracing layer) never sees one of the batch's events there as if
// it had been the task's only message.
func TestBatchTaskEnvelopeKeepsTheNotification(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	type seen struct {
		before, after any
	}
	tasks := make(chan seen, 16)
	outer := func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
			before := env.Message
			next(rc, env)
			if _, ok := before.(*envelopedEvent); ok {
				tasks <- seen{before, env.Message}
			}
		}
	}
	b := newOuterProbe(t, sys, "b", nil, outer)
	near, _ := fastRoute(t, a, b, (*MessagePort).Start)
	a.do(func(ctx actor.Context) { require.NoError(t, near.PostMessage(ctx, "warm")) })
	assert.Equal(t, "warm", b.nextMessage().Data)
	// The warm-up's task reports to tasks after its event reached the
	// test: a task of b's own that has run means that one has finished.
	b.do(func(actor.Context) {})
	for len(tasks) > 0 {
		<-tasks
	}

	release := hold(sys, b.pid)
	a.do(func(ctx actor.Context) {
		for i := range 3 {
			require.NoError(t, near.PostMessage(ctx, i))
		}
	})
	release()
	for i := range 3 {
		assert.Equal(t, i, b.nextMessage().Data)
	}
	task := receive(t, tasks, "the batch's task")
	assert.Same(t, task.before, task.after, "the task's envelope still holds the notification")
	assert.Empty(t, tasks, "one task for the batch")
}

// fastRoute makes a channel owned by a, moves its second port to b, starts
// a's end and b's (with start), and has b post "ready" to a: a message
// each way, after which the route is direct and a's posts to b take the
// fast path. It returns a's end and b's.
func fastRoute(t *testing.T, a, b *probe, start func(far *MessagePort, ctx actor.Context) error) (near, far *MessagePort) {
	t.Helper()
	ch := newChannel(t, a)
	far = moveTo(t, a, b, ch.Port2)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	b.do(func(ctx actor.Context) { require.NoError(t, start(far, ctx)) })
	b.do(func(ctx actor.Context) { require.NoError(t, far.PostMessage(ctx, "ready")) })
	require.Equal(t, "ready", a.nextMessage().Data)
	return ch.Port1, far
}
