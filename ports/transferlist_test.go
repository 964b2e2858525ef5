package ports

// What a post does with its transfer list and with ports in its data:
// DataCloneErrors that detach nothing, the target port in the list that
// dooms its channel, posts on dead ports that still transfer, ports inside
// the data, and the order of MessageEvent.Ports.

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

// Post message steps 2 and 5 with StructuredSerializeWithTransfer's checks:
// every transfer-list error is a DataCloneError naming the entry, and a
// failed post detaches nothing (buffers before and after the bad entry
// stay attached; ports before and after it stay usable and keep their
// queues).
func TestTransferListErrorsDetachNothing(t *testing.T) {
	type fixture struct {
		ch, other, spare *MessageChannel
		foreign          *MessagePort
		ab1, ab2, dead   *messages.ArrayBuffer
	}
	for _, tc := range []struct {
		name  string
		list  func(f *fixture) []messages.Transferable
		data  func(f *fixture) any
		path  string
		viaTo bool // posted with PostTo instead of on ch.Port1
	}{
		{name: "source port", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ch.Port1, f.ab2}
		}},
		{name: "duplicate port", path: "transfer[3]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2, f.other.Port1}
		}},
		{name: "duplicate buffer", path: "transfer[3]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2, f.ab1}
		}},
		{name: "closed port", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.spare.Port1, f.ab2}
		}},
		{name: "detached buffer", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.dead, f.ab2}
		}},
		{name: "port of another actor", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.foreign, f.ab2}
		}},
		{name: "not transferable", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, notTransferable{}, f.ab2}
		}},
		{name: "nil entry", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, nil, f.ab2}
		}},
		{name: "nil port", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, (*MessagePort)(nil), f.ab2}
		}},
		{name: "nil buffer", path: "transfer[2]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, (*messages.ArrayBuffer)(nil), f.ab2}
		}},
		{name: "data not cloneable", path: ".F", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2}
		}, data: func(*fixture) any { return struct{ F func() }{F: func() {}} }},
		{name: "unlisted port in the data", path: "[1]", list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2}
		}, data: func(f *fixture) any { return []any{f.other.Port1, f.spare.Port2} }},
		{name: "PostTo: duplicate port", path: "transfer[3]", viaTo: true, list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ab2, f.other.Port1}
		}},
		{name: "PostTo: closed port", path: "transfer[2]", viaTo: true, list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.spare.Port1, f.ab2}
		}},
		{name: "PostTo: shipped port", path: "transfer[2]", viaTo: true, list: func(f *fixture) []messages.Transferable {
			return []messages.Transferable{f.ab1, f.other.Port1, f.ch.Port2, f.ab2}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := newSystem(t)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			f := &fixture{ch: newChannel(t, a), other: newChannel(t, a), spare: newChannel(t, a), foreign: newChannel(t, b).Port1}
			f.ab1 = messages.NewArrayBuffer([]byte{1, 2, 3})
			f.ab2 = messages.NewArrayBuffer([]byte{4, 5})
			f.dead = messages.NewArrayBuffer([]byte{6})
			_, err := messages.StructuredClone(nil, f.dead)
			require.NoError(t, err)
			require.True(t, f.dead.Detached())
			a.do(func(ctx actor.Context) {
				require.NoError(t, f.spare.Port1.Close(ctx))
				if tc.name == "PostTo: shipped port" {
					require.NoError(t, PostTo(ctx, b.pid, "ship", f.ch.Port2))
				}
				require.NoError(t, f.other.Port1.PostMessage(ctx, "queued on other.Port2"))
				var data any = "payload"
				if tc.data != nil {
					data = tc.data(f)
				}
				if tc.viaTo {
					err = PostTo(ctx, b.pid, data, tc.list(f)...)
				} else {
					err = f.ch.Port1.PostMessage(ctx, data, tc.list(f)...)
				}
			})
			require.Error(t, err)
			assert.ErrorIs(t, err, messages.ErrDataClone)
			var dce *messages.DataCloneError
			require.ErrorAs(t, err, &dce)
			assert.Equal(t, tc.path, dce.Path, "%v", err)
			assertAttached(t, f.ab1, f.ab2, f.other.Port1, f.other.Port2, f.ch.Port1)
			assert.Equal(t, []byte{1, 2, 3}, f.ab1.Bytes())
			assert.Equal(t, []byte{4, 5}, f.ab2.Bytes())
			if tc.name == "PostTo: shipped port" {
				b.nextMessage()
			}
			// The ports are still usable: other.Port1 can still be
			// transferred, and its queue is intact.
			a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, "works", f.other.Port2, f.ab1)) })
			ev := b.nextMessage()
			require.Len(t, ev.Ports, 1)
			assert.True(t, f.ab1.Detached(), "a successful post detaches")
			assert.Equal(t, []any{"queued on other.Port2"}, startAndRead(t, b, ev.Ports[0], 1))
			a.do(func(ctx actor.Context) { require.NoError(t, f.other.Port1.PostMessage(ctx, "later")) })
			assert.Equal(t, "later", b.nextMessage().Data)
			b.quiet(20 * time.Millisecond)
		})
	}
}

