package ports

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Port actors of this process watch each other through their cores: none
// of them gets a protoactor Terminated. In a port transfer every actor that
// stops has told the actors that watch it its last word first (a closed
// end's Closed, a retiring holder's PrevIs), so the rounds report no
// death; an end that dies without a last word (restarted, its state
// lost) is reported to the other end with a lostPort, which closes it as lost
// (a restarted port actor's new incarnation stops at once, and still tells
// its watchers).
func TestPortsOfThisProcessWatchEachOtherWithoutProtoactor(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup: no port actor reads it then
	sys := newSystem(t)
	var mu sync.Mutex
	seen := map[string]int{}
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		if !inSystem(a, sys) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch msg.(type) {
		case *actor.Terminated:
			seen["Terminated"]++
		case *lostPort:
			seen["lostPort"]++
		}
	}
	count := func(name string) int {
		mu.Lock()
		defer mu.Unlock()
		return seen[name]
	}
	transferRounds(t, sys, 5)
	assert.Zero(t, count("Terminated"), "protoactor Terminated messages at port actors")
	assert.Zero(t, count("lostPort"), "lostPort messages: each actor of a transfer says its last word before it stops")

	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	far := moveTo(t, a, b, ch.Port2)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	b.do(func(ctx actor.Context) { require.NoError(t, far.Start(ctx)) })
	// A message each way: both ends know each other and watch.
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "to b")) })
	assert.Equal(t, "to b", b.nextMessage().Data)
	b.do(func(ctx actor.Context) { require.NoError(t, far.PostMessage(ctx, "to a")) })
	assert.Equal(t, "to a", a.nextMessage().Data)
	// Restarted by protoactor, the actor loses its state and stops.
	pid := far.PID()
	proc, ok := sys.ProcessRegistry.GetLocal(pid.GetId())
	require.True(t, ok, "the moved port's actor is registered")
	proc.SendSystemMessage(pid, &actor.Restart{})
	ce := a.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	assert.Equal(t, CloseLost, ce.Reason)
	assert.Positive(t, count("lostPort"), "the end that died is reported with a lostPort")
	assert.Zero(t, count("Terminated"), "protoactor Terminated messages at port actors")
}

// The list in a core: a watch of a stopped port actor finds it gone, an
// unwatch takes the watcher out, and the actor's stop hands the list over
// once; a core never watched stops without a list of its own.
func TestPortWatchersList(t *testing.T) {
	c := &portCore{}
	w1, w2 := actor.NewPID("nonhost", "w1"), actor.NewPID("nonhost", "w2")
	require.True(t, c.watchers().add(w1))
	require.True(t, c.watchers().add(w2))
	assert.True(t, c.watchers().remove(w1))
	assert.False(t, c.watchers().remove(actor.NewPID("nonhost", "never")))
	assert.Equal(t, []*actor.PID{w2}, c.stopWatchers())
	assert.False(t, c.watchers().add(w1), "a watch after the stop finds the actor gone")
	assert.Empty(t, c.stopWatchers(), "the list is handed over once")
	assert.False(t, c.watchers().remove(w2), "after the stop: nothing to take out")

	// Past the list's own array, and out of the middle.
	c3 := &portCore{}
	w3 := actor.NewPID("nonhost", "w3")
	for _, w := range []*actor.PID{w1, w2, w3} {
		require.True(t, c3.watchers().add(w))
	}
	assert.True(t, c3.watchers().remove(w2))
	assert.False(t, c3.watchers().remove(w2), "taken out once")
	assert.Equal(t, []*actor.PID{w1, w3}, c3.stopWatchers())

	never := &portCore{}
	assert.Empty(t, never.stopWatchers())
	assert.Same(t, stoppedWatchList, never.watchedBy, "no list made for a port actor nobody watched")
	assert.False(t, never.watchers().add(w1), "a watch after the stop finds the actor gone")
}

// A context that has the message carrying a port (its custodian) and
// stops before dispatching it takes the port with it, as an owner going
// away does: the other end closes (CloseByPeer: the carrier became a dead
// letter, whose ports are abandoned). The shipped port's old actor watched
// the context through its ownerWatch: no protoactor Terminated reaches a
// port actor.
func TestCarrierLostWithItsCustodianClosesTheOtherEnd(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	sys := newSystem(t)
	var terminated atomic.Int32
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		if _, ok := msg.(*actor.Terminated); ok && inSystem(a, sys) {
			terminated.Add(1)
		}
	}
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	// b is held inside a handler while the carrier reaches its mailbox,
	// then stopped: protoactor handles the Stop before the carrier.
	hold, held := make(chan struct{}), make(chan struct{})
	sys.Root.Send(b.pid, &runOn{done: make(chan struct{}), f: func(actor.Context) {
		close(held)
		<-hold
	}})
	<-held
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	sys.Root.Stop(b.pid)
	close(hold)
	ce := a.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	assert.Equal(t, CloseByPeer, ce.Reason)
	assert.Zero(t, terminated.Load(), "protoactor Terminated messages at port actors")
}

