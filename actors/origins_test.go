package actors_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An unparsable targetOrigin is a SyntaxError thrown before the message is
// serialized: it wins over a DataCloneError, and nothing in the transfer
// list is detached or shipped.
func TestTargetOriginSyntaxErrorBeforeSerialize(t *testing.T) {
	e := newEnv(t)
	w := e.echoWindow(origin.MustParse("https://a.example"))
	for _, target := range []string{"example.org", "http://foo bar", "null", "a.example", "//a.example", "", "https://a<b.example"} {
		t.Run(target, func(t *testing.T) {
			local, remote, err := e.bridge.NewChannel(e.ctx())
			require.NoError(t, err)
			buf := messages.NewArrayBuffer(make([]byte, 8))
			err = e.bridge.Do(e.ctx(), func(ctx actor.Context) error {
				return w.PostMessage(ctx, func() {}, target, buf, remote)
			})
			require.Error(t, err)
			assert.ErrorIs(t, err, messages.ErrSyntax, "SyntaxError, not DataCloneError: %v", err)
			assert.NotErrorIs(t, err, messages.ErrDataClone)
			assert.False(t, buf.Detached())
			assert.False(t, remote.Detached(), "the port was not shipped")
			// The port still works: post it for real.
			require.NoError(t, e.bridge.PostMessage(e.ctx(), w, "again", "*", remote))
			assert.Equal(t, "again from https://test.example", e.next())
			ev, err := local.Receive(e.ctx())
			require.NoError(t, err)
			assert.Equal(t, "port works", ev.Data)
		})
	}
}

// targetOrigin values that parse are reduced to their origin: path,
// trailing slash, query, case of scheme and host, default port,
// userinfo and redundant slashes do not matter.
func TestTargetOriginReducedToOrigin(t *testing.T) {
	e := newEnv(t)
	w := e.echoWindow(origin.MustParse("https://a.example"))
	tests := []struct {
		target    string
		delivered bool
	}{
		{"https://a.example", true},
		{"https://a.example/", true},
		{"https://a.example//", true},
		{"https://a.example/some/path.html?q=1#frag", true},
		{"HTTPS://A.EXAMPLE/", true},
		{"https://A.Example:443/x", true},
		{"https://user:pw@a.example/", true},
		{" https://a.example ", true},
		{"https:a.example", true},
		{"https:\\\\a.example\\x", true},
		{"https://%61.example", true},
		{"*", true},
		{"https://a.example:8443", false},
		{"http://a.example", false},
		{"wss://a.example", false},
		{"https://b.example", false},
		{"https://a.example.", false},
		{"/", false}, // the bridge is https://test.example
		{"file:///a.example", false},
		{"data:text/html,a.example", false},
	}
	for _, tt := range tests {
		require.NoError(t, e.bridge.PostMessage(e.ctx(), w, tt.target, tt.target), tt.target)
		require.NoError(t, e.bridge.PostMessage(e.ctx(), w, "marker", "*"))
		if tt.delivered {
			assert.Equal(t, tt.target+" from https://test.example", e.next(), "%q is delivered", tt.target)
		}
		assert.Equal(t, "marker from https://test.example", e.next(), "%q: next message", tt.target)
	}
}

// Opaque origins: a sandboxed frame's origin serializes as "null" in the
// events it sends; only "*" reaches it (not "null", not its creator's
// origin); "/" from an opaque context reaches that same context only.
func TestOpaqueOriginFrames(t *testing.T) {
	e := newEnv(t)
	var frame *actors.WindowProxy
	e.spawnWindow("https://top.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			var err error
			frame, err = actors.CreateIFrame(ctx, origin.MustParse("https://top.example"), actors.Func(func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *actor.Started:
					g := actors.ScopeOf(ctx)
					e.report(ctx, "frame origin "+g.Origin().String())
					// "/" to itself: an opaque origin is same origin
					// with itself.
					require.NoError(t, actors.WindowOf(ctx.Self()).PostMessage(ctx, "self", "/"))
					require.NoError(t, g.Parent().PostMessage(ctx, "to parent", "*"))
				case *ports.MessageEvent:
					e.report(ctx, fmt.Sprintf("frame got %v from %s", m.Data, m.Origin))
				}
			}), actors.IFrameOptions{Sandbox: true})
			require.NoError(t, err)
		case *ports.MessageEvent:
			e.report(ctx, fmt.Sprintf("top got %v from %s", m.Data, m.Origin))
			if m.Data == "to parent" {
				// Reply through the source, to every target but "*" first.
				src := actors.WindowOf(m.Source)
				require.NoError(t, src.PostMessage(ctx, "same origin as me", "/"))
				require.NoError(t, src.PostMessage(ctx, "to top's origin", "https://top.example"))
				err := src.PostMessage(ctx, "to null", "null")
				assert.ErrorIs(t, err, messages.ErrSyntax)
				require.NoError(t, src.PostMessage(ctx, "star", "*"))
			}
		}
	})
	got := []any{e.next(), e.next(), e.next()}
	assert.ElementsMatch(t, []any{"frame origin null", "frame got self from null", "top got to parent from null"}, got)
	assert.Equal(t, "frame got star from https://top.example", e.next(), "only * reaches an opaque origin")
	e.quiet()
	assert.NotNil(t, frame)
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
