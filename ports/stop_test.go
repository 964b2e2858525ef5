package ports

// Owners that stop: a graceful stop (PoisonPill) is lossless and waits for
// the ports it shipped; a hard stop and a restart are fail-stop (an
// in-order prefix, then one CloseEvent); a port in transit whose holder
// dies is lost and its peer closes.

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGracefulStopOfOwnerIsLossless(t *testing.T) {
	// A worker posts a port and is poisoned right away: the port and
	// everything in flight to it still reach the new owner, and the ports
	// the worker kept close with their messages delivered.
	sys := newSystem(t)
	w, b := newProbe(t, sys, "w"), newProbe(t, sys, "b")
	moving := newChannel(t, w)
	kept := newChannel(t, w)
	w.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, kept.Port2)) })
	keptFar := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, keptFar.Start(ctx)) })
	w.do(func(ctx actor.Context) {
		require.NoError(t, moving.Port1.PostMessage(ctx, "m1"))
		require.NoError(t, kept.Port1.PostMessage(ctx, "k1"))
		require.NoError(t, PostTo(ctx, b.pid, nil, moving.Port2))
		require.NoError(t, moving.Port1.PostMessage(ctx, "m2"))
		ctx.Poison(ctx.Self())
	})
	// Order between the two streams is free; each is in order, and each
	// ends with one close (both of the worker's ends closed as it stopped).
	var far *MessagePort
	got := map[*MessagePort][]any{}
	closed := map[*MessagePort]CloseReason{}
	for far == nil || len(closed) < 2 {
		switch ev := b.next().(type) {
		case *MessageEvent:
			if len(ev.Ports) == 1 {
				far = ev.Ports[0]
				b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
				continue
			}
			_, done := closed[ev.Target]
			require.False(t, done, "a message after the close event")
			got[ev.Target] = append(got[ev.Target], ev.Data)
		case *CloseEvent:
			_, dup := closed[ev.Target]
			require.False(t, dup, "two close events")
			closed[ev.Target] = ev.Reason
		}
	}
	assert.Equal(t, []any{"k1"}, got[keptFar])
	assert.Equal(t, []any{"m1", "m2"}, got[far])
	assert.Equal(t, CloseByPeer, closed[keptFar])
	assert.Equal(t, CloseByPeer, closed[far])
	eventually(t, func() bool {
		_, alive := sys.ProcessRegistry.Get(w.pid)
		return !alive
	}, "the worker stops once its ports are done")
}

// A graceful stop (PoisonPill) is lossless: a port the owner posted over a
// port just before stopping arrives, with every message in flight to it,
// including those its peer posts after the stop began.
func TestGracefulStopIsLosslessForAPortPostedOverAPort(t *testing.T) {
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

// doc.go: a graceful stop waits for the ports the owner posted away; one
// whose carrier sits in a queue that is never started keeps the owner
// (lingering) until it is stopped hard, and then its peer closes.
func TestGracefulStopLingersOnAnUnstartedCarrierQueue(t *testing.T) {
	sys := newSystem(t)
	w, b, z := newProbe(t, sys, "w"), newProbe(t, sys, "b"), newProbe(t, sys, "z")
	ch := newChannel(t, w)
	zEnd := moveTo(t, w, z, ch.Port1)
	z.do(func(ctx actor.Context) { require.NoError(t, zEnd.Start(ctx)) })
	carrier := newChannel(t, w)
	bEnd := moveTo(t, w, b, carrier.Port2) // never started
	w.do(func(ctx actor.Context) {
		require.NoError(t, carrier.Port1.PostMessage(ctx, "port", ch.Port2))
		ctx.Poison(ctx.Self())
	})
	// (bEnd's close event waits behind the carrier in its queue.)
	b.quiet(50 * time.Millisecond)
	_, alive := sys.ProcessRegistry.Get(w.pid)
	assert.True(t, alive, "w lingers while its shipped port is unclaimed")
	z.quiet(10 * time.Millisecond)
	require.NoError(t, sys.Root.StopFuture(w.pid).Wait())
	ce := z.nextClose()
	assert.Same(t, zEnd, ce.Target)
	assert.Equal(t, CloseLost, ce.Reason, "the port in transit was lost")
	// b's carrier queue still holds the (now dead) port: starting it
	// delivers a port that is closed at once.
	b.do(func(ctx actor.Context) {
		ev, ok, err := bEnd.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok, "the carrier is still there")
		require.Len(t, ev.Ports, 1)
		require.NoError(t, ev.Ports[0].Start(ctx))
	})
	got := closesOf(t, b, 2)
	assert.Equal(t, []CloseReason{CloseByPeer}, got[bEnd], "the carrier channel closed when w stopped")
	assert.Len(t, got, 2, "and the port that arrived dead fires its close")
	b.quiet(20 * time.Millisecond)
}

