package ports

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type onDataPoint struct{ X, Y int }

// An OnData handler gets every message's data, a copy, in posting order
// (a burst from another actor: the batch path), and the ports a message
// carried, owned by the receiver; the messages skip Receive.
func TestOnDataGetsDataAndPortsInOrder(t *testing.T) {
	sys := newSystem(t)
	s, r := newProbe(t, sys, "s"), newProbe(t, sys, "r")
	ch := newChannel(t, s)
	moved := moveTo(t, s, r, ch.Port2)
	type got struct {
		data  any
		ports []*MessagePort
	}
	gotCh := make(chan got, 300)
	r.do(func(ctx actor.Context) {
		require.NoError(t, moved.OnData(ctx, func(_ actor.Context, data any, ports []*MessagePort) {
			gotCh <- got{data, ports}
		}))
	})
	sent := &onDataPoint{X: 1, Y: 2}
	extra := newChannel(t, s)
	const n = 200
	s.do(func(ctx actor.Context) {
		for i := range n {
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
		}
		require.NoError(t, ch.Port1.PostMessage(ctx, sent))
		require.NoError(t, ch.Port1.PostMessage(ctx, "with a port", extra.Port2))
	})
	for i := range n {
		assert.Equal(t, got{i, nil}, receive(t, gotCh, fmt.Sprintf("message %d", i)))
	}
	g := receive(t, gotCh, "the struct")
	require.IsType(t, &onDataPoint{}, g.data)
	assert.Equal(t, sent, g.data)
	assert.NotSame(t, sent, g.data, "the handler gets a copy")
	g = receive(t, gotCh, "the message with a port")
	assert.Equal(t, "with a port", g.data)
	require.Len(t, g.ports, 1)
	r.do(func(ctx actor.Context) {
		require.NoError(t, g.ports[0].Start(ctx), "the carried port is the receiver's")
	})
	s.do(func(ctx actor.Context) { require.NoError(t, extra.Port1.PostMessage(ctx, "on the carried port")) })
	ev := r.nextMessage()
	assert.Equal(t, "on the carried port", ev.Data)
	assert.Same(t, g.ports[0], ev.Target)
	r.quiet(20 * time.Millisecond)
}

// OnData and OnMessage replace each other; a nil OnData handler sends the
// messages back to Receive as MessageEvents. Each message goes to the
// handler set when it is dispatched, and to nothing else.
func TestOnDataAndOnMessageReplaceEachOther(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	seen := make(chan string, 10)
	post := func(v string) { a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, v)) }) }
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnMessage(ctx, func(_ actor.Context, ev *MessageEvent) { seen <- fmt.Sprint("event ", ev.Data) }))
	})
	post("1")
	assert.Equal(t, "event 1", receive(t, seen, "message 1"))
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnData(ctx, func(_ actor.Context, data any, _ []*MessagePort) { seen <- fmt.Sprint("data ", data) }))
	})
	post("2")
	assert.Equal(t, "data 2", receive(t, seen, "message 2"))
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnMessage(ctx, func(_ actor.Context, ev *MessageEvent) { seen <- fmt.Sprint("event ", ev.Data) }))
	})
	post("3")
	assert.Equal(t, "event 3", receive(t, seen, "message 3"))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.OnData(ctx, nil)) })
	post("4")
	ev := a.nextMessage()
	assert.Equal(t, "4", ev.Data)
	assert.Same(t, ch.Port2, ev.Target)
	assert.Empty(t, seen, "no handler saw message 4")
}

// OnData starts the port: messages that waited in its disabled queue are
// handed over, and the close event still goes to Receive, after them.
func TestOnDataStartsThePortAndLeavesTheCloseEventToReceive(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	seen := make(chan any, 10)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		require.NoError(t, ch.Port1.PostMessage(ctx, 2))
		require.NoError(t, ch.Port1.Close(ctx))
	})
	a.quiet(20 * time.Millisecond) // nothing is dispatched before the port starts
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.OnData(ctx, func(_ actor.Context, data any, _ []*MessagePort) { seen <- data }))
	})
	assert.Equal(t, 1, receive(t, seen, "message 1"))
	assert.Equal(t, 2, receive(t, seen, "message 2"))
	ce := a.nextClose()
	assert.Same(t, ch.Port2, ce.Target)
	assert.Equal(t, CloseByPeer, ce.Reason)
}

// OnData on a nil port or from an actor that does not own the port is an
// InvalidStateError and changes nothing.
func TestOnDataMisuse(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	var nilPort *MessagePort
	b.do(func(ctx actor.Context) {
		err := nilPort.OnData(ctx, func(actor.Context, any, []*MessagePort) {})
		assert.ErrorIs(t, err, messages.ErrInvalidState)
		err = ch.Port2.OnData(ctx, func(actor.Context, any, []*MessagePort) { t.Error("a handler set by another actor ran") })
		assert.ErrorIs(t, err, messages.ErrInvalidState)
	})
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "x")) })
	a.quiet(20 * time.Millisecond) // the port was not started by the refused call
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	assert.Equal(t, "x", a.nextMessage().Data)

	// After Close, as after Start: nil, and nothing runs.
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Close(ctx))
		assert.NoError(t, ch.Port2.OnData(ctx, func(actor.Context, any, []*MessagePort) { t.Error("a closed port's handler ran") }))
		require.NoError(t, ch.Port1.PostMessage(ctx, "after the close"))
	})
	assert.Same(t, ch.Port1, a.nextClose().Target, "the other end hears of the close")
	a.quiet(20 * time.Millisecond)
}

// A burst handed to an OnData handler makes no event: the owner allocates
// nothing per message (the data of a small int is the value itself), where
// a MessageEvent and its envelope take 112 bytes each.
func TestOnDataMakesNoEvent(t *testing.T) {
	sys := newSystem(t)
	s, r := newProbe(t, sys, "s"), newProbe(t, sys, "r")
	ch := newChannel(t, s)
	moved := moveTo(t, s, r, ch.Port2)
	const n = 20_000
	done := make(chan struct{})
	count := 0
	r.do(func(ctx actor.Context) {
		require.NoError(t, moved.OnData(ctx, func(_ actor.Context, data any, _ []*MessagePort) {
			if count++; count == n {
				close(done)
			}
		}))
	})
	burst := func() uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s.do(func(ctx actor.Context) {
			for i := range n {
				require.NoError(t, ch.Port1.PostMessage(ctx, i%200)) // small ints: no boxing
			}
		})
		receive(t, done, "the burst")
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / n
	}
	perMessage := burst()
	t.Logf("%d bytes a message", perMessage)
	assert.Less(t, perMessage, uint64(80), "bytes allocated per message in a burst to an OnData handler")
}
