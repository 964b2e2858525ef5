package ports

// Conformance tests written against the HTML Standard's channel messaging
// (post message steps, start/close, transfer steps, unshipped port message
// queue) and the web platform tests named in each test, plus issue 3's
// contract. Each test is named after the behaviour it checks.

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WPT MessagePort_initial_disabled, message-channels/no-start, basics.
func TestConformanceQueueIsDisabledUntilStart(t *testing.T) {
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
func TestConformanceOnMessageImpliesStartAndDoesNotRedeliver(t *testing.T) {
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
func TestConformanceOnMessageNilStartsThePort(t *testing.T) {
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

// Transfer-receiving steps: the new port's queue is disabled again and holds
// the undelivered messages, even those whose dispatch was already due at
// the old owner (the port had been started). Carried over a port, not
// PostTo.
func TestConformanceTransferredPortArrivesDisabledWithItsQueue(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	carrier := newChannel(t, a)
	far := moveTo(t, a, b, carrier.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, ch.Port1.PostMessage(ctx, 2))
		// Both are due at a (started), but not yet dispatched: they move.
		require.NoError(t, carrier.Port1.PostMessage(ctx, "port", ch.Port2))
		require.NoError(t, ch.Port1.PostMessage(ctx, 3))
	})
	ev := b.nextMessage()
	require.Same(t, far, ev.Target)
	require.Len(t, ev.Ports, 1)
	moved := ev.Ports[0]
	assert.NotSame(t, ch.Port2, moved, "the received port is a new object")
	b.quiet(50 * time.Millisecond)
	a.quiet(10 * time.Millisecond)
	assert.Equal(t, seq(1, 3), startAndRead(t, b, moved, 3))
}

// WPT Channel_postMessage_transfer_during_dispatch: the receiving port is
// transferred (over another channel of the same context) from inside the
// handler of its first message; the messages behind it move with it and
// are delivered once, in order, at the new port.
func TestConformanceTransferDuringDispatchMovesTheRestOfTheQueue(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	carrier := newChannel(t, a)
	seen := make(chan any, 10)
	a.do(func(ctx actor.Context) {
		require.NoError(t, carrier.Port2.Start(ctx))
		for i := 1; i <= 4; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			seen <- ev.Data
			require.NoError(t, carrier.Port1.PostMessage(ctx, "moving", ev.Target))
		}))
	})
	assert.Equal(t, 1, receive(t, seen, "the first message"))
	ev := a.nextMessage()
	require.Same(t, carrier.Port2, ev.Target)
	require.Len(t, ev.Ports, 1)
	moved := ev.Ports[0]
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 5)) })
	a.quiet(30 * time.Millisecond) // the moved port is not started
	assert.Equal(t, seq(2, 5), startAndRead(t, a, moved, 4))
	assert.Empty(t, seen, "the old handler ran once")
	a.quiet(20 * time.Millisecond)
}

// The same from a Receive (no handler), transferring to another actor, with
// a TryReceive inside the dispatch: each message is seen exactly once.
func TestConformanceTransferDuringDispatchFromReceive(t *testing.T) {
	sys := newSystem(t)
	var ch *MessageChannel
	b := newProbe(t, sys, "b")
	a := newHookProbe(t, sys, "a", func(ctx actor.Context, ev any) {
		me, ok := ev.(*MessageEvent)
		if !ok || me.Target != ch.Port2 || me.Data != 1 {
			return
		}
		got, ok, err := me.Target.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, 2, got.Data)
		require.NoError(t, PostTo(ctx, b.pid, "moving", me.Target))
	})
	ch = newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		for i := 1; i <= 5; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	assert.Equal(t, 1, a.nextMessage().Data)
	moved := b.nextMessage().Ports[0]
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 6)) })
	assert.Equal(t, seq(3, 6), startAndRead(t, b, moved, 4))
	a.quiet(30 * time.Millisecond)
	b.quiet(10 * time.Millisecond)
}

// WPT Channel_postMessage_with_transfer_outgoing_messages: the moving end
// posts at every hop (a -> b -> c, over ports), the other end receives
// everything in order.
func TestConformanceMovingEndPostsAtEveryHop(t *testing.T) {
	sys := newSystem(t)
	a, b, c, z := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c"), newProbe(t, sys, "z")
	ch := newChannel(t, a)
	fixed := moveTo(t, a, z, ch.Port1)
	toB := newChannel(t, a)
	bEnd := moveTo(t, a, b, toB.Port2)
	toC := newChannel(t, b)
	cEnd := moveTo(t, b, c, toC.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, bEnd.Start(ctx)) })
	c.do(func(ctx actor.Context) { require.NoError(t, cEnd.Start(ctx)) })
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.PostMessage(ctx, 1))
		require.NoError(t, toB.Port1.PostMessage(ctx, nil, ch.Port2))
	})
	atB := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) {
		require.NoError(t, atB.PostMessage(ctx, 2))
		require.NoError(t, toC.Port1.PostMessage(ctx, nil, atB))
		require.NoError(t, atB.PostMessage(ctx, "dropped: posted on a shipped handle"))
	})
	atC := c.nextMessage().Ports[0]
	c.do(func(ctx actor.Context) { require.NoError(t, atC.PostMessage(ctx, 3)) })
	assert.Equal(t, seq(1, 3), startAndRead(t, z, fixed, 3))
	z.quiet(30 * time.Millisecond)
	waitPortActors(t, sys, 6) // ch and the two carriers: no proxy is left
}

