package ports

// Helpers shared by the package's tests: an actor system with ports
// registered, the probe (a test context that hands the test its port events
// and runs code on its own goroutine), and short ways to make, move, read
// and watch ports.

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const waitFor = 5 * time.Second

// newSystem returns an actor system with protoactor's logging silenced and
// a ports extension configured with opts.
func newSystem(t testing.TB, opts ...Option) *actor.ActorSystem {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	_, err := Register(sys, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { Unregister(sys) })
	return sys
}

// probe is a test context: an actor with ReceiverMiddleware whose Receive
// hands every event to the test through a channel, and which runs test
// code on its own goroutine on request.
type probe struct {
	t      testing.TB
	sys    *actor.ActorSystem
	pid    *actor.PID
	events chan any
	name   string
}

type runOn struct {
	f    func(actor.Context)
	done chan struct{}
}

var probeSeq atomic.Int64

func newProbe(t testing.TB, sys *actor.ActorSystem, name string) *probe {
	t.Helper()
	return newHookProbe(t, sys, name, nil)
}

// newHookProbe is newProbe whose Receive first runs hook for every port
// event, on the actor's goroutine, inside Receive (so the hook may use
// the event's ports), and then hands the event to the test.
func newHookProbe(t testing.TB, sys *actor.ActorSystem, name string, hook func(ctx actor.Context, ev any)) *probe {
	t.Helper()
	return newOuterProbe(t, sys, name, hook, nil)
}

// newOuterProbe is newHookProbe with the middleware outer, if not nil,
// around ReceiverMiddleware: it sees every message as protoactor hands it
// over, before ports does.
func newOuterProbe(t testing.TB, sys *actor.ActorSystem, name string, hook func(ctx actor.Context, ev any), outer actor.ReceiverMiddleware) *probe {
	t.Helper()
	mw := []actor.ReceiverMiddleware{ReceiverMiddleware}
	if outer != nil {
		mw = []actor.ReceiverMiddleware{outer, ReceiverMiddleware}
	}
	p := &probe{t: t, sys: sys, events: make(chan any, 100000), name: name}
	props := actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *runOn:
			m.f(c)
			close(m.done)
		case *MessageEvent, *CloseEvent, *MessageErrorEvent:
			if hook != nil {
				hook(c, m)
			}
			p.events <- m
		}
	}, actor.WithReceiverMiddleware(mw...))
	pid, err := sys.Root.SpawnNamed(props, fmt.Sprintf("%s-%d", name, probeSeq.Add(1)))
	require.NoError(t, err)
	p.pid = pid
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	return p
}

// do runs f on the probe's goroutine, inside its Receive, and waits.
func (p *probe) do(f func(ctx actor.Context)) {
	p.t.Helper()
	done := make(chan struct{})
	p.sys.Root.Send(p.pid, &runOn{f: f, done: done})
	select {
	case <-done:
	case <-time.After(waitFor):
		p.t.Fatalf("%s: timed out running code on the actor", p.name)
	}
}

// next waits for the probe's next event.
func (p *probe) next() any {
	p.t.Helper()
	select {
	case ev := <-p.events:
		return ev
	case <-time.After(waitFor):
		p.t.Fatalf("%s: timed out waiting for an event", p.name)
		return nil
	}
}

// nextMessage waits for the next event and requires a MessageEvent.
func (p *probe) nextMessage() *MessageEvent {
	p.t.Helper()
	ev := p.next()
	me, ok := ev.(*MessageEvent)
	require.Truef(p.t, ok, "%s: want *MessageEvent, got %T %+v", p.name, ev, ev)
	return me
}

// nextClose waits for the next event and requires a CloseEvent.
func (p *probe) nextClose() *CloseEvent {
	p.t.Helper()
	ev := p.next()
	ce, ok := ev.(*CloseEvent)
	require.Truef(p.t, ok, "%s: want *CloseEvent, got %T %+v", p.name, ev, ev)
	return ce
}

