package actors_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withPorts is the one line a plain actor needs to own ports.
var withPorts = actor.WithReceiverMiddleware(ports.ReceiverMiddleware)

// plainEcho is a plain actor (no context) that starts every port it is
// given and echoes each message on it; "boom" panics. It tells seen of
// its lifecycle (restarting, started).
type plainEcho struct{ seen chan<- any }

func (a *plainEcho) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.seen <- "echo started"
	case *actor.Restarting:
		a.seen <- "echo restarting"
	case *ports.MessageEvent:
		if len(m.Ports) == 1 {
			_ = m.Ports[0].Start(ctx)
			return
		}
		if m.Data == "boom" {
			panic("the plain actor exploded")
		}
		_ = m.Target.PostMessage(ctx, fmt.Sprint("echo ", m.Data))
	}
}

// openTo asks a plainOpener to open a channel to an actor.
type openTo struct{ pid *actor.PID }

// plainOpener is a plain actor that, asked with openTo, creates a channel,
// keeps one end and hands the other to the actor; any other string it gets
// it posts on its end. It tells seen what arrives on its end.
type plainOpener struct {
	seen chan<- any
	port *ports.MessagePort
}

func (a *plainOpener) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *openTo:
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			a.seen <- err
			return
		}
		a.port = ch.Port1
		_ = a.port.Start(ctx)
		if err := ports.PostTo(ctx, m.pid, nil, ch.Port2); err != nil {
			a.seen <- err
		}
	case string:
		if err := a.port.PostMessage(ctx, m); err != nil {
			a.seen <- err
		}
	case *ports.MessageEvent:
		a.seen <- m.Data
	case *ports.CloseEvent:
		a.seen <- m.Reason
	}
}

// expect waits for the next thing seen.
func expect(t *testing.T, seen <-chan any) any {
	t.Helper()
	select {
	case v := <-seen:
		return v
	case <-time.After(wait):
		t.Fatal("nothing came")
		return nil
	}
}

// Plugin.Shutdown ends the plugin's contexts only: plain actors that own
// ports in the same actor system keep their channels, the ports extension
// stays registered, and its Stats are not reset. A second Register then
// attaches a fresh plugin on the same ports extension.
func TestShutdownLeavesPlainActorsTheirPorts(t *testing.T) {
	e := newEnv(t)
	seen := make(chan any, 16)
	echo := e.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &plainEcho{seen: seen} }, withPorts))
	require.Equal(t, "echo started", expect(t, seen))
	opener := e.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &plainOpener{seen: seen} }, withPorts))
	e.sys.Root.Send(opener, &openTo{pid: echo})
	e.sys.Root.Send(opener, "a")
	require.Equal(t, "echo a", expect(t, seen))
	ext := ports.Get(e.sys)
	require.Same(t, e.plugin.Ports(), ext)
	before := ext.Stats()
	require.GreaterOrEqual(t, before.OpenPorts, int64(2), "the plain actors' two ends")

	require.NoError(t, e.plugin.Shutdown(e.ctx()))
	assert.Zero(t, e.plugin.Contexts())
	assert.Same(t, ext, ports.Get(e.sys), "the ports extension outlives Shutdown")
	after := ext.Stats()
	assert.Equal(t, int64(2), after.OpenPorts, "the contexts' ports are gone, the plain actors' two ends are left")
	assert.GreaterOrEqual(t, after.PortActors, int64(2))
	e.sys.Root.Send(opener, "b")
	assert.Equal(t, "echo b", expect(t, seen), "the plain actors' channel works after Shutdown")

	p2, err := actors.Register(e.sys)
	require.NoError(t, err, "a plugin registers again after Shutdown")
	assert.NotSame(t, e.plugin, p2)
	assert.Same(t, ext, p2.Ports(), "on the same ports extension")
	b, err := p2.NewBridge(origin.MustParse("https://again.example"))
	require.NoError(t, err)
	local, remote, err := b.NewChannel(e.ctx())
	require.NoError(t, err)
	require.NoError(t, b.PostTo(e.ctx(), echo, nil, remote))
	ev, err := local.Request(e.ctx(), "c")
	require.NoError(t, err)
	assert.Equal(t, "echo c", ev.Data, "the new plugin's bridge talks to the plain actor")
	require.NoError(t, p2.Shutdown(e.ctx()))
	e.sys.Root.Send(opener, "d")
	assert.Equal(t, "echo d", expect(t, seen))
	assert.GreaterOrEqual(t, ext.Stats().PortActors, int64(2), "Stats still count the plain actors' ports")
	select {
	case v := <-seen:
		t.Fatalf("unexpected: %v", v)
	default:
	}
}