// An actor with ReceiverMiddleware tells the port actors that watch it, as
// it stops, after everything it sent them: a watch then finds it gone.
func TestOwnerTellsItsWatchersAfterItsLastMessages(t *testing.T) {
	sys := newSystem(t)
	e := Get(sys)
	owner := newProbe(t, sys, "owner")
	got := make(chan any, 10)
	var watched, again bool
	watcher := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *runOn:
			m.f(ctx)
			close(m.done)
		case string, *lostPort:
			got <- m
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(watcher).Wait() })
	run := func(f func(ctx actor.Context)) {
		done := make(chan struct{})
		sys.Root.Send(watcher, &runOn{f: f, done: done})
		receive(t, done, "the watcher's code")
	}
	owner.do(func(actor.Context) {}) // started: a watch before that is protoactor's
	run(func(ctx actor.Context) { watched = e.watch(ctx, owner.pid) })
	require.True(t, watched)
	owner.do(func(ctx actor.Context) { ctx.Send(watcher, "last words") })
	require.NoError(t, sys.Root.StopFuture(owner.pid).Wait())
	assert.Equal(t, "last words", receive(t, got, "the owner's message"))
	lost, ok := receive(t, got, "the lostPort").(*lostPort)
	require.True(t, ok)
	assert.True(t, lost.who.Equal(owner.pid))
	run(func(ctx actor.Context) { again = e.watch(ctx, owner.pid) })
	assert.False(t, again, "a watch after the stop finds the owner gone")
}

// watchedBy reports whether the watchList of who lists watcher.
func watchedBy(e *Extension, who, watcher *actor.PID) bool {
	w := e.watchListOf(who)
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return containsPID(w.pids, watcher)
}

// A custodian whose own Stopped code panics, under an outer middleware
// that recovers (as the actors package's does): its watchers are still
// told, and the carrier's port closes at the other end.
func TestCustodianPanickingInStoppedStillTellsItsWatchers(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	recovering := func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
			defer func() { _ = recover() }()
			next(rc, env)
		}
	}
	hold, held := make(chan struct{}), make(chan struct{})
	b := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch c.Message().(type) {
		case string:
			close(held)
			<-hold
		case *actor.Stopped:
			panic("test: a bug in the custodian's Stopped")
		}
	}, actor.WithReceiverMiddleware(recovering, ReceiverMiddleware)))
	sys.Root.Send(b, "hold")
	<-held
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b, nil, ch.Port2)) })
	holder := ch.Port2.PID()
	eventually(t, func() bool { return watchedBy(Get(sys), b, holder) }, "the holder watches the custodian")
	stopped := sys.Root.StopFuture(b)
	close(hold)
	require.NoError(t, stopped.Wait())
	assert.Same(t, ch.Port1, a.nextClose().Target)
}

// A name spawned again while the actor that had it is still in its
// Stopped (out of the registry already) is another custodian: the old
// actor's death does not touch a carrier the new one holds.
func TestNameReusedDuringStoppedIsAnotherCustodian(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Start(ctx)) })
	inStopped, release, stoppedDone := make(chan struct{}), make(chan struct{}), make(chan struct{})
	// An outer middleware (tracing, say) that is slow on Stopped.
	slow := func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
			_, isStopped := env.Message.(*actor.Stopped)
			if isStopped {
				close(inStopped)
				<-release
			}
			next(rc, env)
			if isStopped {
				close(stoppedDone)
			}
		}
	}
	oldB, err := sys.Root.SpawnNamed(actor.PropsFromFunc(func(actor.Context) {},
		actor.WithReceiverMiddleware(slow, ReceiverMiddleware)), "reused")
	require.NoError(t, err)
	sys.Root.Stop(oldB)
	receive(t, inStopped, "the old actor's Stopped")

	got := make(chan *MessageEvent, 10)
	hold, held := make(chan struct{}), make(chan struct{})
	newB, err := sys.Root.SpawnNamed(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case string:
			close(held)
			<-hold
		case *MessageEvent:
			if len(m.Ports) == 1 {
				require.NoError(t, m.Ports[0].OnMessage(c, func(ctx actor.Context, ev *MessageEvent) {
					require.NoError(t, ev.Target.PostMessage(ctx, "alive"))
				}))
			}
			got <- m
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware)), "reused")
	require.NoError(t, err, "the name is free once the old actor is out of the registry")
	t.Cleanup(func() { _ = sys.Root.StopFuture(newB).Wait() })
	sys.Root.Send(newB, "hold")
	receive(t, held, "the new actor holding")
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, newB, nil, ch.Port2)) })
	holder := ch.Port2.PID()
	eventually(t, func() bool { return watchedBy(Get(sys), newB, holder) }, "the holder watches the new custodian")
	close(release)
	receive(t, stoppedDone, "the old actor's Stopped, with its watchers told")
	close(hold)
	require.Len(t, receive(t, got, "the carrier at the new actor").Ports, 1)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "ping")) })
	assert.Equal(t, "alive", a.nextMessage().Data, "the port is alive at the new actor, not closed")
}

