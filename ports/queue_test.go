package ports

// The port message queue: disabled until Start or OnMessage, TryReceive,
// and the queue limits with their overflow policies.

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostThenStartDelivers(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	var ch *MessageChannel
	a.do(func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
	})
	a.quiet(50 * time.Millisecond) // the queue starts disabled
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	ev := a.nextMessage()
	assert.Equal(t, 1, ev.Data)
	assert.Same(t, ch.Port2, ev.Target)
	assert.Empty(t, ev.Ports)
}

// WPT MessagePort_initial_disabled, message-channels/no-start, basics.
func TestQueueIsDisabledUntilStart(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	a.quiet(50 * time.Millisecond)
	assert.Equal(t, int64(3), Get(sys).Stats().QueuedMessages, "the messages wait in the disabled queue")
	assert.Equal(t, seq(1, 3), startAndRead(t, a, ch.Port2, 3))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	a.quiet(30 * time.Millisecond) // a second Start redelivers nothing
	assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
}

// WPT MessagePort_onmessage_start, message-channels/implied-start: setting
// onmessage starts the queue; setting it again does not redeliver.
func TestOnMessageImpliesStartAndDoesNotRedeliver(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	first, second := make(chan any, 10), make(chan any, 10)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, ch.Port1.PostMessage(ctx, 2))
		require.NoError(t, ch.Port2.OnMessage(ctx, func(_ actor.Context, ev *MessageEvent) {
			assert.Same(t, ch.Port2, ev.Target)
			first <- ev.Data
		}))
	})
	assert.Equal(t, 1, receive(t, first, "message 1"))
	assert.Equal(t, 2, receive(t, first, "message 2"))
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnMessage(ctx, func(_ actor.Context, ev *MessageEvent) { second <- ev.Data }))
	})
	a.quiet(30 * time.Millisecond)
	assert.Empty(t, first, "nothing is delivered twice")
	assert.Empty(t, second, "the new handler does not see old messages again")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 3)) })
	assert.Equal(t, 3, receive(t, second, "message 3 at the new handler"))
	assert.Empty(t, first)
	a.quiet(20 * time.Millisecond) // handled events skip Receive
}

// Setting onmessage to null starts the queue too (the setter, any value).
func TestOnMessageNilStartsThePort(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "x"))
		require.NoError(t, ch.Port2.OnMessage(ctx, nil))
	})
	ev := a.nextMessage()
	assert.Equal(t, "x", ev.Data)
	assert.Same(t, ch.Port2, ev.Target)
}

func TestOnMessageAndTryReceive(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	handled := make(chan any, 4)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "taken"))
		require.NoError(t, ch.Port1.PostMessage(ctx, "handled"))
		// The port is not started: TryReceive takes what has arrived.
		ev, ok, err := ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, "taken", ev.Data)
		assert.Same(t, ch.Port2, ev.Target)
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			handled <- ev.Data
		}))
	})
	assert.Equal(t, "handled", <-handled)
	a.quiet(20 * time.Millisecond) // handled events skip Receive
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnMessage(ctx, nil))
		require.NoError(t, ch.Port1.PostMessage(ctx, "taken again"))
		require.NoError(t, ch.Port1.PostMessage(ctx, "to receive"))
		// A started port: TryReceive still takes the next message that
		// has arrived, ahead of its pending dispatch (Node's
		// receiveMessageOnPort with a listener attached).
		ev, ok, err := ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, "taken again", ev.Data)
	})
	assert.Equal(t, "to receive", a.nextMessage().Data, "a nil handler sends events back to Receive")
	a.quiet(20 * time.Millisecond)
}

