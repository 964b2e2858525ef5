package ports

// Delivery order: per direction, every message arrives once and in posting
// order across transfers, hops and crossing moves; ports that never left
// their actor keep the global posting order that doc.go describes.

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessagesQueuedBeforeShippingFollowThePort(t *testing.T) {
	// WPT Channel_postMessage_with_transfer_incoming_messages.
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
		for i := 4; i <= 6; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	p := b.nextMessage().Ports[0]
	assert.Equal(t, []any{1, 2, 3, 4, 5, 6}, startAndRead(t, b, p, 6))
}

func TestRapidRetransferKeepsOrder(t *testing.T) {
	// A port moves a -> b -> c -> d, each hop posting before the port was
	// ever started, while the other end keeps posting.
	sys := newSystem(t)
	a, b, c, d := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c"), newProbe(t, sys, "d")
	ch := newChannel(t, a)
	next := 1
	postSome := func(ctx actor.Context, n int) {
		for i := 0; i < n; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, next))
			next++
		}
	}
	a.do(func(ctx actor.Context) {
		postSome(ctx, 2)
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
		postSome(ctx, 2)
	})
	var p *MessagePort
	p = b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, c.pid, nil, p)) })
	a.do(func(ctx actor.Context) { postSome(ctx, 2) })
	p = c.nextMessage().Ports[0]
	c.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, d.pid, nil, p)) })
	a.do(func(ctx actor.Context) { postSome(ctx, 2) })
	p = d.nextMessage().Ports[0]
	assert.Equal(t, []any{1, 2, 3, 4, 5, 6, 7, 8}, startAndRead(t, d, p, 8))
	eventually(t, func() bool { return Get(sys).Stats().Proxies == 0 }, "the chain of proxies collapses")
}

func TestCrossingTransfersOfBothEnds(t *testing.T) {
	// Both ends move at once to different contexts, with messages in
	// flight both ways.
	sys := newSystem(t)
	a, b, c := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "1>"))
		require.NoError(t, ch.Port2.PostMessage(ctx, "<1"))
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port1))
		require.NoError(t, PostTo(ctx, c.pid, nil, ch.Port2))
	})
	p1 := b.nextMessage().Ports[0]
	p2 := c.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p1.PostMessage(ctx, "2>")) })
	c.do(func(ctx actor.Context) { require.NoError(t, p2.PostMessage(ctx, "<2")) })
	assert.Equal(t, []any{"1>", "2>"}, startAndRead(t, c, p2, 2))
	assert.Equal(t, []any{"<1", "<2"}, startAndRead(t, b, p1, 2))
	eventually(t, func() bool { return Get(sys).Stats().Proxies == 0 }, "both proxies retire")
}

// WPT Channel_postMessage_with_transfer_outgoing_messages: the moving end
// posts at every hop (a -> b -> c, over ports), the other end receives
// everything in order.
func TestMovingEndPostsAtEveryHop(t *testing.T) {
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
func TestOrderAcrossRepeatedCrossingTransfers(t *testing.T) {
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

func TestUnshippedPortsKeepGlobalPostingOrder(t *testing.T) {
	// Two channels whose four ends all live in one context and were never
	// shipped: deliveries follow the order of posting across both.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	x, y := newChannel(t, a), newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port2.Start(ctx))
		require.NoError(t, y.Port2.Start(ctx))
		for i := 0; i < 10; i++ {
			if i%3 == 0 {
				require.NoError(t, y.Port1.PostMessage(ctx, i))
			} else {
				require.NoError(t, x.Port1.PostMessage(ctx, i))
			}
		}
	})
	for i := 0; i < 10; i++ {
		assert.Equal(t, i, a.nextMessage().Data)
	}
}

// The unshipped port message queue, as doc.go states it (Differences from
// browsers): ports that never left their actor dispatch in global posting
// order among queues that were started when the messages arrived; a queue
// started later dispatches its waiting messages after those already due.
// (The standard would give x1 y1 x2 y2 in the second case.)
func TestUnshippedPortsGlobalOrderAsDocumented(t *testing.T) {
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
