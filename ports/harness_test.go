package ports

import (
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
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