// quiet asserts that no event arrives for d.
func (p *probe) quiet(d time.Duration) {
	p.t.Helper()
	select {
	case ev := <-p.events:
		p.t.Fatalf("%s: unexpected event %T %+v", p.name, ev, ev)
	case <-time.After(d):
	}
}

func newChannel(t testing.TB, pr *probe) *MessageChannel {
	t.Helper()
	var ch *MessageChannel
	pr.do(func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
	})
	return ch
}

// moveTo transfers port (owned by from) to to with PostTo and returns the
// handle to receives.
func moveTo(t testing.TB, from, to *probe, port *MessagePort) *MessagePort {
	t.Helper()
	from.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, to.pid, "move", port)) })
	ev := to.nextMessage()
	require.Len(t, ev.Ports, 1)
	require.Nil(t, ev.Target)
	return ev.Ports[0]
}

// startAndRead starts port (owned by pr) and returns the data of the next
// n events, requiring each to be a MessageEvent on port.
func startAndRead(t testing.TB, pr *probe, port *MessagePort, n int) []any {
	t.Helper()
	pr.do(func(ctx actor.Context) { require.NoError(t, port.Start(ctx)) })
	return readN(t, pr, port, n)
}

// readN returns the data of the next n events of pr, requiring each to be a
// MessageEvent on port.
func readN(t testing.TB, pr *probe, port *MessagePort, n int) []any {
	t.Helper()
	got := make([]any, 0, n)
	for len(got) < n {
		ev := pr.nextMessage()
		require.Samef(t, port, ev.Target, "%s: a message for another port: %v", pr.name, ev.Data)
		got = append(got, ev.Data)
	}
	return got
}

