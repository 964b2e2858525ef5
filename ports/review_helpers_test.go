package ports

import (
	"fmt"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Helpers for the conformance and review tests (conformance_test.go,
// review_test.go). They build on harness_test.go.

// newHookProbe is newProbe whose Receive first runs hook for every port
// event, on the actor's goroutine, inside Receive (so the hook may use
// the event's ports), and then hands the event to the test.
func newHookProbe(t testing.TB, sys *actor.ActorSystem, name string, hook func(ctx actor.Context, ev any)) *probe {
	t.Helper()
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
	}, actor.WithReceiverMiddleware(ReceiverMiddleware))
	pid, err := sys.Root.SpawnNamed(props, fmt.Sprintf("%s-%d", name, probeSeq.Add(1)))
	require.NoError(t, err)
	p.pid = pid
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	return p
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

// waitQuiescent waits until the system has no port actors left beyond
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

func assertAttached(t testing.TB, ts ...interface{ Detached() bool }) {
	t.Helper()
	for i, x := range ts {
		assert.Falsef(t, x.Detached(), "entry %d (%v) was detached", i, x)
	}
}