// Both ends of one channel transferred, each to a different actor, then on
// again, several times, with messages in flight both ways at every step:
// per direction, everything arrives once and in order.
func TestConformanceOrderAcrossRepeatedCrossingTransfers(t *testing.T) {
	sys := newSystem(t)
	ps := []*probe{newProbe(t, sys, "p0"), newProbe(t, sys, "p1"), newProbe(t, sys, "p2"), newProbe(t, sys, "p3")}
	ch := newChannel(t, ps[0])
	end := [2]*MessagePort{ch.Port1, ch.Port2}
	owner := [2]int{0, 0}
	next := [2]int{1, 1} // next number each end posts
	const rounds = 6
	for r := 0; r < rounds; r++ {
		for e := 0; e < 2; e++ {
			ps[owner[e]].do(func(ctx actor.Context) {
				for k := 0; k < 3; k++ {
					require.NoError(t, end[e].PostMessage(ctx, next[e]))
					next[e]++
				}
			})
		}
		// Ship both at once, end 0 to the next actor, end 1 to the one
		// after, then collect them.
		to := [2]int{(owner[0] + 1) % 4, (owner[1] + 2) % 4}
		if to[0] == to[1] {
			to[1] = (to[1] + 1) % 4
		}
		for e := 0; e < 2; e++ {
			ps[owner[e]].do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, ps[to[e]].pid, e, end[e])) })
		}
		for e := 0; e < 2; e++ {
			ev := ps[to[e]].nextMessage()
			require.Len(t, ev.Ports, 1)
			end[ev.Data.(int)] = ev.Ports[0]
		}
		owner = to
	}
	// end 0 receives what end 1 posted, and the other way round.
	assert.Equal(t, seq(1, next[1]-1), startAndRead(t, ps[owner[0]], end[0], next[1]-1))
	assert.Equal(t, seq(1, next[0]-1), startAndRead(t, ps[owner[1]], end[1], next[0]-1))
	waitPortActors(t, sys, 2)
}

// WPT Channel_postMessage_with_transfer_entangled: both ends of a channel
// in one message over a port of the same context, with a message pending;
// then more messages: order 1, 2, 3.
func TestConformanceBothEndsTransferredTogetherOverAPort(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	carrier := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, carrier.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, carrier.Port1.PostMessage(ctx, "both", ch.Port1, ch.Port2))
	})
	ev := a.nextMessage()
	require.Len(t, ev.Ports, 2)
	p1, p2 := ev.Ports[0], ev.Ports[1]
	a.do(func(ctx actor.Context) {
		require.NoError(t, p1.PostMessage(ctx, 2))
		require.NoError(t, p1.PostMessage(ctx, 3))
	})
	assert.Equal(t, seq(1, 3), startAndRead(t, a, p2, 3))
}