// An actor with ReceiverMiddleware sees its own Stopped, as every
// protoactor actor does, whether it owned ports or not, after a hard stop
// and after a PoisonPill.
func TestOwnerSeesItsStopped(t *testing.T) {
	sys := newSystem(t)
	for _, stop := range []struct {
		name string
		do   func(pid *actor.PID) error
	}{
		{"Stop", func(pid *actor.PID) error { return sys.Root.StopFuture(pid).Wait() }},
		{"PoisonPill", func(pid *actor.PID) error { return sys.Root.PoisonFuture(pid).Wait() }},
	} {
		t.Run(stop.name, func(t *testing.T) {
			seen := make(chan struct{}, 1)
			pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
				switch m := c.Message().(type) {
				case *runOn:
					m.f(c)
					close(m.done)
				case *actor.Stopped:
					seen <- struct{}{}
				}
			}, actor.WithReceiverMiddleware(ReceiverMiddleware)))
			done := make(chan struct{})
			sys.Root.Send(pid, &runOn{done: done, f: func(ctx actor.Context) {
				_, err := NewMessageChannel(ctx)
				require.NoError(t, err)
			}})
			receive(t, done, "the channel made")
			require.NoError(t, stop.do(pid))
			receive(t, seen, "the actor's Stopped")
		})
	}
}

// A port is moved over a long-lived channel while its other end closes
// (S3's round). Neither the moved port's old actor nor its successor looks
// at the closed end's death: its own Closed was the last thing it sent, so
// the old actor no longer counts it as a sender (it retires as soon as it
// has handed over), and a port whose other end has closed does not watch
// it (and stops watching it at its Closed). No checkLost reaches a port
// actor, and nothing is rejected.
func TestClosedEndIsNotWatchedAfterItsClosed(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	sys := newSystem(t)
	var checks, lost atomic.Int32
	// Counted from the rounds on, at the port actors the rounds make (the
	// carrier's second port moved too, and its old actor's stop may still
	// be telling the carrier's successor).
	var counting atomic.Bool
	var carrierActors []*actor.PID // set before counting starts
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		if !counting.Load() || containsPID(carrierActors, self) || !inSystem(a, sys) {
			return
		}
		switch msg.(type) {
		case *checkLost:
			checks.Add(1)
		case *lostPort:
			lost.Add(1)
		}
	}
	rejected := subscribe[*ProtocolRejected](t, sys)
	got := make(chan any, 1)
	r := newHookProbe(t, sys, "r", func(ctx actor.Context, ev any) {
		if me, ok := ev.(*MessageEvent); ok && me.Target != nil && len(me.Ports) == 1 {
			require.NoError(t, me.Ports[0].OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
				require.NoError(t, ev.Target.Close(ctx))
				got <- ev.Data
			}))
		}
	})
	s := newProbe(t, sys, "s")
	carrier := newChannel(t, s)
	p2 := moveTo(t, s, r, carrier.Port2)
	r.do(func(ctx actor.Context) { require.NoError(t, p2.Start(ctx)) })
	waitPortActors(t, sys, 2)
	carrierActors = []*actor.PID{carrier.Port1.core.pid, p2.core.pid}
	counting.Store(true)
	const rounds = 20
	for i := range rounds {
		s.do(func(ctx actor.Context) {
			ch, err := NewMessageChannel(ctx)
			require.NoError(t, err)
			require.NoError(t, carrier.Port1.PostMessage(ctx, nil, ch.Port2))
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
			require.NoError(t, ch.Port1.Close(ctx))
		})
		assert.Equal(t, i, receive(t, got, "the message on the moved port"))
		r.next() // the carrier's event
		waitPortActors(t, sys, 2)
	}
	assert.Zero(t, checks.Load(), "checkLost messages: a port looked at a closed end's death")
	// The old actor stops right after its last word to the successor,
	// which may not have read it yet: one lostPort per round. The first
	// port's stop tells nobody: the old actor stopped watching it at its
	// Closed.
	assert.LessOrEqual(t, lost.Load(), int32(rounds), "lostPort messages")
	select {
	case m := <-rejected:
		t.Fatalf("protocol message rejected: %+v", m)
	default:
	}
}
