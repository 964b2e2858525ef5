package ports

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A port transfer between two contexts of this process: the port actors
// watch each other through their cores, so none of them gets a protoactor
// Terminated, and the moved port's old actor learns of its peer's stop from
// a lostPort.
func TestPortsOfThisProcessWatchEachOtherWithoutProtoactor(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup: no port actor reads it then
	sys := newSystem(t)
	var mu sync.Mutex
	seen := map[string]int{}
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		mu.Lock()
		defer mu.Unlock()
		switch msg.(type) {
		case *actor.Terminated:
			seen["Terminated"]++
		case *lostPort:
			seen["lostPort"]++
		}
	}
	got := make(chan any, 1)
	r := newHookProbe(t, sys, "r", func(ctx actor.Context, ev any) {
		if me, ok := ev.(*MessageEvent); ok && len(me.Ports) == 1 {
			require.NoError(t, me.Ports[0].OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
				require.NoError(t, ev.Target.Close(ctx))
				got <- ev.Data
			}))
		}
	})
	s := newProbe(t, sys, "s")
	const rounds = 5
	for i := range rounds {
		s.do(func(ctx actor.Context) {
			ch, err := NewMessageChannel(ctx)
			require.NoError(t, err)
			require.NoError(t, PostTo(ctx, r.pid, nil, ch.Port2))
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
			require.NoError(t, ch.Port1.Close(ctx))
		})
		assert.Equal(t, i, receive(t, got, "the message on the moved port"))
		waitPortActors(t, sys, 0)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Zero(t, seen["Terminated"], "protoactor Terminated messages at port actors")
	assert.GreaterOrEqual(t, seen["lostPort"], rounds, "lostPort messages: the moved port's old actor watches its peer")
}

// A watched port actor restarted by protoactor (its state is gone, so the
// new incarnation stops at once) still tells its watchers: the other end
// closes as lost.
func TestRestartedPortActorTellsItsWatchers(t *testing.T) {
	sys := newSystem(t)
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

	pid := far.PID()
	proc, ok := sys.ProcessRegistry.GetLocal(pid.GetId())
	require.True(t, ok, "the moved port's actor is registered")
	proc.SendSystemMessage(pid, &actor.Restart{})
	ce := a.nextClose()
	assert.Same(t, ch.Port1, ce.Target)
	assert.Equal(t, CloseLost, ce.Reason)
	b.do(func(ctx actor.Context) { _ = far.Close(ctx) })
}

// The list in a core: a watch of a stopped port actor finds it gone, an
// unwatch takes the watcher out, and the actor's stop hands the list over
// once.
func TestPortWatchersList(t *testing.T) {
	c := &portCore{}
	w1, w2 := actor.NewPID("nonhost", "w1"), actor.NewPID("nonhost", "w2")
	require.True(t, c.addWatcher(w1))
	require.True(t, c.addWatcher(w2))
	c.removeWatcher(w1)
	c.removeWatcher(actor.NewPID("nonhost", "never"))
	assert.Equal(t, []*actor.PID{w2}, c.takeWatchers())
	assert.False(t, c.addWatcher(w1), "a watch after the stop finds the actor gone")
	assert.Empty(t, c.takeWatchers(), "the list is handed over once")
	c.removeWatcher(w2) // after the stop: nothing to take out, no panic
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
		if _, ok := msg.(*actor.Terminated); ok {
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