// Post message steps 2 and 5 with StructuredSerializeWithTransfer's checks:
// every transfer-list error is a DataCloneError naming the entry, and a
// failed post detaches nothing (buffers before and after the bad entry
// stay attached; ports before and after it stay usable and keep their
// queues).
func TestConformanceTransferListErrorsDetachNothing(t *testing.T) {
	type fixture struct {
		ch, other, spare *MessageChannel
		foreign          *MessagePort
		ab1, ab2, dead   *messages.ArrayBuffer
	}
	for _, tc := range []struct {
		name  string
		list  func(f *fixture) []messages.Transferable
		data  func(f *fixture) any
		path  string
		viaTo bool // posted with PostTo instead of on ch.Port1
	}{
		{name: "source port", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ch.Port1, f.ab2}
		}},
		{name: "duplicate port", path: "transfer[3]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2, f.other.Port1}
		}},
		{name: "duplicate buffer", path: "transfer[3]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2, f.ab1}
		}},
		{name: "closed port", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.spare.Port1, f.ab2}
		}},
		{name: "detached buffer", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.dead, f.ab2}
		}},
		{name: "port of another actor", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.foreign, f.ab2}
		}},
		{name: "not transferable", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, notTransferable{}, f.ab2}
		}},
		{name: "nil entry", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, nil, f.ab2}
		}},
		{name: "nil port", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, (*MessagePort)(nil), f.ab2}
		}},
		{name: "nil buffer", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, (*messages.ArrayBuffer)(nil), f.ab2}
		}},
		{name: "data not cloneable", path: ".F", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2}
		}, data: func(*fixture) any { return struct{ F func() }{F: func() {}} }},
		{name: "unlisted port in the data", path: "[1]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2}
		}, data: func(f *fixture) any { return []any{f.other.Port1, f.spare.Port2} }},
		{name: "PostTo: duplicate port", path: "transfer[3]", viaTo: true, list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2, f.other.Port1}
		}},
		{name: "PostTo: closed port", path: "transfer[2]", viaTo: true, list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.spare.Port1, f.ab2}
		}},
		{name: "PostTo: shipped port", path: "transfer[2]", viaTo: true, list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ch.Port2, f.ab2}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			f := &fixture{ch: newChannel(t, a), other: newChannel(t, a), spare: newChannel(t, a), foreign: newChannel(t, b).Port1}
			f.ab1 = messages.NewArrayBuffer([]byte{1, 2, 3})
			f.ab2 = messages.NewArrayBuffer([]byte{4, 5})
			f.dead = messages.NewArrayBuffer([]byte{6})
			_, err := messages.StructuredClone(nil, f.dead)
			require.NoError(t, err)
			require.True(t, f.dead.Detached())
			a.do(func(ctx actor.Context) {
				require.NoError(t, f.spare.Port1.Close(ctx))
				if tc.name == "PostTo: shipped port" {
					require.NoError(t, PostTo(ctx, b.pid, "ship", f.ch.Port2))
				}
				require.NoError(t, f.other.Port1.PostMessage(ctx, "queued on other.Port2"))
				var data any = "payload"
				if tc.data != nil {
					data = tc.data(f)
				}
				if tc.viaTo {
					err = PostTo(ctx, b.pid, data, tc.list(f)...)
				} else {
					err = f.ch.Port1.PostMessage(ctx, data, tc.list(f)...)
				}
			})
			require.Error(t, err)
			assert.ErrorIs(t, err, messages.ErrDataClone)
			var dce *messages.DataCloneError
			require.ErrorAs(t, err, &dce)
			assert.Equal(t, tc.path, dce.Path, "%v", err)
			assertAttached(t, f.ab1, f.ab2, f.other.Port1, f.other.Port2, f.ch.Port1)
			assert.Equal(t, []byte{1, 2, 3}, f.ab1.Bytes())
			assert.Equal(t, []byte{4, 5}, f.ab2.Bytes())
			if tc.name == "PostTo: shipped port" {
				b.nextMessage()
			}
			// The ports are still usable: other.Port1 can still be
			// transferred, and its queue is intact.
			a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, "works", f.other.Port2, f.ab1)) })
			ev := b.nextMessage()
			require.Len(t, ev.Ports, 1)
			assert.True(t, f.ab1.Detached(), "a successful post detaches")
			assert.Equal(t, []any{"queued on other.Port2"}, startAndRead(t, b, ev.Ports[0], 1))
			a.do(func(ctx actor.Context) { require.NoError(t, f.other.Port1.PostMessage(ctx, "later")) })
			assert.Equal(t, "later", b.nextMessage().Data)
			b.quiet(20 * time.Millisecond)
		})
	}
}

// Post message step 4: the target port in the transfer list dooms the
// channel: no error, nothing is delivered, the other transferables are
// still transferred (buffers detached, ports shipped and lost, their
// peers closed), and the sending end gets exactly one CloseEvent.
func TestConformanceTargetPortInTransferListDoomsTheChannel(t *testing.T) {
	for _, mode := range []CloseEventMode{CloseEventsStandard, CloseEventsBoth, CloseEventsNone} {
		t.Run(mode.String(), func(t *testing.T) {
			sys := newSystem(t, WithCloseEvents(mode))
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			other := newChannel(t, a)
			otherFar := moveTo(t, a, b, other.Port2)
			b.do(func(ctx actor.Context) { require.NoError(t, otherFar.Start(ctx)) })
			ab := messages.NewArrayBuffer(make([]byte, 16))
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.Start(ctx))
				require.NoError(t, ch.Port2.Start(ctx))
				require.NoError(t, ch.Port1.PostMessage(ctx, "doomed", ab, ch.Port2, other.Port1))
				assert.True(t, ab.Detached(), "the buffer is detached although nothing is delivered")
				assert.Equal(t, 0, ab.ByteLength())
				assert.True(t, ch.Port2.Detached())
				assert.True(t, other.Port1.Detached())
				require.NoError(t, ch.Port1.PostMessage(ctx, "after doom"), "a silent no-op")
			})
			if mode != CloseEventsNone {
				ce := a.nextClose()
				assert.Same(t, ch.Port1, ce.Target, "the sending end learns the channel is gone")
				ce = b.nextClose()
				assert.Same(t, otherFar, ce.Target, "the peer of the port lost with the message closes")
			}
			a.quiet(50 * time.Millisecond)
			b.quiet(10 * time.Millisecond)
			var open int
			a.do(func(ctx actor.Context) { open = OpenPorts(ctx) })
			assert.Equal(t, 1, open, "only ch.Port1 is still open at a")
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
			b.do(func(ctx actor.Context) { require.NoError(t, otherFar.Close(ctx)) })
			waitPortActors(t, sys, 0)
		})
	}
}

// Post message steps on a closed or shipped port, or one whose peer has
// closed: no error, nothing delivered, but the transfer list is still
// transferred (buffers detached, listed ports shipped and closed, so
// their peers get a CloseEvent).
func TestConformancePostOnDeadPortStillTransfers(t *testing.T) {
	for _, how := range []string{"closed", "shipped", "peer closed"} {
		t.Run(how, func(t *testing.T) {
			sys := newSystem(t)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			listed := newChannel(t, a)
			switch how {
			case "closed":
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
				a.nextClose() // ch.Port2
			case "shipped":
				moveTo(t, a, b, ch.Port1)
			case "peer closed":
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Close(ctx)) })
				assert.Same(t, ch.Port1, a.nextClose().Target)
			}
			ab := messages.NewArrayBuffer([]byte{1, 2, 3, 4})
			a.do(func(ctx actor.Context) {
				require.NoError(t, listed.Port2.Start(ctx))
				require.NoError(t, ch.Port1.PostMessage(ctx, "nowhere", ab, listed.Port1))
				assert.True(t, ab.Detached())
				assert.True(t, listed.Port1.Detached())
			})
			ce := a.nextClose()
			assert.Same(t, listed.Port2, ce.Target)
			a.quiet(30 * time.Millisecond)
			b.quiet(10 * time.Millisecond)
		})
	}
}

