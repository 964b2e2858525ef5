package ports

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A holder that serves the Claim of a successor in this process sends it
// the State, the message it kept and its PrevIs in one bundle: the
// successor handles no State of its own. The rounds are held in order (the
// Claim comes after the first port's message and close): a Claim that
// overtakes them gets a bundle of the State and a Bypass instead (a few
// rounds in a thousand, more under -race, with transferRounds).
func TestTransferInThisProcessBundlesWhatTheHolderSends(t *testing.T) {
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	var mu sync.Mutex
	var bundles [][]string
	states := 0
	traceHook = func(self *actor.PID, a *portActor, msg any) {
		mu.Lock()
		defer mu.Unlock()
		switch m := msg.(type) {
		case *bundle:
			var types []string
			for _, in := range m.msgs {
				types = append(types, fmt.Sprintf("%T", in))
			}
			bundles = append(bundles, types)
		case *wire.State:
			states++
		}
	}
	sys := newSystem(t)
	const rounds = 3
	transferRoundsInOrder(t, sys, rounds)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"*wire.State", "*ports.userMsg", "*wire.PrevIs"}
	require.Len(t, bundles, rounds, "a bundle per transfer")
	for _, b := range bundles {
		assert.Equal(t, want, b)
	}
	assert.Equal(t, rounds, states, "every State came inside a bundle")
}

// A bundle that reaches no actor gives back what its messages carry, as
// each of them would have alone: the dead-letter hook selects it, and
// undelivered returns its ports and its Bypass requests.
func TestBundleThatReachesNoActorIsReturned(t *testing.T) {
	bypass := &wire.Bypass{Key: 1, Proxy: &wire.Ref{Pid: actor.NewPID("nonhost", "proxy"), Key: 2}}
	carrying := &userMsg{key: 1, inMsg: recordMsg(nil, []*wire.Token{{Nonce: 9}})}
	tests := []struct {
		name string
		msg  any
		want bool
	}{
		{"empty", &bundle{}, false},
		{"news only", &bundle{msgs: []any{&wire.State{}, &wire.PrevIs{}}}, false},
		{"a bypass request", &bundle{msgs: []any{&wire.State{}, bypass}}, true},
		{"a message that carries a port", &bundle{msgs: []any{carrying}}, true},
		{"in an envelope", &actor.MessageEnvelope{Message: &bundle{msgs: []any{bypass}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, isPortDeadLetter(&actor.DeadLetterEvent{Message: tt.msg}))
		})
	}
}

// Once a message of a bundle has stopped the actor, the rest go where its
// mailbox sends what is left after a stop: the actor does not handle them
// (a State would be a protocol error), and a Bypass request goes back to
// the proxy that made it.
func TestBundleAfterTheActorStoppedReturnsTheRest(t *testing.T) {
	sys := newSystem(t)
	proxy := newRetryCatcher(t, sys)
	a := newProbe(t, sys, "a")
	ch := newStartedChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	ce := a.nextClose()
	require.Same(t, ch.Port2, ce.Target, "the other end has seen the close")

	// A closeReq ends an end whose other end has closed: the actor stops.
	bypass := &wire.Bypass{Key: ch.Port2.core.key, Proxy: &wire.Ref{Pid: proxy.pid, Key: 77}, Target: &wire.Ref{Pid: proxy.pid, Key: 78}}
	state := &wire.State{Key: ch.Port2.core.key, From: &wire.Ref{Pid: proxy.pid, Key: 79}}
	sys.Root.Send(ch.Port2.PID(), &bundle{to: ch.Port2.PID(), msgs: []any{&closeReq{}, state, bypass}})
	assert.Equal(t, uint64(77), proxy.next().GetKey(), "the Bypass behind the stop comes back to its proxy")
	assert.Zero(t, Get(sys).protoErrors.Load(), "messages handled after the stop")
}

// A message of a bundle whose handling panics fails the end (Receive
// recovers), and the messages behind it are returned as after a stop: a
// Bypass request goes back to the proxy that made it.
func TestBundleWhoseMessagePanicsReturnsTheRest(t *testing.T) {
	boom := &wake{}
	t.Cleanup(func() { traceHook = nil }) // registered first, so it runs after the system's own cleanup
	traceHook = func(_ *actor.PID, _ *portActor, msg any) {
		if msg == boom {
			panic("a bug in a port actor")
		}
	}
	sys := newSystem(t)
	proxy := newRetryCatcher(t, sys)
	a := newProbe(t, sys, "a")
	ch := newStartedChannel(t, a)
	bypass := &wire.Bypass{Key: ch.Port2.core.key, Proxy: &wire.Ref{Pid: proxy.pid, Key: 77}, Target: &wire.Ref{Pid: proxy.pid, Key: 78}}
	sys.Root.Send(ch.Port2.PID(), &bundle{to: ch.Port2.PID(), msgs: []any{boom, bypass}})
	assert.Equal(t, uint64(77), proxy.next().GetKey(), "the Bypass behind the panic comes back to its proxy")
	assert.Equal(t, CloseLost, a.nextClose().Reason, "the failed end's other end closes as lost")
}

// retryCatcher stands for the proxy of a Bypass request: an actor that
// hands the test every BypassRetry it gets.
type retryCatcher struct {
	t       testing.TB
	pid     *actor.PID
	retries chan *wire.BypassRetry
}

func newRetryCatcher(t testing.TB, sys *actor.ActorSystem) *retryCatcher {
	t.Helper()
	c := &retryCatcher{t: t, retries: make(chan *wire.BypassRetry, 16)}
	c.pid = sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*wire.BypassRetry); ok {
			c.retries <- m
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(c.pid).Wait() })
	return c
}

// next waits for the next BypassRetry.
func (c *retryCatcher) next() *wire.BypassRetry {
	c.t.Helper()
	select {
	case r := <-c.retries:
		return r
	case <-time.After(waitFor):
		c.t.Fatal("no BypassRetry came back to the proxy")
		return nil
	}
}
