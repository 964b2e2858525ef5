//go:build !race

package actors_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// window.postMessage between windows on two nodes: the origin check,
// MessageEvent.origin and source (replied through, back across), opaque
// origins, and the silent drop after the transfer.
func TestRemoteWindowPostMessage(t *testing.T) {
	nodes := newNodes(t, 2)
	a, b := nodes[0], nodes[1]
	spawn := func(o origin.Origin) *actor.PID {
		return b.sys.Root.Spawn(actors.WindowFunc(o, func(ctx actor.Context) {
			m, ok := ctx.Message().(*ports.MessageEvent)
			if !ok || m.Target != nil {
				return
			}
			for _, p := range m.Ports {
				_ = p.PostMessage(ctx, "port works")
			}
			_ = actors.WindowOf(m.Source).PostMessage(ctx, fmt.Sprintf("%v from %s", m.Data, m.Origin), m.Origin)
		}))
	}
	tuple := pidOn(spawn(origin.MustParse("https://b.example")))
	opaque := pidOn(spawn(origin.Opaque()))
	reply := func() any {
		t.Helper()
		ev, err := a.bridge.Await(a.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
		require.NoError(t, err)
		m := ev.(*ports.MessageEvent)
		return m.Data
	}
	tests := []struct {
		name      string
		to        *actor.PID
		target    string
		delivered bool
	}{
		{"origin", tuple, "https://b.example/page", true},
		{"star", tuple, "*", true},
		{"mismatch", tuple, "https://c.example", false},
		{"slash", tuple, "/", false},
		{"opaque star", opaque, "*", true},
		{"opaque by creator's origin", opaque, "https://b.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			local, far, err := a.bridge.NewChannel(a.ctx())
			require.NoError(t, err)
			buf := messages.NewArrayBuffer(make([]byte, 16))
			require.NoError(t, a.bridge.PostMessage(a.ctx(), actors.WindowOf(tt.to), tt.name, tt.target, buf, far))
			assert.True(t, buf.Detached())
			require.NoError(t, a.bridge.PostMessage(a.ctx(), actors.WindowOf(tt.to), "marker", "*"))
			if tt.delivered {
				assert.Equal(t, tt.name+" from https://node0.example", reply())
				ev, err := local.Receive(a.ctx())
				require.NoError(t, err)
				assert.Equal(t, "port works", ev.Data)
			} else {
				_, err := local.Receive(a.ctx())
				assert.ErrorIs(t, err, actors.ErrClosed, "the port of a dropped message closes")
			}
			assert.Equal(t, "marker from https://node0.example", reply())
		})
	}
}

// A window message that the receiving node cannot rebuild and whose
// targetOrigin does not match: the standard checks the origin first, so
// the receiver sees nothing, not even a messageerror.
//
// Bug in ports (not fixed here): ports.MessageErrorEvent carries no Kind
// or TargetOrigin, so the actors package cannot apply the origin check to
// a window message that failed to deserialize; the MessageErrorEvent
// reaches the user's code of a context the sender did not target.
func TestRemoteWindowMessageErrorRespectsTargetOrigin(t *testing.T) {
	nodes := newNodes(t, 2)
	a, b := nodes[0], nodes[1]
	type unregistered struct{ A int }
	w := b.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://b.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ports.MessageEvent:
			_ = ports.PostTo(ctx, b.bridge.PID(), fmt.Sprint("message ", m.Data))
		case *ports.MessageErrorEvent:
			_ = ports.PostTo(ctx, b.bridge.PID(), "messageerror from "+m.Origin)
		}
	}))
	win := actors.WindowOf(pidOn(w))
	require.NoError(t, a.bridge.PostMessage(a.ctx(), win, unregistered{A: 1}, "https://other.example"))
	require.NoError(t, a.bridge.PostMessage(a.ctx(), win, unregistered{A: 2}, "https://b.example"))
	require.NoError(t, a.bridge.PostMessage(a.ctx(), win, "marker", "*"))
	assert.Equal(t, "messageerror from https://node0.example", b.next(), "the targeted one is a messageerror")
	assert.Equal(t, "message marker", b.next(), "the mismatched one is dropped silently")
}