// WPT message-channels/close.any.js: messages to and from a closed port
// are dropped, also through a shipped partner; messages posted before the
// close are delivered; close inside a handler loses nothing already
// posted by the closer; close detaches only itself.
func TestConformanceCloseSemantics(t *testing.T) {
	t.Run("to a closed port", func(t *testing.T) {
		sys := newSystem(t)
		a := newProbe(t, sys, "a")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port2.Start(ctx))
			require.NoError(t, ch.Port2.Close(ctx))
			require.NoError(t, ch.Port1.PostMessage(ctx, "dropped"))
		})
		assert.Same(t, ch.Port1, a.nextClose().Target)
		a.quiet(30 * time.Millisecond)
	})
	t.Run("from a closed port", func(t *testing.T) {
		sys := newSystem(t)
		a := newProbe(t, sys, "a")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port2.Start(ctx))
			require.NoError(t, ch.Port1.Close(ctx))
			require.NoError(t, ch.Port1.PostMessage(ctx, "dropped"))
		})
		assert.Same(t, ch.Port2, a.nextClose().Target)
		a.quiet(30 * time.Millisecond)
	})
	t.Run("to a closed port from a transferred port", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Close(ctx)) })
		moved := moveTo(t, a, b, ch.Port1)
		b.do(func(ctx actor.Context) {
			require.NoError(t, moved.PostMessage(ctx, "dropped"))
			require.NoError(t, moved.Start(ctx))
		})
		// The port's close event fired at a before it moved (its queue
		// was empty); it does not fire again at b.
		assert.Same(t, ch.Port1, a.nextClose().Target)
		a.quiet(30 * time.Millisecond)
		b.quiet(10 * time.Millisecond)
	})
	t.Run("in flight when the sender closes", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		far := moveTo(t, a, b, ch.Port2)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.PostMessage(ctx, "first"))
			require.NoError(t, ch.Port1.PostMessage(ctx, "second"))
			require.NoError(t, ch.Port1.Close(ctx))
		})
		assert.Equal(t, []any{"first", "second"}, startAndRead(t, b, far, 2))
		ce := b.nextClose()
		assert.Same(t, far, ce.Target)
		assert.Equal(t, CloseByPeer, ce.Reason)
		b.quiet(30 * time.Millisecond)
	})
	t.Run("reply then close inside a handler", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		far := moveTo(t, a, b, ch.Port2)
		handled := make(chan any, 10)
		b.do(func(ctx actor.Context) {
			require.NoError(t, far.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
				handled <- ev.Data
				require.NoError(t, ev.Target.PostMessage(ctx, "pong"))
				require.NoError(t, ev.Target.Close(ctx))
			}))
		})
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.Start(ctx))
			require.NoError(t, ch.Port1.PostMessage(ctx, "ping"))
			require.NoError(t, ch.Port1.PostMessage(ctx, "not dispatched: the port closed"))
		})
		assert.Equal(t, "pong", a.nextMessage().Data)
		assert.Same(t, ch.Port1, a.nextClose().Target)
		assert.Equal(t, "ping", receive(t, handled, "ping"))
		a.quiet(30 * time.Millisecond)
		assert.Empty(t, handled, "a closed port dispatches nothing more")
	})
	t.Run("close detaches only itself", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		ch := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, ch.Port1.Close(ctx))
			require.NoError(t, ch.Port1.Close(ctx), "close twice is fine")
			assert.True(t, ch.Port1.Detached())
			assert.False(t, ch.Port2.Detached())
			err := PostTo(ctx, b.pid, nil, ch.Port1)
			assert.ErrorIs(t, err, messages.ErrDataClone)
			require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2), "the partner can still be transferred")
		})
		moved := b.nextMessage().Ports[0]
		b.do(func(ctx actor.Context) { require.NoError(t, moved.Start(ctx)) })
		assert.Same(t, moved, b.nextClose().Target)
		a.quiet(30 * time.Millisecond)
		b.quiet(10 * time.Millisecond)
	})
	t.Run("messages queued at the closer are dropped and their ports close", func(t *testing.T) {
		sys := newSystem(t)
		a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
		carrier := newChannel(t, a)
		far := moveTo(t, a, b, carrier.Port2)
		inside := newChannel(t, a)
		a.do(func(ctx actor.Context) {
			require.NoError(t, inside.Port1.Start(ctx))
			require.NoError(t, carrier.Port1.PostMessage(ctx, "carrier", inside.Port2))
		})
		b.quiet(30 * time.Millisecond) // far is not started: the carrier waits
		b.do(func(ctx actor.Context) {
			require.NoError(t, far.Close(ctx))
			require.NoError(t, far.Start(ctx))
		})
		got := closesOf(t, a, 2)
		assert.Contains(t, got, carrier.Port1)
		assert.Contains(t, got, inside.Port1, "the port inside the dropped message is closed")
		a.quiet(30 * time.Millisecond)
		b.quiet(10 * time.Millisecond)
		a.do(func(ctx actor.Context) {
			require.NoError(t, carrier.Port1.Close(ctx))
			require.NoError(t, inside.Port1.Close(ctx))
		})
		waitPortActors(t, sys, 0)
	})
}

