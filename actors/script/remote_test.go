//go:build !race

// The cross-node tests are built without the race detector: protoactor
// remote at the pinned version races with itself (see actors/remote_test.go);
// .ci/run runs them in a separate step without -race.

package script

import (
	"context"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// remoteNode is an actor system with remote on 127.0.0.1, the actors
// plugin and a script host.
type remoteNode struct {
	sys    *actor.ActorSystem
	remote *remote.Remote
	plugin *actors.Plugin
}

func newRemoteNodes(t *testing.T, n int) []*remoteNode {
	t.Helper()
	var nodes []*remoteNode
	for range n {
		sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
			return slog.New(slog.DiscardHandler)
		}))
		r := remote.NewRemote(sys, remote.Configure("127.0.0.1", 0))
		r.Start() // before any context is spawned: PIDs take the address
		p, err := actors.Register(sys)
		require.NoError(t, err)
		_, err = Register(p)
		require.NoError(t, err)
		nodes = append(nodes, &remoteNode{sys: sys, remote: r, plugin: p})
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			assert.NoError(t, n.plugin.Shutdown(ctx))
			cancel()
		}
		for _, n := range nodes {
			ports.Unregister(n.sys)
		}
		for _, n := range nodes {
			n.remote.Shutdown(false)
		}
		for _, n := range nodes {
			n.sys.Shutdown()
		}
	})
	return nodes
}

// remoteItem is a Go struct the Go side posts: the script sees {Name, N}.
// A named type crosses nodes by its registered name, for a script as for a
// Go receiver: the receiving node knows its fields from the registration.
type remoteItem struct {
	Name string
	N    int64
}

func init() { messages.RegisterType(&remoteItem{}) }

// A Go context on one node and a script window on another share a
// channel: Go values arrive in JavaScript by the table (a struct as a
// plain object, an integer beyond 2^53 as a BigInt), JavaScript values
// come back as Go values, and a string with lone surrogates makes the
// whole trip, Go to JavaScript to Go to JavaScript, unit for unit.
func TestRemoteGoAndScriptShareAChannel(t *testing.T) {
	nodes := newRemoteNodes(t, 2)
	a, b := nodes[0], nodes[1]
	page := b.sys.Root.Spawn(WindowProps(origin.MustParse("https://page.example"), Code("page.js", `
onmessage = (e) => {
  const port = e.ports[0];
  port.onmessageerror = (e) => port.postMessage({ messageerror: String(e.data) });
  port.onmessage = ({ data }) => {
    if (data.kind === 'check') {
      port.postMessage({
        lone: data.s === '\uD800x\uDC00', big: typeof data.big === 'bigint' && data.big === 9007199254740993n,
        item: data.item.Name + ':' + typeof data.item.N, small: typeof data.small,
      });
      return;
    }
    port.postMessage({ back: data, made: '\uDBFF\uDFFD\uD800', list: [1, , 3], map: new Map([[1, 'one']]) });
  };
};`)))
	bridge, err := a.plugin.NewBridge(origin.MustParse("https://go.example"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	mine, theirs, err := bridge.NewChannel(ctx)
	require.NoError(t, err)
	proxy := actors.WindowOf(actor.NewPID(page.GetAddress(), page.GetId()))
	require.NoError(t, bridge.PostMessage(ctx, proxy, "your port", "*", theirs))

	// JavaScript to Go: what the page made, and what it echoes.
	lone := "\xed\xa0\x80x\xed\xb0\x80" // WTF-8 of "\uD800x\uDC00"
	ev, err := mine.Request(ctx, map[string]any{"s": lone})
	require.NoError(t, err)
	o, ok := ev.Data.(*messages.Object)
	require.Truef(t, ok, "got %T", ev.Data)
	back, _ := o.Get("back")
	bo, ok := back.(*messages.Object)
	require.Truef(t, ok, "back is %T", back)
	s, _ := bo.Get("s")
	assert.Equal(t, lone, s, "the lone surrogates came back unit for unit")
	made, _ := o.Get("made")
	assert.Equal(t, "\U0010FFFD\xed\xa0\x80", made, "a pair is UTF-8, a lone surrogate its WTF-8 form")
	list, _ := o.Get("list")
	assert.Equal(t, []any{1.0, messages.Undefined, 3.0}, list, "a hole reads as undefined in Go")
	m, _ := o.Get("map")
	require.IsType(t, &messages.Map{}, m)
	one, _ := m.(*messages.Map).Get(1.0)
	assert.Equal(t, "one", one)

	// Go to JavaScript: the page checks what it got.
	big := new(big.Int).SetInt64(9007199254740993)
	ev, err = mine.Request(ctx, map[string]any{
		"kind": "check", "s": s, "big": big.Int64(), "small": int64(42),
		"item": &remoteItem{Name: "widget", N: 7},
	})
	require.NoError(t, err)
	o, ok = ev.Data.(*messages.Object)
	require.Truef(t, ok, "got %T", ev.Data)
	_, failed := o.Get("messageerror")
	require.False(t, failed, "the page could not rebuild the message")
	for key, want := range map[string]any{"lone": true, "big": true, "item": "widget:number", "small": "number"} {
		got, _ := o.Get(key)
		assert.Equal(t, want, got, key)
	}
}

// A script page on one node makes a channel and hands one end to a Go
// context on another node (the window that wrote to it, event.source),
// then answers on its own end.
func TestRemoteScriptHandsAPortToGo(t *testing.T) {
	nodes := newRemoteNodes(t, 2)
	a, b := nodes[0], nodes[1]
	page := b.sys.Root.Spawn(WindowProps(origin.MustParse("https://page.example"), Code("page.js", `
onmessage = (e) => {
  const c = new MessageChannel();
  c.port1.onmessage = (m) => c.port1.postMessage('pong ' + m.data + ' from ' + location.origin);
  e.source.postMessage({ note: 'a port for ' + e.data }, '*', [c.port2]);
};`)))
	bridge, err := a.plugin.NewBridge(origin.MustParse("https://go.example"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	proxy := actors.WindowOf(actor.NewPID(page.GetAddress(), page.GetId()))
	require.NoError(t, bridge.PostMessage(ctx, proxy, "go", "*"))
	got, err := bridge.Await(ctx, func(ev any) bool {
		m, ok := ev.(*ports.MessageEvent)
		return ok && len(m.Ports) == 1
	})
	require.NoError(t, err)
	ev := got.(*ports.MessageEvent)
	o, ok := ev.Data.(*messages.Object)
	require.Truef(t, ok, "got %T", ev.Data)
	note, _ := o.Get("note")
	assert.Equal(t, "a port for go", note)
	assert.Equal(t, "https://page.example", ev.Origin)
	port, err := bridge.Wrap(ctx, ev.Ports[0])
	require.NoError(t, err)
	reply, err := port.Request(ctx, "ping")
	require.NoError(t, err)
	assert.Equal(t, "pong ping from https://page.example", reply.Data)
}