// seq returns []any{from, ..., to}.
func seq(from, to int) []any {
	out := []any{}
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// closesOf reads events from pr until it has seen n CloseEvents and returns
// them by target; any MessageEvent in between fails the test.
func closesOf(t testing.TB, pr *probe, n int) map[*MessagePort][]CloseReason {
	t.Helper()
	out := map[*MessagePort][]CloseReason{}
	for seen := 0; seen < n; seen++ {
		ce := pr.nextClose()
		out[ce.Target] = append(out[ce.Target], ce.Reason)
	}
	return out
}

// eventually waits until cond holds.
func eventually(t testing.TB, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", msg)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitPortActors waits until the system has no port actors left beyond
// want and no proxies.
func waitPortActors(t testing.TB, sys *actor.ActorSystem, want int64) {
	t.Helper()
	ext := Get(sys)
	eventually(t, func() bool {
		s := ext.Stats()
		return s.PortActors == want && s.Proxies == 0
	}, fmt.Sprintf("port actors settle at %d (stats now %+v)", want, ext.Stats()))
}

// subscribe collects the diagnostics of type T published on sys.
func subscribe[T any](t testing.TB, sys *actor.ActorSystem) chan T {
	t.Helper()
	ch := make(chan T, 1024)
	sub := sys.EventStream.Subscribe(func(evt any) {
		if v, ok := evt.(T); ok {
			select {
			case ch <- v:
			default:
			}
		}
	})
	t.Cleanup(func() { sys.EventStream.Unsubscribe(sub) })
	return ch
}

// receive waits for one value from ch.
func receive[T any](t testing.TB, ch chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitFor):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

func assertAttached(t testing.TB, ts ...interface{ Detached() bool }) {
	t.Helper()
	for i, x := range ts {
		assert.Falsef(t, x.Detached(), "entry %d (%v) was detached", i, x)
	}
}

// recordBytes is v as a Record in binary form, as another node sends it.
func recordBytes(t *testing.T, v any) []byte {
	t.Helper()
	rec, err := messages.Serialize(v)
	require.NoError(t, err)
	b, err := rec.MarshalBinary()
	require.NoError(t, err)
	return b
}

// moveAndSettle moves port (owned by from) to to and waits until its peer
// (owned by from) has a message from the moved end: by then the peer knows
// the successor and has heard the old incarnation, returned as former,
// say it is done.
func moveAndSettle(t *testing.T, from, to *probe, port, peer *MessagePort) (former *wire.Ref, moved *MessagePort) {
	t.Helper()
	former = port.core.ref()
	moved = moveTo(t, from, to, port)
	to.do(func(ctx actor.Context) { require.NoError(t, moved.PostMessage(ctx, "moved")) })
	require.Equal(t, []any{"moved"}, startAndRead(t, from, peer, 1))
	return former, moved
}

// requireFormerRefused sends port, from sys, a Closed in the name of its
// former neighbour and requires it to be refused as such.
func requireFormerRefused(t *testing.T, sys *actor.ActorSystem, rejected chan *ProtocolRejected, port *MessagePort, former *wire.Ref) {
	t.Helper()
	sys.Root.Send(port.PID(), &wire.Closed{Key: port.core.key, From: former, Origin: former, Last: 1})
	pr := receive(t, rejected, "ProtocolRejected")
	require.Contains(t, pr.Reason, "no longer a route neighbour")
}

// transferRounds runs S3's round n times: s makes a channel, sends one end
// to r with PostTo, posts i on the other end and closes it; r closes the
// moved port when i arrives on it. Each round waits for the message and
// for the port actors to be gone. r may take the message that carries the
// port, and its successor claim it, while s is still posting and closing:
// see transferRoundsInOrder for rounds where it cannot.
func transferRounds(t testing.TB, sys *actor.ActorSystem, n int) {
	t.Helper()
	runTransferRounds(t, sys, n, false)
}

// transferRoundsInOrder is transferRounds with r held (busy with a task of
// its own) until s's part of each round is over, so that the successor's
// Claim reaches the old holder after everything s's part sent it: the
// message, and the first port's close.
func transferRoundsInOrder(t testing.TB, sys *actor.ActorSystem, n int) {
	t.Helper()
	runTransferRounds(t, sys, n, true)
}

func runTransferRounds(t testing.TB, sys *actor.ActorSystem, n int, inOrder bool) {
	t.Helper()
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
	for i := range n {
		func() {
			if inOrder {
				defer hold(sys, r.pid)() // released also when s's part fails: r must not stay held
			}
			s.do(func(ctx actor.Context) {
				ch, err := NewMessageChannel(ctx)
				require.NoError(t, err)
				require.NoError(t, PostTo(ctx, r.pid, nil, ch.Port2))
				require.NoError(t, ch.Port1.PostMessage(ctx, i))
				require.NoError(t, ch.Port1.Close(ctx))
			})
		}()
		assert.Equal(t, i, receive(t, got, "the message on the moved port"))
		waitPortActors(t, sys, 0)
	}
}

// inSystem reports whether a (as traceHook gets it) is a port actor of sys:
// a test's hook sees the port actors of every system in the process,
// those of an earlier test that are still stopping too.
func inSystem(a *portActor, sys *actor.ActorSystem) bool {
	return a != nil && a.core != nil && a.core.own != nil && a.core.own.ext != nil && a.core.own.ext.system == sys
}

// newStartedChannel makes a channel owned by pr and starts both ports.
func newStartedChannel(t testing.TB, pr *probe) *MessageChannel {
	t.Helper()
	ch := newChannel(t, pr)
	pr.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, ch.Port2.Start(ctx))
	})
	return ch
}

// hold keeps the actor pid (one that runs runOn tasks) busy with a task of
// its own, so that what is sent to it waits in its mailbox, until release
// is called. Defer release: an actor still held cannot stop.
func hold(sys *actor.ActorSystem, pid *actor.PID) (release func()) {
	gate := make(chan struct{})
	sys.Root.Send(pid, &runOn{f: func(actor.Context) { <-gate }, done: make(chan struct{})})
	var once sync.Once
	return func() { once.Do(func() { close(gate) }) }
}
