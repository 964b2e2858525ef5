package ports

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingHandler keeps the slog records written through it.
type recordingHandler struct {
	mu    *sync.Mutex
	lines *[]string
	attrs []slog.Attr
}

func (h recordingHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h recordingHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
	for _, a := range h.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	h.mu.Lock()
	*h.lines = append(*h.lines, b.String())
	h.mu.Unlock()
	return nil
}

func (h recordingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h.attrs = append(append([]slog.Attr(nil), h.attrs...), as...)
	return h
}

func (h recordingHandler) WithGroup(string) slog.Handler { return h }

// isOurs reports whether v's type belongs to this module.
func isOurs(v any) bool {
	if v == nil {
		return false
	}
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.Contains(t.PkgPath(), "entangle")
}

// watchOfOurs reports whether m is a Watch or Unwatch by a port actor.
func watchOfOurs(m any) bool {
	switch w := m.(type) {
	case *actor.Watch:
		return strings.Contains(w.Watcher.GetId(), "port$")
	case *actor.Unwatch:
		return strings.Contains(w.Watcher.GetId(), "port$")
	}
	return false
}

// Ordinary work (posts, transfers along a chain, PostTo to actors with and
// without the middleware, closes, graceful and hard stops) leaves no dead
// letter of this module's messages on the EventStream and no log line about
// them: the protocol's messages (wire.Landed, the watchers', the
// notifications) never show. Only real losses would.
func TestOrdinaryWorkLeavesNoDeadLettersOrLogLines(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(recordingHandler{mu: &mu, lines: &lines})
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	_, err := Register(sys)
	require.NoError(t, err)
	t.Cleanup(func() { Unregister(sys) })
	var dead []string
	sub := sys.EventStream.Subscribe(func(evt any) {
		if d, ok := evt.(*actor.DeadLetterEvent); ok && (isOurs(d.Message) || watchOfOurs(d.Message)) {
			mu.Lock()
			dead = append(dead, fmt.Sprintf("%T to %v", d.Message, d.PID))
			mu.Unlock()
		}
	})
	defer sys.EventStream.Unsubscribe(sub)

	a, b, c := newProbe(t, sys, "a"), newProbe(t, sys, "b"), newProbe(t, sys, "c")
	plainGot := make(chan any, 8)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *MessageEvent, *MessageErrorEvent:
			plainGot <- m
		}
	}))
	ch := newChannel(t, a)
	toB := moveTo(t, a, b, ch.Port2)
	toC := moveTo(t, b, c, toB)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, "hello"))
	})
	assert.Equal(t, []any{"hello"}, startAndRead(t, c, toC, 1))
	c.do(func(ctx actor.Context) { require.NoError(t, toC.PostMessage(ctx, "back")) })
	assert.Equal(t, "back", a.nextMessage().Data)
	other := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, plain, "data"))
		require.NoError(t, PostTo(ctx, plain, "a port", other.Port2))
	})
	receive(t, plainGot, "the plain actor's MessageEvent")
	receive(t, plainGot, "the plain actor's MessageErrorEvent")
	c.do(func(ctx actor.Context) { require.NoError(t, toC.Close(ctx)) })
	a.nextClose()
	a.nextClose()
	last := newChannel(t, a)
	moveTo(t, a, b, last.Port2)
	_ = sys.Root.PoisonFuture(b.pid).Wait()
	a.nextClose()
	_ = sys.Root.StopFuture(c.pid).Wait()
	_ = sys.Root.StopFuture(plain).Wait()
	_ = sys.Root.StopFuture(a.pid).Wait()
	waitPortActors(t, sys, 0)
	// (The EventStream publishes synchronously: a dead letter is seen as
	// it is sent.)

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, dead, "dead letters of this module's messages")
	for _, l := range lines {
		low := strings.ToLower(l)
		for _, word := range []string{"landed", "watcher", "entangle", "wire.", "ports."} {
			assert.NotContains(t, low, word, "log line %q", l)
		}
	}
}