// Close-event modes: exactly one CloseEvent per end that should get one,
// whichever end closes first and even when both close.
func TestConformanceCloseEventModesExactlyOnce(t *testing.T) {
	for _, tc := range []struct {
		mode CloseEventMode
		// what the first closer and the second closer see, in order
		first, second []CloseReason
	}{
		{mode: CloseEventsStandard, first: nil, second: []CloseReason{CloseByPeer}},
		{mode: CloseEventsBoth, first: []CloseReason{CloseSelf}, second: []CloseReason{CloseByPeer}},
		{mode: CloseEventsNone},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			sys := newSystem(t, WithCloseEvents(tc.mode))
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			far := moveTo(t, a, b, ch.Port2)
			b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
			var firstGot, secondGot []CloseReason
			for range tc.second {
				ce := b.nextClose()
				assert.Same(t, far, ce.Target)
				secondGot = append(secondGot, ce.Reason)
			}
			// The second end closes too, after it saw the close.
			b.do(func(ctx actor.Context) { require.NoError(t, far.Close(ctx)) })
			for range tc.first {
				ce := a.nextClose()
				assert.Same(t, ch.Port1, ce.Target)
				firstGot = append(firstGot, ce.Reason)
			}
			a.quiet(50 * time.Millisecond)
			b.quiet(20 * time.Millisecond)
			assert.Equal(t, tc.first, firstGot)
			assert.Equal(t, tc.second, secondGot, "a port gets one CloseEvent, even if it is closed after its peer")
			waitPortActors(t, sys, 0)
		})
	}
}

// A port in the data that is not in the transfer list is a DataCloneError
// with its path; nothing is transferred and the port stays usable.
func TestConformanceUnlistedPortInDataIsDataCloneError(t *testing.T) {
	type holder struct {
		Name string
		Port *MessagePort
	}
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	ab := messages.NewArrayBuffer([]byte{9})
	for _, tc := range []struct {
		name string
		data func() any
		path string
	}{
		{"struct field", func() any { return &holder{Name: "x", Port: ch.Port2} }, ".Port"},
		{"slice element", func() any { return []any{1, ch.Port2} }, "[1]"},
		{"map value", func() any { return map[string]any{"p": ch.Port2} }, `["p"]`},
		{"root", func() any { return ch.Port2 }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errTo, errPort error
			a.do(func(ctx actor.Context) {
				errTo = PostTo(ctx, b.pid, tc.data(), ab)
				errPort = ch.Port1.PostMessage(ctx, tc.data(), ab)
			})
			for _, err := range []error{errTo, errPort} {
				require.Error(t, err)
				assert.ErrorIs(t, err, messages.ErrDataClone)
				var dce *messages.DataCloneError
				require.ErrorAs(t, err, &dce)
				assert.Equal(t, tc.path, dce.Path, "%v", err)
			}
			assertAttached(t, ab, ch.Port1, ch.Port2)
		})
	}
	b.quiet(20 * time.Millisecond)
	// Listed, the same value goes through, and the port inside is the
	// adopted handle.
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, &holder{Port: ch.Port2}, ch.Port2)) })
	ev := b.nextMessage()
	require.Len(t, ev.Ports, 1)
	assert.Same(t, ev.Ports[0], ev.Data.(*holder).Port)
}

// messages.StructuredClone has no context to adopt a port: a port in the
// value or in the transfer list is a DataCloneError, and nothing moves.
func TestConformanceStructuredCloneOfPortIsDataCloneError(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	ab := messages.NewArrayBuffer([]byte{1})
	for name, call := range map[string]func() (any, error){
		"port as value":      func() (any, error) { return messages.StructuredClone(ch.Port1) },
		"port inside value":  func() (any, error) { return messages.StructuredClone([]any{ch.Port1}) },
		"port in transfer":   func() (any, error) { return messages.StructuredClone(ch.Port1, ab, ch.Port1) },
		"port listed, value": func() (any, error) { return messages.StructuredClone("x", ab, ch.Port2) },
	} {
		_, err := call()
		assert.ErrorIs(t, err, messages.ErrDataClone, name)
		assertAttached(t, ab, ch.Port1, ch.Port2)
	}
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "still entangled"))
		require.NoError(t, ch.Port2.Start(ctx))
	})
	assert.Equal(t, "still entangled", a.nextMessage().Data)
}

