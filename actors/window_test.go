package actors_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestWindowPostMessageTargetOrigin(t *testing.T) {
	tests := []struct {
		name      string
		receiver  string // "" for an opaque origin
		target    string
		delivered bool
	}{
		{name: "star", receiver: "https://a.example", target: "*", delivered: true},
		{name: "slash same origin", receiver: "https://test.example", target: "/", delivered: true},
		{name: "slash other origin", receiver: "https://a.example", target: "/", delivered: false},
		{name: "url reduced to origin", receiver: "https://a.example", target: "https://a.example/page?x=1#y", delivered: true},
		{name: "default port", receiver: "https://a.example:443", target: "https://a.example", delivered: true},
		{name: "other port", receiver: "https://a.example:8443", target: "https://a.example", delivered: false},
		{name: "other scheme", receiver: "https://a.example", target: "http://a.example", delivered: false},
		{name: "opaque receiver star", receiver: "", target: "*", delivered: true},
		{name: "opaque receiver slash", receiver: "", target: "/", delivered: false},
		{name: "opaque receiver file url", receiver: "", target: "file:///x", delivered: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			o := origin.Opaque()
			if tt.receiver != "" {
				o = origin.MustParse(tt.receiver)
			}
			w := e.echoWindow(o)
			buf := messages.NewArrayBuffer(make([]byte, 64))
			local, remote, err := e.bridge.NewChannel(e.ctx())
			require.NoError(t, err)
			require.NoError(t, e.bridge.PostMessage(e.ctx(), w, "probe", tt.target, buf, remote))
			assert.True(t, buf.Detached(), "the transfer happens at post time, whatever the receiver's origin")
			require.NoError(t, e.bridge.PostMessage(e.ctx(), w, "marker", "*"))
			if tt.delivered {
				assert.Equal(t, "probe from https://test.example", e.next())
				ev, err := local.Receive(e.ctx())
				require.NoError(t, err)
				assert.Equal(t, "port works", ev.Data)
			} else {
				// The port went with the dropped message: it is closed,
				// and its peer learns it.
				_, err := local.Receive(e.ctx())
				assert.ErrorIs(t, err, actors.ErrClosed)
			}
			assert.Equal(t, "marker from https://test.example", e.next(), "a dropped message is dropped silently; the next one arrives")
		})
	}
}

func TestWindowPostMessageInvalidTargetOrigin(t *testing.T) {
	e := newEnv(t)
	w := e.echoWindow(origin.MustParse("https://a.example"))
	for _, target := range []string{"null", "", "a.example", "//a.example", "https://"} {
		buf := messages.NewArrayBuffer(make([]byte, 8))
		err := e.bridge.PostMessage(e.ctx(), w, "never", target, buf)
		require.Error(t, err, "targetOrigin %q", target)
		assert.True(t, errors.Is(err, messages.ErrSyntax), "%q: %v", target, err)
		assert.False(t, buf.Detached(), "a SyntaxError comes before anything is serialized or transferred")
	}
	// The options form defaults to "/".
	err := e.bridge.Do(e.ctx(), func(ctx actor.Context) error {
		return w.PostMessageWithOptions(ctx, "options", actors.WindowPostMessageOptions{TargetOrigin: "*"})
	})
	require.NoError(t, err)
	assert.Equal(t, "options from https://test.example", e.next())
}

func TestWindowMessageSourceReply(t *testing.T) {
	e := newEnv(t)
	pid := e.sys.Root.SpawnPrefix(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && m.Target == nil {
			_ = actors.WindowOf(m.Source).PostMessage(ctx, "re: "+m.Data.(string), m.Origin)
		}
	}), "window")
	require.NoError(t, e.bridge.PostMessage(e.ctx(), actors.WindowOf(pid), "hi", "https://a.example"))
	ev, err := e.bridge.Await(e.ctx(), func(v any) bool { _, ok := v.(*ports.MessageEvent); return ok })
	require.NoError(t, err)
	m := ev.(*ports.MessageEvent)
	assert.Equal(t, "re: hi", m.Data)
	assert.Equal(t, "https://a.example", m.Origin)
	assert.True(t, m.Source.Equal(pid))
	for _, f := range reflect.VisibleFields(reflect.TypeOf(*m)) {
		assert.NotContains(t, []string{"Kind", "TargetOrigin"}, f.Name, "the plugin's routing fields are not shown to user code")
	}
}

func TestWindowPostMessageFromWorkerIsInvalid(t *testing.T) {
	e := newEnv(t)
	target := e.echoWindow(origin.MustParse("https://a.example"))
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			_, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Started); ok {
					err := target.PostMessage(ctx, "x", "*")
					e.report(ctx, errors.Is(err, messages.ErrInvalidState))
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
		}
	})
	assert.Equal(t, true, e.next())
}