func TestHardStopIsFailStop(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	a.do(func(ctx actor.Context) {
		for i := 1; i <= 5; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	require.NoError(t, sys.Root.StopFuture(a.pid).Wait())
	var got []any
	for {
		ev := b.next()
		if ce, ok := ev.(*CloseEvent); ok {
			assert.Contains(t, []CloseReason{CloseByPeer, CloseLost}, ce.Reason)
			break
		}
		got = append(got, ev.(*MessageEvent).Data)
	}
	for i, d := range got {
		assert.Equal(t, i+1, d, "a prefix, in order")
	}
	b.quiet(30 * time.Millisecond)
}

// A hard Stop is fail-stop: each peer gets an in-order prefix of what was
// sent, then exactly one CloseEvent; ports in transit inside the dead
// owner's queues close at their peers; nothing is left behind.
func TestHardStopPrefixThenOneClose(t *testing.T) {
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

func TestPortInTransitWhenHolderDies(t *testing.T) {
	// The carrier is posted to an actor that never reads it; the holder's
	// owner is stopped hard: the port is lost and its peer closes.
	sys := newSystem(t)
	a, b, c := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, c.pid, nil, ch.Port1)) })
	p1 := c.nextMessage().Ports[0]
	c.do(func(ctx actor.Context) { require.NoError(t, p1.Start(ctx)) })
	carrier := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		// The carrier sits in carrier.Port2's queue, never started.
		require.NoError(t, carrier.Port1.PostMessage(ctx, nil, ch.Port2))
		require.NoError(t, PostTo(ctx, b.pid, nil, carrier.Port2))
	})
	b.nextMessage() // b owns the never-started queue now
	require.NoError(t, sys.Root.StopFuture(a.pid).Wait())
	assert.Equal(t, CloseLost, c.nextClose().Reason)
}

func TestRestartAfterPanicIsFailStop(t *testing.T) {
	sys := newSystem(t)
	events := make(chan any, 10)
	var ch *MessageChannel
	props := actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *runOn:
			m.f(c)
			close(m.done)
		case string:
			panic(m)
		case *CloseEvent:
			events <- m
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware))
	pid := sys.Root.Spawn(props)
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	b := newProbe(t, sys, "b")
	done := make(chan struct{})
	sys.Root.Send(pid, &runOn{done: done, f: func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2))
	}})
	<-done
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	sys.Root.Send(pid, "boom") // default supervision restarts the actor, stopping its children
	ce := b.nextClose()
	assert.Contains(t, []CloseReason{CloseByPeer, CloseLost}, ce.Reason)
}

// A restart after a panic inside an OnMessage handler is fail-stop for the
// actor's ports (their peers close once), and afterwards the actor owns
// ports again from scratch.
func TestRestartFromHandlerPanicThenOwnPortsAgain(t *testing.T) {
	sys := newSystem(t)
	owner := newProbe(t, sys, "owner")
	peer := newProbe(t, sys, "peer")
	ch := newChannel(t, owner)
	far := moveTo(t, owner, peer, ch.Port2)
	peer.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	owner.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.OnMessage(ctx, func(actor.Context, *MessageEvent) { panic("handler bug") }))
	})
	peer.do(func(ctx actor.Context) { require.NoError(t, far.PostMessage(ctx, "boom")) })
	ce := peer.nextClose()
	assert.Same(t, far, ce.Target)
	peer.quiet(30 * time.Millisecond)
	var open int
	owner.do(func(ctx actor.Context) { open = OpenPorts(ctx) })
	assert.Equal(t, 0, open, "the restarted actor owns nothing")
	again := newChannel(t, owner)
	owner.do(func(ctx actor.Context) {
		require.NoError(t, again.Port1.PostMessage(ctx, "after restart"))
		require.NoError(t, again.Port2.Start(ctx))
	})
	assert.Equal(t, "after restart", owner.nextMessage().Data)
}

