package ports

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/rawmsg"
	"github.com/entangle-go/entangle/messages"
)

// A script realm's side of the post path (raw.go): it posts records it
// made itself and asks for what it receives unrebuilt.

type rawItem struct{ Name string }

func makeRaw(t *testing.T, p *probe) {
	t.Helper()
	p.do(func(ctx actor.Context) { require.NoError(t, rawmsg.SetRaw(ctx)) })
}

// rawOf requires a MessageEvent whose data is raw and returns it.
func rawOf(t *testing.T, ev *MessageEvent) *rawmsg.Raw {
	t.Helper()
	r, ok := ev.Data.(*rawmsg.Raw)
	require.Truef(t, ok, "want *rawmsg.Raw data, got %T", ev.Data)
	return r
}

func prepared(t *testing.T, v any, transfer ...messages.Transferable) *rawmsg.Prepared {
	t.Helper()
	rec, err := messages.Serialize(v, transfer...)
	require.NoError(t, err)
	return &rawmsg.Prepared{Record: rec}
}

func TestRawOwnerGetsGoDataAsValue(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	makeRaw(t, b)
	ch := newChannel(t, a)
	onB := moveTo(t, a, b, ch.Port2)
	b.do(func(ctx actor.Context) { require.NoError(t, onB.Start(ctx)) })
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.PostMessage(ctx, 42))
		require.NoError(t, ch.Port1.PostMessage(ctx, &rawItem{Name: "x"}))
		require.NoError(t, PostTo(ctx, b.pid, "direct"))
	})
	got := map[any]bool{}
	for range 3 {
		r := rawOf(t, b.nextMessage())
		assert.Nil(t, r.Record)
		switch v := r.Value.(type) {
		case *rawItem:
			got[v.Name] = true
		default:
			got[v] = true
		}
	}
	assert.Equal(t, map[any]bool{42: true, "x": true, "direct": true}, got)
}

func TestPreparedRecordReachesRawAndGoOwners(t *testing.T) {
	tests := []struct {
		name string
		raw  bool
	}{{"raw owner", true}, {"Go owner", false}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := newSystem(t)
			a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
			if tt.raw {
				makeRaw(t, b)
			}
			ch := newChannel(t, a)
			extra := newChannel(t, a)
			onB := moveTo(t, a, b, ch.Port2)
			b.do(func(ctx actor.Context) { require.NoError(t, onB.Start(ctx)) })
			a.do(func(ctx actor.Context) {
				require.NoError(t, ch.Port1.PostMessage(ctx, prepared(t, map[string]any{"p": extra.Port2}, extra.Port2), extra.Port2))
				require.NoError(t, PostTo(ctx, b.pid, prepared(t, []any{"direct"})))
			})
			var moved *MessagePort
			for range 2 {
				ev := b.nextMessage()
				if ev.Target == nil {
					if tt.raw {
						r := rawOf(t, ev)
						require.NotNil(t, r.Record)
						v, err := messages.Deserialize(r.Record)
						require.NoError(t, err)
						assert.Equal(t, []any{"direct"}, v)
					} else {
						assert.Equal(t, []any{"direct"}, ev.Data)
					}
					continue
				}
				require.Len(t, ev.Ports, 1)
				moved = ev.Ports[0]
				if tt.raw {
					r := rawOf(t, ev)
					require.NotNil(t, r.Record)
					assert.Equal(t, 1, r.Record.ExternalCount())
					v, err := messages.Deserialize(r.Record, messages.WithTransferred(moved))
					require.NoError(t, err)
					assert.Same(t, moved, v.(map[string]any)["p"])
				} else {
					assert.Same(t, moved, ev.Data.(map[string]any)["p"])
				}
			}
			require.NotNil(t, moved, "the message with the port")
			b.do(func(ctx actor.Context) { require.NoError(t, moved.Start(ctx)) })
			a.do(func(ctx actor.Context) { require.NoError(t, extra.Port1.PostMessage(ctx, "via the moved port")) })
			got := b.nextMessage()
			if tt.raw {
				assert.Equal(t, "via the moved port", rawOf(t, got).Value)
			} else {
				assert.Equal(t, "via the moved port", got.Data)
			}
		})
	}
}

func TestPreparedRecordMustMatchItsTransferList(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	extra := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		err := ch.Port1.PostMessage(ctx, prepared(t, "no slots"), extra.Port2)
		assert.ErrorIs(t, err, messages.ErrDataClone)
		err = ch.Port1.PostMessage(ctx, prepared(t, "own port", ch.Port1), ch.Port1)
		assert.ErrorIs(t, err, messages.ErrDataClone)
		err = ch.Port1.PostMessage(ctx, &rawmsg.Prepared{})
		assert.ErrorIs(t, err, messages.ErrDataClone)
	})
	// Nothing was transferred: the listed port still works.
	a.do(func(ctx actor.Context) {
		require.NoError(t, extra.Port2.Start(ctx))
		require.NoError(t, extra.Port1.PostMessage(ctx, "still here"))
	})
	assert.Equal(t, "still here", a.nextMessage().Data)
}