// A node dies while a port is in transit from it to a surviving node, and
// while a port's route runs through it between two surviving nodes. Each
// surviving end either keeps working (the transfer finished before the
// death) or delivers an in-order prefix and then exactly one CloseEvent;
// nothing hangs, nothing is delivered twice.
func TestRemoteNodeKillMidTransfer(t *testing.T) {
	// bouncer passes every port it is given on to the PID named in the
	// message ("addr|id"), at once.
	bouncer := remote.NewKind("bouncer", actors.WindowFunc(origin.MustParse("https://bounce.example"), func(ctx actor.Context) {
		m, ok := ctx.Message().(*ports.MessageEvent)
		if !ok || len(m.Ports) != 1 {
			return
		}
		addr, id, _ := strings.Cut(m.Data.(string), "|")
		_ = ports.PostTo(ctx, actor.NewPID(addr, id), nil, m.Ports[0])
	}))
	for round := 0; round < 4; round++ {
		t.Run(fmt.Sprintf("round=%d", round), func(t *testing.T) {
			// Registered first, so it runs last: after every node's
			// shutdown, which may say Hello to the dead node.
			t.Cleanup(func() { waitHellosDone(t) })
			nodes := newNodes(t, 3, bouncer, echoKind("echo"))
			a, b, c := nodes[0], nodes[1], nodes[2]
			res, err := a.remote.SpawnNamed(b.sys.Address(), "bouncer-1", "bouncer", wait)
			require.NoError(t, err)
			bounce := pidOn(res.Pid)
			// Back to node A (in transit from B when it dies), and on to
			// node C (the route A - B - C while the move is under way).
			echoA := a.sys.Root.Spawn(echoKind("x").Props)
			res, err = a.remote.SpawnNamed(c.sys.Address(), "echo-1", "echo", wait)
			require.NoError(t, err)
			echoC := res.Pid

			var locals []*actors.BridgePort
			for _, to := range []*actor.PID{echoA, echoC} {
				local, far, err := a.bridge.NewChannel(a.ctx())
				require.NoError(t, err)
				for i := 0; i < 20; i++ {
					require.NoError(t, local.PostMessage(a.ctx(), i))
				}
				require.NoError(t, a.bridge.PostTo(a.ctx(), bounce, to.GetAddress()+"|"+to.GetId(), far))
				locals = append(locals, local)
			}
			if round > 0 {
				time.Sleep(time.Duration(round) * time.Millisecond) // vary the point of death
			}
			b.kill()
			for i, local := range locals {
				got, closed := 0, false
				for !closed {
					if got == 20 {
						// The early messages are through: the port
						// survived (or closes); ask again to know.
						for j := 20; j < 25; j++ {
							require.NoError(t, local.PostMessage(a.ctx(), j))
						}
					}
					// A hang is told from a slow close by a generous
					// deadline: the route through the dead node may wait
					// out a Hello timeout (see below) before it breaks,
					// and a loaded machine stretches that.
					rctx, rcancel := context.WithTimeout(context.Background(), 3*wait)
					ev, err := local.Receive(rctx)
					rcancel()
					if err != nil {
						require.ErrorIs(t, err, actors.ErrClosed, "end %d: a close, not a hang", i)
						closed = true
						break
					}
					require.Equal(t, got, ev.Data, "end %d: an in-order prefix, nothing twice", i)
					if got++; got == 25 {
						break // it works across the node's death
					}
				}
				t.Logf("end %d: %d echoes, closed=%v", i, got, closed)
			}
			require.NoError(t, actorstest.WaitQuiet(a.ctx(), a.plugin))
			done, cancel := context.WithCancel(context.Background())
			cancel()
			left, err := a.bridge.Next(done)
			assert.ErrorIs(t, err, context.Canceled, "nothing else reaches the bridge (no second close): %v", left)
			// The survivors shut down gracefully. Known issue in ports: a
			// Hello to the dead node (a survivor's first protocol message
			// to it) waits out its five-second timeout although the node
			// is known to be gone, and the port actors that wait on it
			// delay Shutdown by 5 to 10 s; so the deadline here is
			// generous and a slow shutdown is only logged.
			for name, n := range map[string]*node{"A": a, "C": c} {
				ctx, cancel := context.WithTimeout(context.Background(), 4*wait)
				start := time.Now()
				err := n.plugin.Shutdown(ctx)
				cancel()
				assert.NoError(t, err, "shutdown of survivor %s", name)
				if d := time.Since(start); d > wait {
					t.Logf("shutdown of survivor %s took %v (ports: Hello to a dead node)", name, d)
				}
			}
		})
	}
}