// A bug that panics in a port actor as it starts (once it knows its PID),
// before an idle port has its neighbours record, fails that end like a lost
// route: the peer gets one CloseEvent, CloseLost, and no port actor is left
// behind. The peer is the first port of the channel, which gets the lost
// Closed before it knows its peer and releases it once it does.
func TestPanicAsAPortStartsFailsItsEnd(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // runs after the system's own cleanup: no port actor reads it then
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		if _, ok := msg.(*actor.Started); ok && a.core != nil && a.core.side == 1 {
			a.core.pid = self // what onStarted does first
			panic("test: a bug as the port starts")
		}
	}
	sys := newSystem(t)
	pr := newProbe(t, sys, "owner")
	ch := newChannel(t, pr)
	pr.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	closes := closesOf(t, pr, 2)
	assert.Equal(t, []CloseReason{CloseLost}, closes[ch.Port1])
	assert.Len(t, closes[ch.Port2], 1, "the failed end's own handle")
	assert.Zero(t, Get(sys).Stats().ProtocolErrors, "the first port released the lost Closed once it knew its peer; it did not report it as a stranger's")
	pr.quiet(50 * time.Millisecond)
	pr.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		require.NoError(t, ch.Port2.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	assert.Zero(t, Get(sys).Stats().OpenPorts)
}

// An owner whose strategy restarts all its children when one fails
// (AllForOneStrategy) restarts its port actors too when another child
// panics. A restarted port actor has lost its state, so its end fails as
// on a panic: the owner's handles and the other ends close as lost, and no
// port actor is left behind.
func TestAllForOneRestartOfPortActorsClosesTheirEnds(t *testing.T) {
	sys := newSystem(t)
	events := make(chan any, 10)
	var fresh, far *MessageChannel
	var child *actor.PID
	props := actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *runOn:
			m.f(c)
			close(m.done)
		case *CloseEvent:
			events <- m
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware), actor.WithSupervisor(actor.NewAllForOneStrategy(10, 0, actor.DefaultDecider)))
	owner := sys.Root.Spawn(props)
	t.Cleanup(func() { _ = sys.Root.StopFuture(owner).Wait() })
	other := newProbe(t, sys, "other")
	done := make(chan struct{})
	sys.Root.Send(owner, &runOn{done: done, f: func(ctx actor.Context) {
		var err error
		fresh, err = NewMessageChannel(ctx)
		require.NoError(t, err)
		require.NoError(t, fresh.Port1.Start(ctx))
		require.NoError(t, fresh.Port2.Start(ctx))
		far, err = NewMessageChannel(ctx)
		require.NoError(t, err)
		require.NoError(t, far.Port1.Start(ctx))
		require.NoError(t, PostTo(ctx, other.pid, nil, far.Port2))
		child = ctx.Spawn(actor.PropsFromFunc(func(c actor.Context) {
			if _, ok := c.Message().(string); ok {
				panic("test: another child's bug")
			}
		}))
	}})
	receive(t, done, "the owner's setup")
	moved := other.nextMessage().Ports[0]
	other.do(func(ctx actor.Context) { require.NoError(t, moved.Start(ctx)) })

	sys.Root.Send(child, "boom")
	closed := map[*MessagePort]CloseReason{}
	for range 3 {
		ce, ok := receive(t, events, "the owner's CloseEvents").(*CloseEvent)
		require.True(t, ok)
		closed[ce.Target] = ce.Reason
	}
	assert.Equal(t, map[*MessagePort]CloseReason{fresh.Port1: CloseLost, fresh.Port2: CloseLost, far.Port1: CloseLost}, closed)
	ce := other.nextClose()
	assert.Same(t, moved, ce.Target)
	assert.Equal(t, CloseLost, ce.Reason)
	other.do(func(ctx actor.Context) { _ = moved.Close(ctx) })
	waitPortActors(t, sys, 0)
}

