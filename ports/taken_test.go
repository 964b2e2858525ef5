package ports

import (
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queuedBurst gives r the second port of a channel whose first port s
// keeps, and has s post n ints (1 to n) on it while r has not started it,
// so that the batch Start begins finds them all queued (from another
// actor: the batch path, which takes several at a time).
func queuedBurst(t *testing.T, sys *actor.ActorSystem, s, r *probe, n int) (p1, p2 *MessagePort) {
	t.Helper()
	ch := newChannel(t, s)
	p2 = moveTo(t, s, r, ch.Port2)
	s.do(func(ctx actor.Context) {
		for i := 1; i <= n; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	eventually(t, func() bool { return Get(sys).Stats().QueuedMessages == int64(n) }, "the burst is queued at the unstarted port")
	return ch.Port1, p2
}

// What the owner's code does to a port in the middle of a batch sees the
// messages the batch has taken and not dispatched yet as the port's queue:
// each message is dispatched (or taken, or dropped) once, in order.
func TestBatchTakenMessagesStayThePorts(t *testing.T) {
	const n = 150 // more than two batches
	const at = 2  // the message whose handler acts on the port
	cases := []struct {
		name string
		act  func(t *testing.T, ctx actor.Context, port *MessagePort, b *probe, tried chan any)
		// seenAtR is what r's Receive sees on the port; then at b (the
		// port's new owner) if the port was shipped.
		seenAtR, seenAtB []any
		tried            []any
		dropped          int64
	}{
		{
			name: "TryReceive takes the next one",
			act: func(t *testing.T, ctx actor.Context, port *MessagePort, _ *probe, tried chan any) {
				for range 2 {
					ev, ok, err := port.TryReceive(ctx)
					require.NoError(t, err)
					require.True(t, ok)
					tried <- ev.Data
				}
			},
			seenAtR: append(seq(1, at), seq(at+3, n)...),
			tried:   seq(at+1, at+2),
		},
		{
			name: "Close drops the rest",
			act: func(t *testing.T, ctx actor.Context, port *MessagePort, _ *probe, _ chan any) {
				require.NoError(t, port.Close(ctx))
			},
			seenAtR: seq(1, at),
			dropped: n - at,
		},
		{
			name: "a transfer hands the rest to the new owner",
			act: func(t *testing.T, ctx actor.Context, port *MessagePort, b *probe, _ chan any) {
				require.NoError(t, PostTo(ctx, b.pid, "moving", port))
			},
			seenAtR: seq(1, at),
			seenAtB: seq(at+1, n),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t)
			s, b := newProbe(t, sys, "s"), newProbe(t, sys, "b")
			tried := make(chan any, 10)
			var p2 *MessagePort
			r := newHookProbe(t, sys, "r", func(ctx actor.Context, ev any) {
				if me, ok := ev.(*MessageEvent); ok && me.Target == p2 && me.Data == at {
					tc.act(t, ctx, p2, b, tried)
				}
			})
			_, p2 = queuedBurst(t, sys, s, r, n)
			before := Get(sys).Stats().Dropped
			got := startAndRead(t, r, p2, len(tc.seenAtR))
			assert.Equal(t, tc.seenAtR, got)
			for _, want := range tc.tried {
				assert.Equal(t, want, receive(t, tried, "a message TryReceive took"))
			}
			if tc.seenAtB != nil {
				ev := b.nextMessage()
				require.Len(t, ev.Ports, 1)
				assert.Equal(t, tc.seenAtB, startAndRead(t, b, ev.Ports[0], len(tc.seenAtB)))
			}
			r.quiet(30 * time.Millisecond)
			b.quiet(10 * time.Millisecond)
			assert.Empty(t, tried)
			st := Get(sys).Stats()
			assert.Equal(t, int64(0), st.QueuedMessages, "messages still counted as queued")
			assert.Equal(t, tc.dropped, st.Dropped-before, "messages dropped")
		})
	}
}

// Messages a batch has taken still count as queued until each is
// dispatched (Stats.QueuedMessages, the queued-count metric).
func TestBatchTakenMessagesCountAsQueuedUntilDispatched(t *testing.T) {
	const n = 100
	sys := newSystem(t)
	s := newProbe(t, sys, "s")
	seen := make(chan [2]int64, n)
	var p2 *MessagePort
	r := newHookProbe(t, sys, "r", func(ctx actor.Context, ev any) {
		if me, ok := ev.(*MessageEvent); ok && p2 != nil && me.Target == p2 {
			seen <- [2]int64{int64(me.Data.(int)), Get(sys).Stats().QueuedMessages}
		}
	})
	_, p2 = queuedBurst(t, sys, s, r, n)
	r.do(func(ctx actor.Context) { require.NoError(t, p2.Start(ctx)) })
	for range n {
		got := receive(t, seen, "a message")
		assert.Equal(t, int64(n)-got[0], got[1], "queued while message %d is dispatched", got[0])
	}
	assert.Equal(t, int64(0), Get(sys).Stats().QueuedMessages)
}

// A batch that ends before it has dispatched what it took (a handler
// panicked) puts the rest back, so they meet the port's fate with its queue:
// the restart that follows the panic closes the owner's ports (fail-stop),
// and every message behind the one that failed is dropped and counted as
// such, not lost without a trace.
func TestBatchGivesBackWhatItTookWhenAHandlerPanics(t *testing.T) {
	const n, failAt = 40, 3
	sys := newSystem(t)
	s, r := newProbe(t, sys, "s"), newProbe(t, sys, "r")
	_, p2 := queuedBurst(t, sys, s, r, n)
	before := Get(sys).Stats().Dropped
	got := make(chan any, n)
	r.do(func(ctx actor.Context) {
		require.NoError(t, p2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			got <- ev.Data
			if ev.Data == failAt {
				panic(fmt.Sprintf("handler fails at %v", ev.Data))
			}
		}))
	})
	for i := 1; i <= failAt; i++ {
		assert.Equal(t, i, receive(t, got, "a message before the failure"))
	}
	eventually(t, func() bool { return Get(sys).Stats().Dropped-before == n-failAt }, "the messages behind the failure are dropped with the port's queue")
	st := Get(sys).Stats()
	assert.Equal(t, int64(0), st.QueuedMessages)
	assert.Equal(t, int64(n-failAt), st.Dropped-before)
	select {
	case v := <-got:
		t.Fatalf("a message was dispatched after the failure: %v", v)
	case <-time.After(30 * time.Millisecond):
	}
}

