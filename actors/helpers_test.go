package actors_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wait is how long a test waits for an event that must come.
const wait = 5 * time.Second

// env is a test's actor system with the plugin and a bridge whose origin
// is https://test.example.
type env struct {
	t      testing.TB
	sys    *actor.ActorSystem
	plugin *actors.Plugin
	bridge *actors.Bridge

	lastWindow *actor.PID
}

func newEnv(t testing.TB, opts ...actors.Option) *env {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	p, err := actors.Register(sys, opts...)
	require.NoError(t, err)
	b, err := p.NewBridge(origin.MustParse("https://test.example"))
	require.NoError(t, err)
	e := &env{t: t, sys: sys, plugin: p, bridge: b}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		require.NoError(t, p.Shutdown(ctx), "plugin shutdown")
		ports.Unregister(sys) // Shutdown leaves the ports extension to plain actors
		sys.Shutdown()
	})
	return e
}

// ctx returns a context that ends after wait.
func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	e.t.Cleanup(cancel)
	return ctx
}

// report sends v to the bridge from a context (tests' contexts use it to
// tell the test what they saw).
func (e *env) report(ctx actor.Context, v any) {
	require.NoError(e.t, ports.PostTo(ctx, e.bridge.PID(), v))
}

// next returns the data of the next message posted to the bridge.
func (e *env) next() any {
	e.t.Helper()
	ev, err := e.bridge.Await(e.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
	require.NoError(e.t, err)
	return ev.(*ports.MessageEvent).Data
}

// windowPID returns the PID of the one window spawned by spawnWindow.
func (e *env) windowPID() *actor.PID {
	e.t.Helper()
	require.NotNil(e.t, e.lastWindow)
	return e.lastWindow
}

// spawnWindow spawns a window with the given origin running receive.
func (e *env) spawnWindow(o string, receive actor.ReceiveFunc) *actor.PID {
	e.t.Helper()
	e.lastWindow = e.sys.Root.SpawnPrefix(actors.WindowFunc(origin.MustParse(o), receive), "window")
	return e.lastWindow
}

// quiet waits until nothing more happens.
func (e *env) quiet() {
	e.t.Helper()
	require.NoError(e.t, actorstest.WaitQuiet(e.ctx(), e.plugin))
}

// echoWindow reports "<data> from <origin>" for every window message.
func (e *env) echoWindow(o origin.Origin) *actors.WindowProxy {
	pid := e.sys.Root.SpawnPrefix(actors.WindowFunc(o, func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && m.Target == nil {
			e.report(ctx, m.Data.(string)+" from "+m.Origin)
			for _, p := range m.Ports {
				_ = p.PostMessage(ctx, "port works")
				_ = p.Start(ctx)
			}
		}
	}), "window")
	return actors.WindowOf(pid)
}

// portHolder is a frame or worker that, when it starts, hands the bridge
// one end of a new channel and posts "<name> 1..3" on the other, then
// keeps it open. It embeds a child frame named child if child != "".
func (e *env) portHolder(name, child string) actor.Producer {
	return actors.Func(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			if child != "" {
				_, err := actors.CreateIFrame(ctx, origin.MustParse("https://"+child+".example"), e.portHolder(child, ""), actors.IFrameOptions{})
				require.NoError(e.t, err)
			}
			ch, err := ports.NewMessageChannel(ctx)
			require.NoError(e.t, err)
			require.NoError(e.t, ports.PostTo(ctx, e.bridge.PID(), name, ch.Port2))
			for i := 1; i <= 3; i++ {
				require.NoError(e.t, ch.Port1.PostMessage(ctx, fmt.Sprintf("%s %d", name, i)))
			}
		}
	})
}

// holderPorts collects n ports handed over by portHolders, by name.
func (e *env) holderPorts(n int) map[string]*actors.BridgePort {
	got := map[string]*actors.BridgePort{}
	for len(got) < n {
		v, err := e.bridge.Await(e.ctx(), func(v any) bool {
			m, ok := v.(*ports.MessageEvent)
			return ok && len(m.Ports) == 1
		})
		require.NoError(e.t, err)
		m := v.(*ports.MessageEvent)
		bp, err := e.bridge.Wrap(e.ctx(), m.Ports[0])
		require.NoError(e.t, err)
		got[m.Data.(string)] = bp
	}
	return got
}