// Post message step 4: the target port in the transfer list dooms the
// channel: no error, nothing is delivered, the other transferables are
// still transferred (buffers detached, ports shipped and lost, their
// peers closed), and the sending end gets exactly one CloseEvent.
func TestTargetPortInTransferListDoomsTheChannel(t *testing.T) {
	for _, mode := range []CloseEventMode{CloseEventsStandard, CloseEventsBoth, CloseEventsNone} {
		t.Run(mode.String(), func(t *testing.T) {
			sys := newSystem(t, WithCloseEvents(mode))
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			other := newChannel(t, a)
			otherFar := moveTo(t, a, b, other.Port2)
			b.do(func(ctx actor.Context) { require.NoError(t, otherFar.Start(ctx)) })
			ab := messages.NewArrayBuffer(make([]byte, 16))
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.Start(ctx))
				require.NoError(t, ch.Port2.Start(ctx))
				require.NoError(t, ch.Port1.PostMessage(ctx, "doomed", ab, ch.Port2, other.Port1))
				assert.True(t, ab.Detached(), "the buffer is detached although nothing is delivered")
				assert.Equal(t, 0, ab.ByteLength())
				assert.True(t, ch.Port2.Detached())
				assert.True(t, other.Port1.Detached())
				require.NoError(t, ch.Port1.PostMessage(ctx, "after doom"), "a silent no-op")
			})
			if mode != CloseEventsNone {
				ce := a.nextClose()
				assert.Same(t, ch.Port1, ce.Target, "the sending end learns the channel is gone")
				ce = b.nextClose()
				assert.Same(t, otherFar, ce.Target, "the peer of the port lost with the message closes")
			}
			a.quiet(50 * time.Millisecond)
			b.quiet(10 * time.Millisecond)
			var open int
			a.do(func(ctx actor.Context) { open = OpenPorts(ctx) })
			assert.Equal(t, 1, open, "only ch.Port1 is still open at a")
			a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
			b.do(func(ctx actor.Context) { require.NoError(t, otherFar.Close(ctx)) })
			waitPortActors(t, sys, 0)
		})
	}
}

func TestDoomedChannel(t *testing.T) {
	// The other end of the same channel in the transfer list: no error,
	// the message is dropped, and the sending end gets its close event.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	other := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Start(ctx))
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, other.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, "doomed", ch.Port2, other.Port1))
		assert.True(t, ch.Port2.Detached(), "the listed port was transferred")
		assert.True(t, other.Port1.Detached(), "so was the other listed port")
	})
	closed := map[*MessagePort]bool{}
	for len(closed) < 2 {
		closed[a.nextClose().Target] = true
	}
	assert.True(t, closed[ch.Port1], "the sending end gets close")
	assert.True(t, closed[other.Port2], "the peer of a port lost with the message gets close")
	a.quiet(30 * time.Millisecond)
}

// Post message steps on a closed or shipped port, or one whose peer has
// closed: no error, nothing delivered, but the transfer list is still
// transferred (buffers detached, listed ports shipped and closed, so
// their peers get a CloseEvent).
func TestPostOnDeadPortStillTransfers(t *testing.T) {
	for _, how := range []string{"closed", "shipped", "peer closed"} {
		t.Run(how, func(t *testing.T) {
			sys := newSystem(t)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			ch := newChannel(t, a)
			listed := newChannel(t, a)
			switch how {
			case "closed":
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
				a.nextClose() // ch.Port2
			case "shipped":
				moveTo(t, a, b, ch.Port1)
			case "peer closed":
				a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Close(ctx)) })
				assert.Same(t, ch.Port1, a.nextClose().Target)
			}
			ab := messages.NewArrayBuffer([]byte{1, 2, 3, 4})
			a.do(func(ctx actor.Context) {
				require.NoError(t, listed.Port2.Start(ctx))
				require.NoError(t, ch.Port1.PostMessage(ctx, "nowhere", ab, listed.Port1))
				assert.True(t, ab.Detached())
				assert.True(t, listed.Port1.Detached())
			})
			ce := a.nextClose()
			assert.Same(t, listed.Port2, ce.Target)
			a.quiet(30 * time.Millisecond)
			b.quiet(10 * time.Millisecond)
		})
	}
}