// A handle used by an actor that does not own it: every call returns an
// error matching ErrInvalidState and changes nothing (no buffer detached,
// no port shipped, no handler installed, no message taken, not closed).
func TestConformanceNonOwnerChangesNothing(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	mine := newChannel(t, b)
	ab := messages.NewArrayBuffer([]byte{1, 2})
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "waiting")) })
	foreignHandler := make(chan any, 4)
	b.do(func(ctx actor.Context) {
		errs := map[string]error{
			"PostMessage": ch.Port1.PostMessage(ctx, "x", ab, mine.Port1),
			"Start":       ch.Port2.Start(ctx),
			"OnMessage":   ch.Port2.OnMessage(ctx, func(actor.Context, *MessageEvent) { foreignHandler <- 1 }),
			"Close":       ch.Port2.Close(ctx),
			"PostTo":      PostTo(ctx, a.pid, "x", ch.Port2),
		}
		_, ok, err := ch.Port2.TryReceive(ctx)
		errs["TryReceive"] = err
		assert.False(t, ok)
		for name, err := range errs {
			if name == "PostTo" {
				assert.ErrorIs(t, err, messages.ErrDataClone, "a foreign port in the transfer list")
				continue
			}
			assert.ErrorIs(t, err, messages.ErrInvalidState, name)
		}
		assert.Equal(t, 2, OpenPorts(ctx), "b's own ports are untouched")
	})
	assertAttached(t, ab, mine.Port1, ch.Port1, ch.Port2)
	a.quiet(30 * time.Millisecond) // not started by the foreign Start
	var ev *MessageEvent
	a.do(func(ctx actor.Context) {
		var ok bool
		var err error
		ev, ok, err = ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok, "the foreign TryReceive took nothing")
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, "to Receive"))
	})
	assert.Equal(t, "waiting", ev.Data)
	assert.Equal(t, "to Receive", a.nextMessage().Data, "the foreign handler was not installed")
	assert.Empty(t, foreignHandler)
}

// TryReceive (receiveMessageOnPort): takes the next message that has
// arrived, started or not, never waits, reports nothing on a closed or
// shipped port, takes what is left after the peer closed (then the close
// event follows), and adopts the ports in the message.
func TestConformanceTryReceive(t *testing.T) {
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

// An actor without ReceiverMiddleware cannot own ports: ports posted to it
// are closed (their peers get a CloseEvent), buffers are still moved, and
// no port actor is left behind.
func TestConformanceReceiverWithoutMiddlewareAbandonsPorts(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan any, 8)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *MessageEvent, *MessageErrorEvent:
			got <- m
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(plain).Wait() })
	x, y := newChannel(t, a), newChannel(t, a)
	ab := messages.NewArrayBuffer([]byte{1, 2, 3})
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port1.Start(ctx))
		require.NoError(t, y.Port1.Start(ctx))
		require.NoError(t, x.Port1.PostMessage(ctx, "queued in x.Port2"))
		require.NoError(t, PostTo(ctx, plain, "ports", x.Port2, ab, y.Port2))
		assert.True(t, ab.Detached())
	})
	me, ok := receive(t, got, "the plain actor's event").(*MessageErrorEvent)
	require.True(t, ok, "a message with ports becomes a MessageErrorEvent")
	assert.Nil(t, me.Target)
	closed := closesOf(t, a, 2)
	assert.Contains(t, closed, x.Port1)
	assert.Contains(t, closed, y.Port1)
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port1.Close(ctx))
		require.NoError(t, y.Port1.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	assert.Equal(t, int64(0), Get(sys).Stats().OpenPorts)
	assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
}

// PostTo: the first link between two actors. It arrives with no Target, in
// the order posted, works from an actor without the middleware when it
// carries no ports, transfers buffers, and can carry ports to the sender
// itself.
func TestConformancePostTo(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	a.do(func(ctx actor.Context) {
		assert.ErrorIs(t, PostTo(ctx, nil, "x"), messages.ErrInvalidState)
		for i := 0; i < 50; i++ {
			require.NoError(t, PostTo(ctx, b.pid, i))
		}
	})
	for i := 0; i < 50; i++ {
		ev := b.nextMessage()
		assert.Nil(t, ev.Target)
		assert.Empty(t, ev.Ports)
		assert.Equal(t, i, ev.Data)
	}
	// To itself, with a port.
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "queued"))
		require.NoError(t, PostTo(ctx, ctx.Self(), "self", ch.Port2))
	})
	ev := a.nextMessage()
	require.Len(t, ev.Ports, 1)
	assert.Equal(t, []any{"queued"}, startAndRead(t, a, ev.Ports[0], 1))
	// From an actor without the middleware, with a buffer.
	errs := make(chan error, 1)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if s, ok := c.Message().(string); ok {
			ab := messages.NewArrayBuffer([]byte(s))
			err := PostTo(c, b.pid, ab, ab)
			if err == nil && !ab.Detached() {
				err = errors.New("not detached")
			}
			errs <- err
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(plain).Wait() })
	sys.Root.Send(plain, "bytes")
	require.NoError(t, receive(t, errs, "the plain actor's PostTo"))
	got := b.nextMessage().Data.(*messages.ArrayBuffer)
	assert.Equal(t, []byte("bytes"), got.Bytes())
}

