package ports

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

func TestQueueLimitOverflow(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opts      []Option
		delivered []any
		closes    bool
	}{
		{name: "close", opts: []Option{WithQueueLimit(2, 0)}, delivered: []any{1, 2}, closes: true},
		{name: "drop", opts: []Option{WithQueueLimit(2, 0), WithOverflowPolicy(OverflowDrop)}, delivered: []any{1, 2, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t, tc.opts...)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
			p := b.nextMessage().Ports[0]
			dropped := make(chan *MessageDropped, 10)
			sub := sys.EventStream.Subscribe(func(evt any) {
				if d, ok := evt.(*MessageDropped); ok {
					dropped <- d
				}
			})
			defer sys.EventStream.Unsubscribe(sub)
			// The receiving port is never started: its queue fills.
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.Start(ctx))
				for i := 1; i <= 4; i++ {
					require.NoError(t, ch.Port1.PostMessage(ctx, i))
				}
			})
			select {
			case d := <-dropped:
				assert.Contains(t, d.Reason, "queue limit")
			case <-time.After(waitFor):
				t.Fatal("no MessageDropped event")
			}
			if tc.closes {
				ce := b.nextClose()
				assert.Equal(t, CloseOverflow, ce.Reason)
				assert.Same(t, p, ce.Target)
				assert.Equal(t, CloseByPeer, a.nextClose().Reason, "the sender learns the channel is gone")
				assert.True(t, p.Detached(), "the overflowing port is closed")
				return
			}
			// Drop: the queue keeps its two, later messages still come.
			b.do(func(ctx actor.Context) { require.NoError(t, p.Start(ctx)) })
			assert.Equal(t, 1, b.nextMessage().Data)
			assert.Equal(t, 2, b.nextMessage().Data)
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 5)) })
			assert.Equal(t, 5, b.nextMessage().Data)
			assert.Positive(t, Get(sys).Stats().Dropped)
		})
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

func TestOnMessageAndTryReceive(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	handled := make(chan any, 4)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "taken"))
		require.NoError(t, ch.Port1.PostMessage(ctx, "handled"))
		// The port is not started: TryReceive takes what has arrived.
		ev, ok, err := ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, "taken", ev.Data)
		assert.Same(t, ch.Port2, ev.Target)
		require.NoError(t, ch.Port2.OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
			handled <- ev.Data
		}))
	})
	assert.Equal(t, "handled", <-handled)
	a.quiet(20 * time.Millisecond) // handled events skip Receive
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnMessage(ctx, nil))
		require.NoError(t, ch.Port1.PostMessage(ctx, "taken again"))
		require.NoError(t, ch.Port1.PostMessage(ctx, "to receive"))
		// A started port: TryReceive still takes the next message that
		// has arrived, ahead of its pending dispatch (Node's
		// receiveMessageOnPort with a listener attached).
		ev, ok, err := ch.Port2.TryReceive(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, "taken again", ev.Data)
	})
	assert.Equal(t, "to receive", a.nextMessage().Data, "a nil handler sends events back to Receive")
	a.quiet(20 * time.Millisecond)
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

func TestDiagnosticsEvents(t *testing.T) {
	sys := newSystem(t)
	events := make(chan Diagnostic, 64)
	sub := sys.EventStream.Subscribe(func(evt any) {
		if d, ok := evt.(Diagnostic); ok {
			events <- d
		}
	})
	defer sys.EventStream.Unsubscribe(sub)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Close(ctx)) })
	a.nextClose()
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "nobody listens")) })
	seen := map[string]bool{}
	deadline := time.After(waitFor)
	for !(seen["*ports.PortTransferred"] && seen["*ports.PortClosed"] && seen["*ports.MessageDropped"]) {
		select {
		case d := <-events:
			level, msg, attrs := d.Log()
			assert.NotEmpty(t, msg)
			assert.NotEmpty(t, attrs)
			assert.GreaterOrEqual(t, int(level), -4)
			seen[typeName(d)] = true
		case <-deadline:
			t.Fatalf("diagnostics seen so far: %v", seen)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *PortTransferred:
		return "*ports.PortTransferred"
	case *PortClosed:
		return "*ports.PortClosed"
	case *MessageDropped:
		return "*ports.MessageDropped"
	case *ProtocolRejected:
		return "*ports.ProtocolRejected"
	}
	return "?"
}

func TestUnshippedPortsKeepGlobalPostingOrder(t *testing.T) {
	// Two channels whose four ends all live in one context and were never
	// shipped: deliveries follow the order of posting across both.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	x, y := newChannel(t, a), newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port2.Start(ctx))
		require.NoError(t, y.Port2.Start(ctx))
		for i := 0; i < 10; i++ {
			if i%3 == 0 {
				require.NoError(t, y.Port1.PostMessage(ctx, i))
			} else {
				require.NoError(t, x.Port1.PostMessage(ctx, i))
			}
		}
	})
	for i := 0; i < 10; i++ {
		assert.Equal(t, i, a.nextMessage().Data)
	}
}