// helloGoroutines counts the goroutines of the ports package that wait
// for a remote node's answer to the protocol Hello.
func helloGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "ports.(*gate).hello(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// waitHellosDone waits until no Hello is waiting for an answer any more.
// A killed node's ports keep trying to reach their neighbours, and its
// Shutdown gives up at its deadline while such a Hello waits out its own
// timeout (five seconds); goleak must not see it.
func waitHellosDone(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool { return helloGoroutines() == 0 }, 2*wait, 10*time.Millisecond)
}

// Plugin.Run refuses a context of another node at once (a function cannot
// travel), rather than sending something remote drops.
func TestRemoteRunRefusesOtherNode(t *testing.T) {
	nodes := newNodes(t, 2)
	a, b := nodes[0], nodes[1]
	err := a.plugin.Run(a.ctx(), pidOn(b.bridge.PID()), func(actor.Context) error { return nil })
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	require.NoError(t, a.plugin.Run(a.ctx(), a.bridge.PID(), func(actor.Context) error { return nil }))
}

// fakeTransferable makes a record with one external (port) slot.
type fakeTransferable struct{}

func (*fakeTransferable) Detached() bool { return false }

// A foreign node forges a message that claims to carry a port: a token
// naming a real port actor of this node with a guessed key, or a holder
// that does not exist. The claim is refused (and, for the guessed key,
// reported), the real port is untouched, and the forged port, which the
// receiving window does see, closes without delivering anything.
func TestRemoteForgedPortToken(t *testing.T) {
	for _, tt := range []struct {
		name   string
		holder func(a, b *node, realPort *actor.PID) *actor.PID
	}{
		{"guessed key of a real port", func(_, _ *node, real *actor.PID) *actor.PID { return pidOn(real) }},
		{"holder that does not exist", func(_, b *node, _ *actor.PID) *actor.PID { return actor.NewPID(b.sys.Address(), "nobody") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			nodes := newNodes(t, 2)
			a, b := nodes[0], nodes[1]
			rejected := make(chan *ports.ProtocolRejected, 16)
			sub := a.sys.EventStream.Subscribe(func(ev any) {
				if m, ok := ev.(*ports.ProtocolRejected); ok {
					rejected <- m
				}
			})
			defer a.sys.EventStream.Unsubscribe(sub)
			w := a.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *ports.MessageEvent:
					if m.Target != nil {
						_ = ports.PostTo(ctx, a.bridge.PID(), "the forged port delivered something")
						return
					}
					for _, p := range m.Ports {
						_ = p.Start(ctx)
						_ = p.PostMessage(ctx, "through the forged port")
					}
					_ = ports.PostTo(ctx, a.bridge.PID(), fmt.Sprintf("message with %d ports", len(m.Ports)))
				case *ports.MessageErrorEvent:
					_ = ports.PostTo(ctx, a.bridge.PID(), "messageerror")
				case *ports.CloseEvent:
					_ = ports.PostTo(ctx, a.bridge.PID(), "forged port closed")
				}
			}))
			local, far, err := a.bridge.NewChannel(a.ctx())
			require.NoError(t, err)
			var realPort *actor.PID
			require.NoError(t, a.bridge.Do(a.ctx(), func(actor.Context) error { realPort = far.PID(); return nil }))
			rec, err := messages.Serialize(nil, &fakeTransferable{})
			require.NoError(t, err)
			raw, err := rec.MarshalBinary()
			require.NoError(t, err)
			b.sys.Root.Send(pidOn(w), &wire.Direct{
				Tokens:  []*wire.Token{{Holder: &wire.Ref{Pid: tt.holder(a, b, realPort), Key: 42}, Nonce: 7}},
				Record:  raw,
				Version: 1,
			})
			seen := []any{}
			for len(seen) < 2 {
				v, err := a.bridge.Await(a.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
				require.NoError(t, err, "the window saw %v", seen)
				seen = append(seen, v.(*ports.MessageEvent).Data)
			}
			assert.Equal(t, []any{"message with 1 ports", "forged port closed"}, seen)
			// The real port is untouched.
			require.NoError(t, a.bridge.Do(a.ctx(), func(ctx actor.Context) error { return far.PostMessage(ctx, "real") }))
			ev, err := local.Receive(a.ctx())
			require.NoError(t, err)
			assert.Equal(t, "real", ev.Data)
			if tt.holder(a, b, realPort).GetAddress() == a.sys.Address() {
				select {
				case m := <-rejected:
					assert.Contains(t, m.Reason, "key")
				default:
					t.Error("no ProtocolRejected for a claim with a guessed key")
				}
			}
		})
	}
}