// A port in the data that is not in the transfer list is a DataCloneError
// with its path; nothing is transferred and the port stays usable.
func TestUnlistedPortInDataIsDataCloneError(t *testing.T) {
	type holder struct {
		Name string
		Port *MessagePort
	}
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	ab := messages.NewArrayBuffer([]byte{9})
	for _, tc := range []struct {
		name string
		data func() any
		path string
	}{
		{"struct field", func() any { return &holder{Name: "x", Port: ch.Port2} }, ".Port"},
		{"slice element", func() any { return []any{1, ch.Port2} }, "[1]"},
		{"map value", func() any { return map[string]any{"p": ch.Port2} }, `["p"]`},
		{"root", func() any { return ch.Port2 }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errTo, errPort error
			a.do(func(ctx actor.Context) {
				errTo = PostTo(ctx, b.pid, tc.data(), ab)
				errPort = ch.Port1.PostMessage(ctx, tc.data(), ab)
			})
			for _, err := range []error{errTo, errPort} {
				require.Error(t, err)
				assert.ErrorIs(t, err, messages.ErrDataClone)
				var dce *messages.DataCloneError
				require.ErrorAs(t, err, &dce)
				assert.Equal(t, tc.path, dce.Path, "%v", err)
			}
			assertAttached(t, ab, ch.Port1, ch.Port2)
		})
	}
	b.quiet(20 * time.Millisecond)
	// Listed, the same value goes through, and the port inside is the
	// adopted handle.
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, &holder{Port: ch.Port2}, ch.Port2)) })
	ev := b.nextMessage()
	require.Len(t, ev.Ports, 1)
	assert.Same(t, ev.Ports[0], ev.Data.(*holder).Port)
}

// messages.StructuredClone has no context to adopt a port: a port in the
// value or in the transfer list is a DataCloneError, and nothing moves.
func TestStructuredCloneOfPortIsDataCloneError(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	ab := messages.NewArrayBuffer([]byte{1})
	for name, call := range map[string]func() (any, error){
		"port as value":      func() (any, error) { return messages.StructuredClone(ch.Port1) },
		"port inside value":  func() (any, error) { return messages.StructuredClone([]any{ch.Port1}) },
		"port in transfer":   func() (any, error) { return messages.StructuredClone(ch.Port1, ab, ch.Port1) },
		"port listed, value": func() (any, error) { return messages.StructuredClone("x", ab, ch.Port2) },
	} {
		_, err := call()
		assert.ErrorIs(t, err, messages.ErrDataClone, name)
		assertAttached(t, ab, ch.Port1, ch.Port2)
	}
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, "still entangled"))
		require.NoError(t, ch.Port2.Start(ctx))
	})
	assert.Equal(t, "still entangled", a.nextMessage().Data)
}

func TestPortInsideTheData(t *testing.T) {
	type carrier struct {
		Name string
		Port *MessagePort
	}
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, PostTo(ctx, b.pid, &carrier{Name: "n", Port: ch.Port2}, ch.Port2))
	})
	ev := b.nextMessage()
	got, ok := ev.Data.(*carrier)
	require.True(t, ok, "data keeps its Go type")
	require.Len(t, ev.Ports, 1)
	assert.Same(t, ev.Ports[0], got.Port, "the port in the data is the adopted handle")
}

// MessageEvent.Ports is in transfer-list order, and references in the data
// resolve to the same new handles, whatever order the data holds them in.
func TestPortsFollowTransferListOrder(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	x, y := newChannel(t, a), newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, x.Port1.PostMessage(ctx, "for x"))
		require.NoError(t, y.Port1.PostMessage(ctx, "for y"))
		require.NoError(t, PostTo(ctx, b.pid, []any{y.Port2, x.Port2, y.Port2}, x.Port2, y.Port2))
	})
	ev := b.nextMessage()
	require.Len(t, ev.Ports, 2)
	data := ev.Data.([]any)
	assert.Same(t, ev.Ports[1], data[0])
	assert.Same(t, ev.Ports[0], data[1])
	assert.Same(t, data[0], data[2], "one object referenced twice stays one")
	assert.Equal(t, []any{"for x"}, startAndRead(t, b, ev.Ports[0], 1))
	assert.Equal(t, []any{"for y"}, startAndRead(t, b, ev.Ports[1], 1))
}