// A graceful stop (PoisonPill) is lossless: a port the owner posted over a
// port just before stopping arrives, with every message in flight to it,
// including those its peer posts after the stop began.
func TestConformanceGracefulStopIsLosslessForAPortPostedOverAPort(t *testing.T) {
	sys := newSystem(t)
	w, b, z := newProbe(t, sys, "w"), newProbe(t, sys, "b"), newProbe(t, sys, "z")
	ch := newChannel(t, w)
	zEnd := moveTo(t, w, z, ch.Port1)
	carrier := newChannel(t, w)
	bEnd := moveTo(t, w, b, carrier.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, bEnd.Start(ctx)) })
	z.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, zEnd.PostMessage(ctx, i))
		}
	})
	w.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.PostMessage(ctx, "from w"))
		require.NoError(t, carrier.Port1.PostMessage(ctx, "port", ch.Port2))
		ctx.Poison(ctx.Self())
	})
	z.do(func(ctx actor.Context) {
		for i := 4; i <= 6; i++ {
			require.NoError(t, zEnd.PostMessage(ctx, i))
		}
	})
	ev := b.nextMessage()
	require.Len(t, ev.Ports, 1)
	moved := ev.Ports[0]
	assert.Same(t, bEnd, b.nextClose().Target, "the carrier's w end closed as w stopped")
	assert.Equal(t, seq(1, 6), startAndRead(t, b, moved, 6))
	assert.Equal(t, []any{"from w"}, startAndRead(t, z, zEnd, 1))
	eventually(t, func() bool {
		_, alive := sys.ProcessRegistry.Get(w.pid)
		return !alive
	}, "w stops once its ports are handed over")
	b.quiet(30 * time.Millisecond)
	z.quiet(10 * time.Millisecond)
}

// A hard Stop is fail-stop: each peer gets an in-order prefix of what was
// sent, then exactly one CloseEvent; ports in transit inside the dead
// owner's queues close at their peers; nothing is left behind.
func TestConformanceHardStopPrefixThenOneClose(t *testing.T) {
	sys := newSystem(t)
	a, b, c := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c")
	ch := newChannel(t, a)
	far := moveTo(t, a, b, ch.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	// A port whose carrier waits in a queue of a, never started.
	lost := newChannel(t, c)
	carrier := newChannel(t, a)
	cCarrier := moveTo(t, a, c, carrier.Port1)
	c.do(func(ctx actor.Context) {
		require.NoError(t, lost.Port1.Start(ctx))
		require.NoError(t, cCarrier.PostMessage(ctx, "carrier", lost.Port2))
	})
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 20; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	require.NoError(t, sys.Root.StopFuture(a.pid).Wait())
	var got []any
	for {
		ev := b.next()
		if ce, ok := ev.(*CloseEvent); ok {
			assert.Same(t, far, ce.Target)
			break
		}
		got = append(got, ev.(*MessageEvent).Data)
	}
	assert.Equal(t, seq(1, len(got)), got, "an in-order prefix")
	b.quiet(30 * time.Millisecond)
	closed := closesOf(t, c, 2)
	assert.Contains(t, closed, cCarrier)
	assert.Contains(t, closed, lost.Port1, "the port in transit in a's queue is lost and its peer closes")
	c.quiet(20 * time.Millisecond)
	b.do(func(ctx actor.Context) { require.NoError(t, far.Close(ctx)) })
	c.do(func(ctx actor.Context) {
		require.NoError(t, cCarrier.Close(ctx))
		require.NoError(t, lost.Port1.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	assert.Equal(t, int64(0), Get(sys).Stats().OpenPorts)
}

// Queue limits close or drop as documented, count bytes as well as
// messages, and the owner's open-port count follows a port closed by
// overflow in every close-event mode.
func TestConformanceQueueLimitOverflow(t *testing.T) {
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

// OpenPorts and Stats follow ports through creation, transfer and close.
func TestConformanceOpenPortsAndStatsFollowTransfers(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ext := Get(sys)
	openAt := func(p *probe) int {
		var n int
		p.do(func(ctx actor.Context) { n = OpenPorts(ctx) })
		return n
	}
	ch := newChannel(t, a)
	assert.Equal(t, 2, openAt(a))
	assert.Equal(t, 0, openAt(b))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 1)) })
	assert.Equal(t, int64(1), ext.Stats().QueuedMessages)
	moved := moveTo(t, a, b, ch.Port2)
	assert.Equal(t, 1, openAt(a))
	assert.Equal(t, 1, openAt(b))
	assert.Equal(t, int64(2), ext.Stats().OpenPorts)
	waitPortActors(t, sys, 2)
	eventually(t, func() bool { return ext.Stats().QueuedMessages == 1 }, "the queued message moved with the port")
	assert.Equal(t, []any{1}, startAndRead(t, b, moved, 1))
	assert.Equal(t, int64(0), ext.Stats().QueuedMessages)
	b.do(func(ctx actor.Context) { require.NoError(t, moved.Close(ctx)) })
	assert.Equal(t, 0, openAt(b))
	a.nextClose()
	assert.Equal(t, 1, openAt(a), "a port whose peer closed is open until its owner closes it")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	assert.Equal(t, 0, openAt(a))
	waitPortActors(t, sys, 0)
	assert.Equal(t, int64(0), ext.Stats().OpenPorts)
}

// The EventStream diagnostics name the right actors.
func TestConformanceDiagnosticsNameTheirPorts(t *testing.T) {
	sys := newSystem(t)
	transferred := subscribe[*PortTransferred](t, sys)
	dropped := subscribe[*MessageDropped](t, sys)
	closed := subscribe[*PortClosed](t, sys)
	rejected := subscribe[*ProtocolRejected](t, sys)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	oldPID := ch.Port2.PID()
	moved := moveTo(t, a, b, ch.Port2)
	pt := receive(t, transferred, "PortTransferred")
	assert.True(t, pt.From.Equal(oldPID))
	assert.True(t, pt.To.Equal(moved.PID()))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	pc := receive(t, closed, "PortClosed")
	assert.True(t, pc.Port.Equal(ch.Port1.PID()))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "after close")) })
	md := receive(t, dropped, "MessageDropped")
	assert.True(t, md.Port.Equal(ch.Port1.PID()))
	sys.Root.Send(moved.PID(), &userMsg{key: 7})
	pr := receive(t, rejected, "ProtocolRejected")
	assert.True(t, pr.Port.Equal(moved.PID()))
}