// A port sent away with a message and closed at once (the request-reply
// pattern: a fresh channel per request): by the time the moved port takes
// over, the actors it depends on are often gone, and it looks at their
// deaths without watching them (a Watch of a gone actor is a dead letter,
// and a Terminated that only says so again), and the PrevIs for the
// closed first port is dropped as news. The port that received still gets
// the message, and both ends close, and no round leaves a dead letter.
//
// In a few rounds in a thousand (more under -race) the successor's Claim
// reaches the old holder before the first port's Closed, and the Bypass
// the holder starts is forwarded to the first port, which is gone: that
// case is TestSendNewsToAGoneActor's.
func TestClosedAtOnceAfterTransferSendsNoDeadLetters(t *testing.T) {
	sys := newSystem(t)
	dead := recordDeadLetters(t, sys)
	const rounds = 20
	transferRounds(t, sys, rounds)
	assert.Empty(t, dead(), "dead letters")
	assert.Zero(t, Get(sys).Stats().ProtocolErrors)
}

// recordDeadLetters records every dead letter published in sys until the
// test ends; the function it returns lists them so far ("type to PID").
// The EventStream publishes synchronously: a dead letter is recorded as it
// is sent.
func recordDeadLetters(t *testing.T, sys *actor.ActorSystem) func() []string {
	var mu sync.Mutex
	var dead []string
	sub := sys.EventStream.Subscribe(func(evt any) {
		if d, ok := evt.(*actor.DeadLetterEvent); ok {
			mu.Lock()
			dead = append(dead, fmt.Sprintf("%T to %v", d.Message, d.PID))
			mu.Unlock()
		}
	})
	t.Cleanup(func() { sys.EventStream.Unsubscribe(sub) })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), dead...)
	}
}

// A control message for an actor of this process that has stopped is not
// sent: what its dead letter would have made the extension do happens at
// once (a Bypass goes back to its proxy as a BypassRetry), and nothing
// reaches the EventStream's dead letters. One for a live actor arrives.
func TestSendNewsToAGoneActor(t *testing.T) {
	sys := newSystem(t)
	e := Get(sys)
	dead := recordDeadLetters(t, sys)
	recorder := func() (*actor.PID, chan any) {
		got := make(chan any, 4)
		pid := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
			switch m := ctx.Message().(type) {
			case *wire.Bypass, *wire.BypassRetry, *wire.Closed:
				got <- m
			}
		}))
		t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
		return pid, got
	}
	proxy, atProxy := recorder()
	gone := sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	require.NoError(t, sys.Root.StopFuture(gone).Wait())
	live, atLive := recorder()

	for _, c := range []struct {
		name      string
		to        *actor.PID
		msg       any
		arrives   chan any // where msg itself must arrive, if anywhere
		retryTo   chan any // where a BypassRetry must arrive, if anywhere
		retryName string
	}{
		{name: "a Bypass for a gone actor goes back to its proxy", to: gone,
			msg: &wire.Bypass{Key: 1, Proxy: &wire.Ref{Pid: proxy, Key: 7}}, retryTo: atProxy},
		{name: "a Closed for a gone actor is dropped", to: gone, msg: &wire.Closed{Key: 1}},
		{name: "a BypassRetry for a gone actor is dropped", to: gone, msg: &wire.BypassRetry{Key: 1}},
		{name: "a Closed for a live actor arrives", to: live, msg: &wire.Closed{Key: 2}, arrives: atLive},
		{name: "a Bypass for a live actor arrives", to: live, msg: &wire.Bypass{Key: 3, Proxy: &wire.Ref{Pid: proxy, Key: 7}}, arrives: atLive},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.sendNews(sys.Root, c.to, c.msg)
			if c.arrives != nil {
				assert.Same(t, c.msg, receive(t, c.arrives, "the control message"))
			}
			if c.retryTo != nil {
				retry, ok := receive(t, c.retryTo, "the BypassRetry").(*wire.BypassRetry)
				require.True(t, ok, "the proxy got a BypassRetry")
				assert.Equal(t, uint64(7), retry.GetKey(), "addressed with the proxy's key")
			}
		})
	}
	// Nothing else reached the recorders (a message to the live actor
	// before this one would be ahead of it in its mailbox).
	probe, atProbe := recorder()
	for _, pid := range []*actor.PID{proxy, live} {
		sys.Root.Send(pid, &wire.Closed{Key: 99})
	}
	sys.Root.Send(probe, &wire.Closed{Key: 99})
	assert.Equal(t, uint64(99), receive(t, atProxy, "the proxy's marker").(*wire.Closed).GetKey(), "the proxy got one BypassRetry only")
	assert.Equal(t, uint64(99), receive(t, atLive, "the live actor's marker").(*wire.Closed).GetKey())
	receive(t, atProbe, "the probe's marker")
	assert.Empty(t, dead(), "dead letters")
}
