package ports

import (
	"errors"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type notTransferable struct{}

func (notTransferable) Detached() bool { return false }

func TestTransferListErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		transfer func(ch, other *MessageChannel, foreign *MessagePort, ab *messages.ArrayBuffer) []messages.Transferable
		path     string
	}{
		{"source port itself", func(ch, other *MessageChannel, _ *MessagePort, ab *messages.ArrayBuffer) []messages.Transferable {
			return []messages.Transferable{ab, ch.Port1}
		}, "transfer[1]"},
		{"duplicate port", func(ch, other *MessageChannel, _ *MessagePort, ab *messages.ArrayBuffer) []messages.Transferable {
			return []messages.Transferable{ab, other.Port1, other.Port1}
		}, "transfer[2]"},
		{"closed port", func(ch, other *MessageChannel, _ *MessagePort, ab *messages.ArrayBuffer) []messages.Transferable {
			return []messages.Transferable{ab, other.Port2}
		}, "transfer[1]"},
		{"port of another actor", func(ch, other *MessageChannel, foreign *MessagePort, ab *messages.ArrayBuffer) []messages.Transferable {
			return []messages.Transferable{ab, foreign}
		}, "transfer[1]"},
		{"not transferable", func(ch, other *MessageChannel, _ *MessagePort, ab *messages.ArrayBuffer) []messages.Transferable {
			return []messages.Transferable{ab, notTransferable{}}
		}, "transfer[1]"},
		{"nil port", func(ch, other *MessageChannel, _ *MessagePort, ab *messages.ArrayBuffer) []messages.Transferable {
			return []messages.Transferable{ab, (*MessagePort)(nil)}
		}, "transfer[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			foreign := newChannel(t, b).Port1
			ch := newChannel(t, a)
			other := newChannel(t, a)
			a.do(func(ctx actor.Context) {
				require.NoError(t, other.Port2.Close(ctx))
				ab := messages.NewArrayBuffer(make([]byte, 8))
				err := ch.Port1.PostMessage(ctx, "x", tc.transfer(ch, other, foreign, ab)...)
				require.Error(t, err)
				assert.True(t, errors.Is(err, messages.ErrDataClone), "%v", err)
				var dce *messages.DataCloneError
				require.True(t, errors.As(err, &dce))
				assert.Equal(t, tc.path, dce.Path)
				assert.False(t, ab.Detached(), "a failed post detaches nothing")
				assert.False(t, other.Port1.Detached(), "a failed post ships no port")
				assert.False(t, ch.Port1.Detached())
				require.NoError(t, ch.Port2.Start(ctx))
			})
			assert.Same(t, other.Port1, a.nextClose().Target, "only the close of other.Port2 is seen")
			a.quiet(20 * time.Millisecond)
		})
	}
}

func TestHandlesAreUsedOnlyByTheirOwner(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	b.do(func(ctx actor.Context) {
		calls := map[string]error{
			"PostMessage": ch.Port1.PostMessage(ctx, 1),
			"Start":       ch.Port1.Start(ctx),
			"Close":       ch.Port1.Close(ctx),
			"OnMessage":   ch.Port1.OnMessage(ctx, nil),
		}
		_, _, calls["TryReceive"] = ch.Port1.TryReceive(ctx)
		for name, err := range calls {
			assert.Truef(t, errors.Is(err, messages.ErrInvalidState), "%s: %v", name, err)
			assert.Contains(t, err.Error(), "ports: InvalidStateError")
		}
	})
	assert.False(t, ch.Port1.Detached(), "the misuse changed nothing")
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "still works"))
		require.NoError(t, ch.Port2.Start(ctx))
	})
	assert.Equal(t, "still works", a.nextMessage().Data)
}

func TestShippedHandleIsInert(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	other := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port1))
		assert.True(t, ch.Port1.Detached())
		ab := messages.NewArrayBuffer([]byte{1, 2, 3})
		// Still validates and transfers its own list, then drops.
		require.NoError(t, ch.Port1.PostMessage(ctx, "dropped", ab, other.Port1))
		assert.True(t, ab.Detached(), "the buffer was transferred")
		assert.True(t, other.Port1.Detached(), "the port was shipped")
		assert.NoError(t, ch.Port1.Start(ctx))
		assert.NoError(t, ch.Port1.Close(ctx))
		ev, ok, err := ch.Port1.TryReceive(ctx)
		assert.NoError(t, err)
		assert.False(t, ok)
		assert.Nil(t, ev)
		require.NoError(t, other.Port2.Start(ctx))
		// Transferring a shipped port again is an error.
		err = PostTo(ctx, b.pid, nil, ch.Port1)
		assert.True(t, errors.Is(err, messages.ErrDataClone), "%v", err)
	})
	assert.Equal(t, CloseByPeer, a.nextClose().Reason, "the port lost with the dropped message closes its peer")
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
	b.quiet(30 * time.Millisecond)
}

func TestNewMessageChannelNeedsTheMiddleware(t *testing.T) {
	sys := newSystem(t)
	errs := make(chan error, 1)
	pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(string); ok {
			_, err := NewMessageChannel(c)
			errs <- err
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	sys.Root.Send(pid, "go")
	select {
	case err := <-errs:
		assert.True(t, errors.Is(err, messages.ErrInvalidState), "%v", err)
		assert.Contains(t, err.Error(), "ReceiverMiddleware")
	case <-time.After(waitFor):
		t.Fatal("no answer")
	}
}

func TestPostToActorWithoutMiddleware(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	got := make(chan any, 4)
	plain := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *MessageEvent, *MessageErrorEvent:
			got <- m
		}
	}))
	t.Cleanup(func() { _ = sys.Root.StopFuture(plain).Wait() })
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, plain, "just data"))
		require.NoError(t, PostTo(ctx, plain, "with a port", ch.Port2))
		require.NoError(t, ch.Port1.Start(ctx))
	})
	first := <-got
	require.IsType(t, &MessageEvent{}, first)
	assert.Equal(t, "just data", first.(*MessageEvent).Data)
	second := <-got
	require.IsType(t, &MessageErrorEvent{}, second)
	assert.True(t, errors.Is(second.(*MessageErrorEvent).Err, messages.ErrInvalidState))
	assert.Equal(t, CloseByPeer, a.nextClose().Reason, "the port that could not be adopted is closed")
}

func TestForgedProtocolMessageIsRejected(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	rejected := make(chan *ProtocolRejected, 1)
	sub := sys.EventStream.Subscribe(func(evt any) {
		if r, ok := evt.(*ProtocolRejected); ok {
			rejected <- r
		}
	})
	defer sys.EventStream.Unsubscribe(sub)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	// Without the route key a forger cannot inject, close or claim.
	sys.Root.Send(ch.Port2.PID(), &userMsg{key: 42, inMsg: inMsg{seq: 1}})
	select {
	case r := <-rejected:
		assert.Equal(t, "wrong route key", r.Reason)
	case <-time.After(waitFor):
		t.Fatal("no ProtocolRejected event")
	}
	a.quiet(20 * time.Millisecond)
	assert.Equal(t, int64(1), Get(sys).Stats().ProtocolErrors)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "real")) })
	assert.Equal(t, "real", a.nextMessage().Data)
}