// The unshipped port message queue, as doc.go states it (Differences from
// browsers): ports that never left their actor dispatch in global posting
// order among queues that were started when the messages arrived; a queue
// started later dispatches its waiting messages after those already due.
// (The standard would give x1 y1 x2 y2 in the second case.)
func TestConformanceUnshippedPortsGlobalOrderAsDocumented(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	x, y := newChannel(t, a), newChannel(t, a)
	read := func(n int) []any {
		var got []any
		for i := 0; i < n; i++ {
			got = append(got, a.nextMessage().Data)
		}
		return got
	}
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port2.Start(ctx))
		require.NoError(t, y.Port2.Start(ctx))
		require.NoError(t, x.Port1.PostMessage(ctx, "x1"))
		require.NoError(t, y.Port1.PostMessage(ctx, "y1"))
		require.NoError(t, x.Port1.PostMessage(ctx, "x2"))
		require.NoError(t, y.Port1.PostMessage(ctx, "y2"))
	})
	assert.Equal(t, []any{"x1", "y1", "x2", "y2"}, read(4), "started queues: posting order")
	x, y = newChannel(t, a), newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port2.Start(ctx))
		require.NoError(t, x.Port1.PostMessage(ctx, "x1"))
		require.NoError(t, y.Port1.PostMessage(ctx, "y1"))
		require.NoError(t, x.Port1.PostMessage(ctx, "x2"))
		require.NoError(t, y.Port2.Start(ctx))
		require.NoError(t, y.Port1.PostMessage(ctx, "y2"))
		require.NoError(t, x.Port1.PostMessage(ctx, "x3"))
	})
	assert.Equal(t, []any{"x1", "x2", "y1", "y2", "x3"}, read(5), "y1 waited in a disabled queue")
}

// An idle port costs no goroutine.
func TestConformanceIdlePortsCostNoGoroutine(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	before := runtime.NumGoroutine()
	a.do(func(ctx actor.Context) {
		for i := 0; i < 500; i++ {
			ch, err := NewMessageChannel(ctx)
			require.NoError(t, err)
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
			require.NoError(t, ch.Port2.Start(ctx))
		}
	})
	for i := 0; i < 500; i++ {
		a.nextMessage()
	}
	time.Sleep(100 * time.Millisecond) // let protoactor's mailbox goroutines finish
	assert.Less(t, runtime.NumGoroutine()-before, 20, "1000 idle ports")
	assert.Equal(t, int64(1000), Get(sys).Stats().PortActors)
}

// WPT MessageEvent_onmessage_postMessage_infinite_loop: a handler that
// posts again on every message must not starve the actor's other messages
// (the web's timers): each event is its own task.
func TestConformanceRepostingHandlerDoesNotStarveOtherMessages(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	var count int
	stop := false
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			count++
			if !stop {
				require.NoError(t, ch.Port1.PostMessage(ctx, count))
			}
		}))
		require.NoError(t, ch.Port1.PostMessage(ctx, 0))
	})
	// This runs on the actor between two of the loop's events.
	var seen int
	a.do(func(actor.Context) {
		seen = count
		stop = true
	})
	assert.Positive(t, seen, "the loop was running")
	a.quiet(20 * time.Millisecond)
}

// Calls without an actor context, or on a nil handle, are InvalidStateErrors.
func TestConformanceNilContextAndNilHandle(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	var nilPort *MessagePort
	_, err := NewMessageChannel(nil)
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	assert.ErrorIs(t, ch.Port1.PostMessage(nil, 1), messages.ErrInvalidState)
	assert.ErrorIs(t, ch.Port1.Start(nil), messages.ErrInvalidState)
	assert.ErrorIs(t, ch.Port1.Close(nil), messages.ErrInvalidState)
	assert.ErrorIs(t, PostTo(nil, a.pid, 1), messages.ErrInvalidState)
	a.do(func(ctx actor.Context) {
		assert.ErrorIs(t, nilPort.PostMessage(ctx, 1), messages.ErrInvalidState)
		assert.ErrorIs(t, nilPort.Start(ctx), messages.ErrInvalidState)
		assert.ErrorIs(t, nilPort.Close(ctx), messages.ErrInvalidState)
		assert.ErrorIs(t, nilPort.OnMessage(ctx, nil), messages.ErrInvalidState)
		_, _, err := nilPort.TryReceive(ctx)
		assert.ErrorIs(t, err, messages.ErrInvalidState)
	})
	assert.True(t, nilPort.Detached())
	assert.False(t, ch.Port1.Detached(), "nothing changed")
}
