package ports

// Calls that fail and input that is refused: misuse is an InvalidStateError
// that changes nothing, Register refuses invalid options, a record that
// cannot be rebuilt becomes a MessageErrorEvent, and a forged protocol
// message is rejected.

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// A handle used by an actor that does not own it: every call returns an
// error matching ErrInvalidState and changes nothing (no buffer detached,
// no port shipped, no handler installed, no message taken, not closed).
func TestNonOwnerChangesNothing(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	mine := newChannel(t, b)
	ab := messages.NewArrayBuffer([]byte{1, 2})
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "waiting")) })
	foreignHandler := make(chan any, 4)
	b.do(func(ctx actor.Context) {
		errs := map[string]error{
			"PostMessage": ch.Port1.PostMessage(ctx, "x", ab, mine.Port1),
			"Start":       ch.Port2.Start(ctx),
			"OnMessage":   ch.Port2.OnMessage(ctx, func(actor.Context, *MessageEvent) { foreignHandler <- 1 }),
			"Close":       ch.Port2.Close(ctx),
			"PostTo":      PostTo(ctx, a.pid, "x", ch.Port2),
		}
		_, ok, err := ch.Port2.TryReceive(ctx)
		errs["TryReceive"] = err
		assert.False(t, ok)
		for name, err := range errs {
			if name == "PostTo" {
				assert.ErrorIs(t, err, messages.ErrDataClone, "a foreign port in the transfer list")
				continue
			}
			assert.ErrorIs(t, err, messages.ErrInvalidState, name)
		}
		assert.Equal(t, 2, OpenPorts(ctx), "b's own ports are untouched")
	})
	assertAttached(t, ab, mine.Port1, ch.Port1, ch.Port2)
	a.quiet(30 * time.Millisecond) // not started by the foreign Start
	var ev *MessageEvent
	a.do(func(ctx actor.Context) {
		var ok bool
		var err error
		ev, ok, err = ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok, "the foreign TryReceive took nothing")
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, "to Receive"))
	})
	assert.Equal(t, "waiting", ev.Data)
	assert.Equal(t, "to Receive", a.nextMessage().Data, "the foreign handler was not installed")
	assert.Empty(t, foreignHandler)
}

// Calls without an actor context, or on a nil handle, are InvalidStateErrors.
func TestNilContextAndNilHandle(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	var nilPort *MessagePort
	_, err := NewMessageChannel(nil)
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	assert.ErrorIs(t, ch.Port1.PostMessage(nil, 1), messages.ErrInvalidState)
	assert.ErrorIs(t, ch.Port1.Start(nil), messages.ErrInvalidState)
	assert.ErrorIs(t, ch.Port1.Close(nil), messages.ErrInvalidState)
	assert.ErrorIs(t, PostTo(nil, a.pid, 1), messages.ErrInvalidState)
	a.do(func(ctx actor.Context) {
		assert.ErrorIs(t, nilPort.PostMessage(ctx, 1), messages.ErrInvalidState)
		assert.ErrorIs(t, nilPort.Start(ctx), messages.ErrInvalidState)
		assert.ErrorIs(t, nilPort.Close(ctx), messages.ErrInvalidState)
		assert.ErrorIs(t, nilPort.OnMessage(ctx, nil), messages.ErrInvalidState)
		_, _, err := nilPort.TryReceive(ctx)
		assert.ErrorIs(t, err, messages.ErrInvalidState)
	})
	assert.True(t, nilPort.Detached())
	assert.False(t, ch.Port1.Detached(), "nothing changed")
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

func TestInvalidOptions(t *testing.T) {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	for _, o := range []Option{WithQueueLimit(-1, 0), WithCloseEvents(CloseEventMode(9)), WithOverflowPolicy(OverflowPolicy(9))} {
		_, err := Register(sys, o)
		assert.Error(t, err)
	}
	_, err := Register(sys)
	require.NoError(t, err)
	_, err = Register(sys)
	assert.ErrorIs(t, err, ErrAlreadyRegistered)
	Unregister(sys)
}

func TestMessageErrorEventKeepsTheChannelFlowing(t *testing.T) {
	// A record that cannot be rebuilt (here: bytes from "another node"
	// that do not decode) takes its message's place as a
	// MessageErrorEvent; its number is used up and later messages arrive.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	// They come as from Port1, Port2's peer: a port takes messages only
	// from its route neighbours.
	key, from := ch.Port2.core.key, ch.Port1.core.key
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: key, From: from, Seq: 1, Record: []byte{0xff, 0x00}})
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: key, From: from, Seq: 2, EncodeError: "no binary form"})
	for i := 0; i < 2; i++ {
		ev := a.next()
		me, ok := ev.(*MessageErrorEvent)
		require.Truef(t, ok, "want MessageErrorEvent, got %T", ev)
		assert.True(t, errors.Is(me.Err, messages.ErrDataClone), "%v", me.Err)
		assert.Same(t, ch.Port2, me.Target)
	}
	a.do(func(ctx actor.Context) {
		// Port1 numbers its messages from 1: the test above used the
		// numbers of a pretend peer; post enough to get past them.
		for i := 1; i <= 3; i++ {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
	})
	assert.Equal(t, 3, a.nextMessage().Data, "messages 1 and 2 were taken by the forged ones above")
}

type unregisteredRecord struct{ A int }

// A record from another node naming a type this node has not registered
// becomes a MessageErrorEvent at the port (the web's messageerror) that
// says what to register; the next message still arrives.
func TestUnregisteredTypeFromAnotherNodeIsAMessageError(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	encode := func(v any) []byte {
		rec, err := messages.Serialize(v)
		require.NoError(t, err)
		b, err := rec.MarshalBinary()
		require.NoError(t, err)
		return b
	}
	// They come as from Port1, Port2's peer: a port takes messages only
	// from its route neighbours.
	key, from := ch.Port2.core.key, ch.Port1.core.key
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: key, From: from, Seq: 1, Record: encode(unregisteredRecord{A: 1})})
	sys.Root.Send(ch.Port2.PID(), &wire.Msg{Key: key, From: from, Seq: 2, Record: encode("fine")})
	ev := a.next()
	me, ok := ev.(*MessageErrorEvent)
	require.Truef(t, ok, "want a MessageErrorEvent, got %T", ev)
	assert.ErrorIs(t, me.Err, messages.ErrDataClone)
	assert.Contains(t, me.Err.Error(), "not registered")
	assert.Same(t, ch.Port2, me.Target)
	assert.Equal(t, "fine", a.nextMessage().Data)
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