// TryReceive (receiveMessageOnPort): takes the next message that has
// arrived, started or not, never waits, reports nothing on a closed or
// shipped port, takes what is left after the peer closed (then the close
// event follows), and adopts the ports in the message.
func TestTryReceive(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	inner := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		start := time.Now()
		ev, ok, err := ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		assert.False(t, ok)
		assert.Nil(t, ev)
		assert.Less(t, time.Since(start), 50*time.Millisecond, "it never waits")

		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, ch.Port1.PostMessage(ctx, 2, inner.Port2))
		require.NoError(t, ch.Port1.PostMessage(ctx, 3))
		ev, ok, err = ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, 1, ev.Data)
		ev, ok, err = ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, 2, ev.Data)
		require.Len(t, ev.Ports, 1)
		assert.Equal(t, 4, OpenPorts(ctx), "the carried port is adopted: ch (2), inner.Port1 and inner's new end")
		require.NoError(t, inner.Port1.PostMessage(ctx, "via adopted"))
		require.NoError(t, ev.Ports[0].Start(ctx))
		require.NoError(t, ch.Port1.Close(ctx))
	})
	assert.Equal(t, "via adopted", a.nextMessage().Data)
	a.quiet(30 * time.Millisecond) // the close waits behind message 3
	a.do(func(ctx actor.Context) {
		ev, ok, err := ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, 3, ev.Data)
		_, ok, err = ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		assert.False(t, ok)
	})
	assert.Same(t, ch.Port2, a.nextClose().Target)
	// Closed and shipped handles report nothing.
	ch2 := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch2.Port1.PostMessage(ctx, "x"))
		require.NoError(t, PostTo(ctx, b.pid, nil, ch2.Port2))
		_, ok, err := ch2.Port2.TryReceive(ctx)
		require.NoError(t, err)
		assert.False(t, ok, "a shipped handle")
		require.NoError(t, ch.Port2.Close(ctx))
		_, ok, err = ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		assert.False(t, ok, "a closed handle")
	})
	moved := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) {
		ev, ok, err := moved.TryReceive(ctx)
		require.NoError(t, err)
		if ok {
			assert.Equal(t, "x", ev.Data, "the queue moved with the port")
		}
	})
}

// TryReceive on a port just received, from inside the Receive of the event
// that brought it: the messages that were queued at the old owner moved
// with the port (transfer steps move the queue), so they have reached it.
func TestTryReceiveOnAJustReceivedPort(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan []any, 1)
	b := newHookProbe(t, sys, "b", func(ctx actor.Context, ev any) {
		me, ok := ev.(*MessageEvent)
		if !ok || len(me.Ports) != 1 {
			return
		}
		var data []any
		for {
			e, ok, err := me.Ports[0].TryReceive(ctx)
			require.NoError(t, err)
			if !ok {
				break
			}
			data = append(data, e.Data)
		}
		got <- data
	})
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, PostTo(ctx, b.pid, "port", ch.Port2))
	})
	assert.Equal(t, seq(1, 3), receive(t, got, "what TryReceive took"))
	b.nextMessage()
}

func TestQueueLimitOverflow(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opts      []Option
		delivered []any
		closes    bool
	}{
		{name: "close", opts: []Option{WithQueueLimit(2, 0)}, delivered: []any{1, 2}, closes: true},
		{name: "drop", opts: []Option{WithQueueLimit(2, 0), WithOverflowPolicy(OverflowDrop)}, delivered: []any{1, 2, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t, tc.opts...)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
			p := b.nextMessage().Ports[0]
			dropped := make(chan *MessageDropped, 10)
			sub := sys.EventStream.Subscribe(func(evt any) {
				if d, ok := evt.(*MessageDropped); ok {
					dropped <- d
				}
			})
			defer sys.EventStream.Unsubscribe(sub)
			// The receiving port is never started: its queue fills.
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.Start(ctx))
				for i := 1; i <= 4; i++ {
					require.NoError(t, ch.Port1.PostMessage(ctx, i))
				}
			})
			select {
			case d := <-dropped:
				assert.Contains(t, d.Reason, "queue limit")
			case <-time.After(waitFor):
				t.Fatal("no MessageDropped event")
			}
			if tc.closes {
				ce := b.nextClose()
				assert.Equal(t, CloseOverflow, ce.Reason)
				assert.Same(t, p, ce.Target)
				assert.Equal(t, CloseByPeer, a.nextClose().Reason, "the sender learns the channel is gone")
				assert.True(t, p.Detached(), "the overflowing port is closed")
				return
			}
			// Drop: the queue keeps its two, later messages still come.
			b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
			assert.Equal(t, 1, b.nextMessage().Data)
			assert.Equal(t, 2, b.nextMessage().Data)
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 5)) })
			assert.Equal(t, 5, b.nextMessage().Data)
			assert.Positive(t, Get(sys).Stats().Dropped)
		})
	}
}