// A port actor restarted on another goroutine while its owner is spawning
// a port: the restart gets a stopper, and the new port keeps its own actor
// (protoactor calls the owner's one producer for both).
func TestRestartDuringSpawnKeepsTheNewPortsActor(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	sys := newSystem(t)
	owner := newProbe(t, sys, "owner")
	old := newStartedChannel(t, owner)
	x := old.Port1.PID()
	var armed atomic.Bool
	held, gate, restarting := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var once sync.Once
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		switch msg.(type) {
		case *wake:
			if self.Equal(x) {
				close(held)
				<-gate // x's mailbox is held on the goroutine that sent the wake
			}
		case *actor.Restarting:
			if self.Equal(x) {
				close(restarting)
			}
		case *actor.Started:
			if armed.Load() && !self.Equal(x) {
				// A new port starts inside spawnPort, on the owner's
				// goroutine: let x's restart run now.
				once.Do(func() {
					close(gate)
					<-restarting
				})
			}
		}
	}
	proc, ok := sys.ProcessRegistry.GetLocal(x.GetId())
	require.True(t, ok)
	go proc.SendUserMessage(x, &wake{})
	receive(t, held, "x's mailbox held on another goroutine")
	proc.SendSystemMessage(x, &actor.Restart{}) // queued behind the wake
	armed.Store(true)
	fresh := newChannel(t, owner)
	owner.do(func(ctx actor.Context) {
		require.NoError(t, fresh.Port2.Start(ctx))
		require.NoError(t, fresh.Port1.PostMessage(ctx, "after"))
	})
	closes, msgs := map[*MessagePort]CloseReason{}, []any{}
	for len(closes) < 2 || len(msgs) < 1 {
		switch ev := owner.next().(type) {
		case *CloseEvent:
			closes[ev.Target] = ev.Reason
		case *MessageEvent:
			msgs = append(msgs, ev.Data)
		}
	}
	assert.Equal(t, map[*MessagePort]CloseReason{old.Port1: CloseLost, old.Port2: CloseLost}, closes)
	assert.Equal(t, []any{"after"}, msgs, "the new channel works")
	assert.Equal(t, fresh.Port1.PID(), fresh.Port1.core.pid, "the new port's actor knows its own PID")
	owner.do(func(ctx actor.Context) {
		for _, p := range []*MessagePort{old.Port1, old.Port2, fresh.Port1, fresh.Port2} {
			_ = p.Close(ctx)
		}
	})
	waitPortActors(t, sys, 0)
}

// A restart that reaches a port actor as it starts, inside its owner's
// spawn, is a restart like any other: the end fails, nothing hangs.
func TestRestartAsAPortStartsFailsItsEnd(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	sys := newSystem(t)
	owner := newProbe(t, sys, "owner")
	var once sync.Once
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		if _, ok := msg.(*actor.Started); ok && a.core != nil && a.core.side == 1 {
			once.Do(func() {
				proc, ok := sys.ProcessRegistry.GetLocal(self.GetId())
				require.True(t, ok)
				proc.SendSystemMessage(self, &actor.Restart{}) // handled right after this Started
			})
		}
	}
	ch := newStartedChannel(t, owner)
	closes := closesOf(t, owner, 2)
	assert.Equal(t, []CloseReason{CloseLost}, closes[ch.Port1])
	assert.Equal(t, []CloseReason{CloseLost}, closes[ch.Port2])
	owner.do(func(ctx actor.Context) {
		_ = ch.Port1.Close(ctx)
		_ = ch.Port2.Close(ctx)
	})
	waitPortActors(t, sys, 0)
}

// A bug that panics in a port actor as it is restarted still leaves the
// restart its stopper: the end fails, and the owner spawns ports after it.
func TestPanicAsAPortRestartsFailsItsEnd(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	sys := newSystem(t)
	owner := newProbe(t, sys, "owner")
	ch := newStartedChannel(t, owner)
	x := ch.Port1.PID()
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		if _, ok := msg.(*actor.Restarting); ok && self.Equal(x) {
			panic("test: a bug as the port restarts")
		}
	}
	proc, ok := sys.ProcessRegistry.GetLocal(x.GetId())
	require.True(t, ok)
	proc.SendSystemMessage(x, &actor.Restart{})
	closes := closesOf(t, owner, 2)
	assert.Equal(t, []CloseReason{CloseLost}, closes[ch.Port1])
	assert.Equal(t, []CloseReason{CloseLost}, closes[ch.Port2])
	again := newChannel(t, owner)
	owner.do(func(ctx actor.Context) {
		require.NoError(t, again.Port2.Start(ctx))
		require.NoError(t, again.Port1.PostMessage(ctx, "after"))
	})
	assert.Equal(t, "after", owner.nextMessage().Data)
	owner.do(func(ctx actor.Context) {
		for _, p := range []*MessagePort{ch.Port1, ch.Port2, again.Port1, again.Port2} {
			_ = p.Close(ctx)
		}
	})
	waitPortActors(t, sys, 0)
}