// When the supervisor resumes the owner after a handler panicked, the
// batch's notification goes back into the mailbox behind whatever was
// waiting there. What the batch had taken is back in the port's queue by
// then, so the other port's batch that runs first cannot disturb it, and
// the failed port goes on with the message after the one that failed.
func TestBatchResumedAfterAPanicKeepsWhatItTook(t *testing.T) {
	const n, failAt = 40, 3
	sys := newSystem(t)
	s := newProbe(t, sys, "s")
	resume := actor.NewOneForOneStrategy(10, time.Second, func(any) actor.Directive { return actor.ResumeDirective })
	type seen struct {
		port string
		v    any
	}
	got := make(chan seen, 2*n)
	var pa, pb *MessagePort
	r := &probe{t: t, sys: sys, events: make(chan any, 2), name: "r"}
	r.pid = sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *runOn:
			m.f(c)
			close(m.done)
		case *MessageEvent:
			if m.Target == nil { // a port moved here (moveTo)
				r.events <- m
				return
			}
			name := "b"
			if m.Target == pa {
				name = "a"
			}
			got <- seen{name, m.Data}
			if name == "a" && m.Data == failAt {
				panic("handler fails")
			}
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware), actor.WithGuardian(resume)))
	t.Cleanup(func() { _ = sys.Root.StopFuture(r.pid).Wait() })
	chA, chB := newChannel(t, s), newChannel(t, s)
	pa, pb = moveTo(t, s, r, chA.Port2), moveTo(t, s, r, chB.Port2)
	s.do(func(ctx actor.Context) {
		for i := 1; i <= n; i++ {
			require.NoError(t, chA.Port1.PostMessage(ctx, i))
			require.NoError(t, chB.Port1.PostMessage(ctx, i))
		}
	})
	eventually(t, func() bool { return Get(sys).Stats().QueuedMessages == 2*n }, "both bursts are queued")
	r.do(func(ctx actor.Context) {
		require.NoError(t, pa.Start(ctx)) // a's batch first, then b's
		require.NoError(t, pb.Start(ctx))
	})
	byPort := map[string][]any{}
	for range 2 * n {
		e := receive(t, got, "a message")
		byPort[e.port] = append(byPort[e.port], e.v)
	}
	assert.Equal(t, seq(1, n), byPort["a"])
	assert.Equal(t, seq(1, n), byPort["b"])
	eventually(t, func() bool { return Get(sys).Stats().QueuedMessages == 0 }, "nothing left queued")
	assert.Equal(t, int64(0), Get(sys).Stats().Dropped)
}

func TestSegQueuePrepend(t *testing.T) {
	cases := []struct {
		name          string
		queued, front []int
		thenPush      []int
	}{
		{name: "to an empty queue", front: []int{1, 2}, thenPush: []int{3}},
		{name: "to a queue that kept its segment", queued: []int{}, front: []int{1, 2, 3}, thenPush: []int{4, 5}},
		{name: "ahead of queued values", queued: []int{4, 5, 6, 7, 8}, front: []int{1, 2, 3}, thenPush: []int{9}},
		{name: "a full segment's worth", queued: []int{65}, front: seqInts(1, 64), thenPush: []int{66}},
		{name: "nothing", queued: []int{1}, front: nil, thenPush: []int{2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var q segQueue[int]
			if tc.queued != nil {
				q.push(0) // leaves a kept segment behind once popped
				_, _ = q.pop()
			}
			for _, v := range tc.queued {
				q.push(v)
			}
			q.prepend(tc.front)
			for _, v := range tc.thenPush {
				q.push(v)
			}
			want := append(append(append([]int{}, tc.front...), tc.queued...), tc.thenPush...)
			require.Equal(t, len(want), q.len())
			var got []int
			for {
				v, ok := q.pop()
				if !ok {
					break
				}
				got = append(got, v)
			}
			assert.Equal(t, want, got)
			q.push(100) // the emptied queue still works
			v, ok := q.pop()
			assert.True(t, ok)
			assert.Equal(t, 100, v)
		})
	}
}

func seqInts(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}