// Queue limits close or drop as documented, count bytes as well as
// messages, and the owner's open-port count follows a port closed by
// overflow in every close-event mode.
func TestQueueOverflowClosesThePortInEveryCloseEventMode(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"close, standard", []Option{WithQueueLimit(0, 64)}},
		{"close, no close events", []Option{WithQueueLimit(0, 64), WithCloseEvents(CloseEventsNone)}},
		{"close, both", []Option{WithQueueLimit(0, 64), WithCloseEvents(CloseEventsBoth)}},
		{"close, messages", []Option{WithQueueLimit(1, 0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t, tc.opts...)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			far := moveTo(t, a, b, ch.Port2)
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.PostMessage(ctx, "small"))
				require.NoError(t, ch.Port1.PostMessage(ctx, messages.NewArrayBuffer(make([]byte, 1024))))
			})
			if Get(sys).CloseEvents() != CloseEventsNone {
				ce := b.nextClose()
				assert.Equal(t, CloseOverflow, ce.Reason)
				assert.Equal(t, CloseByPeer, a.nextClose().Reason)
			}
			eventually(t, far.Detached, "the overflowing port is closed")
			var open int
			b.do(func(ctx actor.Context) {
				open = OpenPorts(ctx)
				require.NoError(t, far.Start(ctx))
				_, ok, err := far.TryReceive(ctx)
				require.NoError(t, err)
				assert.False(t, ok, "the messages that filled the queue are dropped with it")
			})
			assert.Equal(t, 0, open, "a port closed by overflow is not open")
			assert.Equal(t, int64(1), Get(sys).Stats().OpenPorts, "only ch.Port1 is open")
			b.quiet(30 * time.Millisecond)
		})
	}
}

// A queue limit applies to the queue a port brings with it: messages that
// piled up while it was in transit overflow at the new owner, by the
// policy, and nothing hangs or leaks.
func TestQueueLimitAtTheNewOwnerOfAMovedPort(t *testing.T) {
	for _, policy := range []OverflowPolicy{OverflowClose, OverflowDrop} {
		t.Run(policy.String(), func(t *testing.T) {
			sys := newSystem(t, WithQueueLimit(2, 0), WithOverflowPolicy(policy))
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.Start(ctx))
				require.NoError(t, ch.Port1.PostMessage(ctx, 1))
				require.NoError(t, ch.Port1.PostMessage(ctx, 2))
				require.NoError(t, PostTo(ctx, b.pid, "port", ch.Port2))
				for i := 3; i <= 5; i++ {
					require.NoError(t, ch.Port1.PostMessage(ctx, i))
				}
			})
			moved := b.nextMessage().Ports[0]
			switch policy {
			case OverflowClose:
				ce := b.nextClose()
				assert.Same(t, moved, ce.Target)
				assert.Equal(t, CloseOverflow, ce.Reason)
				assert.Equal(t, CloseByPeer, a.nextClose().Reason)
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
			case OverflowDrop:
				assert.Equal(t, seq(1, 2), startAndRead(t, b, moved, 2))
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 6)) })
				assert.Equal(t, 6, b.nextMessage().Data)
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
				b.nextClose()
				b.do(func(ctx actor.Context) { require.NoError(t, moved.Close(ctx)) })
			}
			waitPortActors(t, sys, 0)
			assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
		})
	}
}

// A batch ends as it takes the last queued message (next): a message
// posted while the owner is still handling that one sends a notification
// of its own and arrives. The receiver's handler holds its goroutine until
// the other owner has posted, so the post falls exactly in that window.
func TestMessagePostedDuringTheLastDispatchOfABatchArrives(t *testing.T) {
	sys := newSystem(t)
	inside, posted := make(chan int, 1), make(chan struct{})
	a := newProbe(t, sys, "a")
	b := newHookProbe(t, sys, "b", func(ctx actor.Context, ev any) {
		if me, ok := ev.(*MessageEvent); ok && me.Data == 1 {
			inside <- 1
			select {
			case <-posted:
			case <-time.After(waitFor):
			}
		}
	})
	ch := newChannel(t, a)
	far := moveTo(t, a, b, ch.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 1)) })
	receive(t, inside, "the dispatch of the first message")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 2)) })
	close(posted)
	assert.Equal(t, []any{1, 2}, readN(t, b, far, 2))
}