// expectPrefixThenClose checks that bp delivers "<name> 1..3" and then
// closes.
func (e *env) expectPrefixThenClose(name string, bp *actors.BridgePort) {
	for i := 1; i <= 3; i++ {
		ev, err := bp.Receive(e.ctx())
		require.NoError(e.t, err, name)
		assert.Equal(e.t, fmt.Sprintf("%s %d", name, i), ev.Data)
	}
	_, err := bp.Receive(e.ctx())
	assert.ErrorIs(e.t, err, actors.ErrClosed, "%s: one close after the messages", name)
}

// node is one actor system with protoactor remote on 127.0.0.1, the plugin
// and a bridge.
type node struct {
	*env
	remote *remote.Remote
	killed bool
}

// newNodes starts n nodes; kinds are registered with remote on each before
// it starts, so other nodes can spawn them. The cleanup shuts the plugins
// down first, then the remotes.
func newNodes(t *testing.T, n int, kinds ...*remote.Kind) []*node {
	return newNodesWith(t, n, nil, kinds...)
}

// newNodesWith is newNodes with plugin options for every node.
func newNodesWith(t *testing.T, n int, opts []actors.Option, kinds ...*remote.Kind) []*node {
	t.Helper()
	var nodes []*node
	for i := 0; i < n; i++ {
		sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
			return slog.New(slog.DiscardHandler)
		}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
		r := remote.NewRemote(sys, remote.Configure("127.0.0.1", 0, remote.WithKinds(kinds...)))
		r.Start() // before any context is spawned: PIDs take the address
		p, err := actors.Register(sys, opts...)
		require.NoError(t, err)
		b, err := p.NewBridge(origin.MustParse("https://node" + fmt.Sprint(i) + ".example"))
		require.NoError(t, err)
		nodes = append(nodes, &node{env: &env{t: t, sys: sys, plugin: p, bridge: b}, remote: r})
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			if n.killed {
				// Cut off from the others, it cannot say goodbye: its
				// ports wait for answers that never come, until the
				// deadline, and are then stopped hard.
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				_ = n.plugin.Shutdown(ctx)
				cancel()
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			assert.NoError(t, n.plugin.Shutdown(ctx), "plugin shutdown of %s", n.sys.Address())
			cancel()
		}
		// Remote's graceful Shutdown waits up to ten seconds for the
		// streams other nodes keep open, and two of them at once can
		// panic inside protoactor: stop the servers outright instead,
		// once every actor of the plugin is gone.
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

// kill cuts the node off at once, as a crash would for its peers: its
// gRPC server stops, dropping every stream to it.
func (n *node) kill() {
	n.killed = true
	n.remote.Shutdown(false)
}

// pidOn names an actor of another node (PIDs are not shared between
// systems: a PID caches its process).
func pidOn(pid *actor.PID) *actor.PID { return actor.NewPID(pid.GetAddress(), pid.GetId()) }

// echoKind is a window that echoes every message on any port it is given,
// and tells its own node's bridge what it got.
func echoKind(name string) *remote.Kind {
	return remote.NewKind(name, actors.WindowFunc(origin.MustParse("https://echo.example"), func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok {
			for _, p := range m.Ports {
				p := p
				_ = p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
					_ = p.PostMessage(ctx, ev.Data)
				})
			}
		}
	}))
}

// postOnNewChannel makes a channel in ctx, readies its second port with
// ready (Start, OnMessage, OnData...) and posts values on its first: both
// ends are ctx's, so the messages come back to it.
func postOnNewChannel(ctx actor.Context, ready func(p *ports.MessagePort) error, values ...any) error {
	ch, err := ports.NewMessageChannel(ctx)
	if err != nil {
		return err
	}
	if err := ready(ch.Port2); err != nil {
		return err
	}
	for _, v := range values {
		if err := ch.Port1.PostMessage(ctx, v); err != nil {
			return err
		}
	}
	return nil
}