// spawnSupervisedEcho spawns a plain parent actor, with strategy as its
// supervisor strategy (protoactor's default if nil), that spawns a
// plainEcho as its child; it returns the child's PID.
func spawnSupervisedEcho(t *testing.T, e *env, seen chan any, strategy actor.SupervisorStrategy) *actor.PID {
	t.Helper()
	child := make(chan *actor.PID, 1)
	opts := []actor.PropsOption{}
	if strategy != nil {
		opts = append(opts, actor.WithSupervisor(strategy))
	}
	e.sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			child <- ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return &plainEcho{seen: seen} }, withPorts))
		}
	}, opts...))
	pid := <-child
	require.Equal(t, "echo started", expect(t, seen))
	return pid
}

// A plain actor that owns ports has no uncaught-exception guard: a panic
// goes to protoactor's supervision. A supervisor that resumes it keeps its
// ports (the message that failed is lost, the next ones arrive); the
// default strategy restarts it, which stops its port actors: its ports
// close first, and their peers get a CloseEvent; Stop closes them too.
func TestSupervisionOfAPortOwner(t *testing.T) {
	directive := func(d actor.Directive) actor.SupervisorStrategy {
		return actor.NewOneForOneStrategy(10, time.Second, func(any) actor.Directive { return d })
	}
	tests := []struct {
		name     string
		strategy actor.SupervisorStrategy
		keeps    bool
		stops    bool
	}{
		{name: "resume", strategy: directive(actor.ResumeDirective), keeps: true},
		{name: "default restart", strategy: nil},
		{name: "stop", strategy: directive(actor.StopDirective), stops: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			seen := make(chan any, 16)
			echo := spawnSupervisedEcho(t, e, seen, tt.strategy)
			opener := e.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &plainOpener{seen: seen} }, withPorts))
			e.sys.Root.Send(opener, &openTo{pid: echo})
			e.sys.Root.Send(opener, "a")
			require.Equal(t, "echo a", expect(t, seen))

			e.sys.Root.Send(opener, "boom")
			e.sys.Root.Send(opener, "b")
			switch {
			case tt.keeps:
				assert.Equal(t, "echo b", expect(t, seen), "resumed: the port survived the panic")
				e.sys.Root.Send(opener, "c")
				assert.Equal(t, "echo c", expect(t, seen))
			case tt.stops:
				assert.Equal(t, ports.CloseByPeer, expect(t, seen), "stopped: the port closed, its peer got a CloseEvent")
			default:
				// The middleware closes the port as the restart begins,
				// so the peer, another actor, may get its CloseEvent
				// before or after the echo reports Restarting; the fresh
				// instance then starts without the port.
				got := []any{expect(t, seen), expect(t, seen), expect(t, seen)}
				assert.ElementsMatch(t, []any{"echo restarting", "echo started", ports.CloseByPeer}, got, "restarted: the port closed, its peer got a CloseEvent")
				assert.Less(t, slices.Index(got, any("echo restarting")), slices.Index(got, any("echo started")), "Restarting comes before the fresh Started")
			}
			select {
			case v := <-seen:
				t.Fatalf("unexpected: %v", v)
			default:
			}
		})
	}
}

// A failure that escapes a context's guard (none from the user's tasks
// does) meets protoactor's supervision like any actor's. Under Restart,
// the context's open ports close first (their peers get a CloseEvent
// with CloseByPeer), then a fresh instance of its code gets Started again,
// with the same PID and Scope and none of the ports it had.
func TestRestartOfAContext(t *testing.T) {
	e := newEnv(t)
	local, remote, err := e.bridge.NewChannel(e.ctx())
	require.NoError(t, err)
	started := 0
	w := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			started++
			e.report(ctx, fmt.Sprintf("started %d, kind %v", started, actors.ScopeOf(ctx).Kind()))
		case *actor.Restarting:
			e.report(ctx, "restarting")
		case *ports.MessageEvent:
			if len(m.Ports) == 1 {
				_ = m.Ports[0].Start(ctx)
				return
			}
			_ = m.Target.PostMessage(ctx, m.Data)
		}
	})
	assert.Equal(t, "started 1, kind window", e.next())
	require.NoError(t, e.bridge.PostTo(e.ctx(), w, nil, remote))
	ev, err := local.Request(e.ctx(), "a")
	require.NoError(t, err)
	require.Equal(t, "a", ev.Data)

	// What a supervisor's Restart directive sends.
	proc, ok := e.sys.ProcessRegistry.Get(w)
	require.True(t, ok)
	proc.SendSystemMessage(w, &actor.Restart{})
	assert.Equal(t, "restarting", e.next())
	_, err = local.Receive(e.ctx())
	assert.ErrorIs(t, err, actors.ErrClosed)
	assert.Equal(t, ports.CloseByPeer, local.CloseEvent().Reason)
	assert.Equal(t, "started 2, kind window", e.next(), "the same context runs on, without its ports")
	e.quiet()
	assert.Equal(t, 2, e.plugin.Contexts(), "window and bridge")
}
