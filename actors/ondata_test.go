package actors_test

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A window's port with an OnData handler: the handler gets the data, and a
// panic in it is an ErrorEvent whose Message is the data it was handling;
// the context keeps its port and goes on.
func TestOnDataHandlerInAWindow(t *testing.T) {
	e := newEnv(t)
	pid := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if m, ok := ctx.Message().(*actors.ErrorEvent); ok {
			e.report(ctx, fmt.Sprintf("error on %v", m.Message))
		}
	})
	require.NoError(t, e.plugin.Run(e.ctx(), pid, func(ctx actor.Context) error {
		return postOnNewChannel(ctx, func(p *ports.MessagePort) error {
			return p.OnData(ctx, func(ctx actor.Context, data any, _ []*ports.MessagePort) {
				if data == "boom" {
					panic("boom")
				}
				e.report(ctx, data)
			})
		}, "one", "boom", "two")
	}))
	got := []any{e.next(), e.next(), e.next()}
	assert.ElementsMatch(t, []any{"one", "error on boom", "two"}, got)
}

// onDataPoint is a user's unexported message type.
type onDataPoint struct{ X int }

// The ErrorEvent of a panic in an OnData handler names the data whatever
// its type (an unexported one too), and in a batch whose first message
// went to Receive as an event before the handler was set.
func TestOnDataHandlerPanicNamesTheData(t *testing.T) {
	panicky := func(ctx actor.Context, data any, _ []*ports.MessagePort) {
		panic(fmt.Sprintf("boom on %v", data))
	}
	for _, tt := range []struct {
		name  string
		posts []any
		want  any
	}{
		{"an unexported struct", []any{&onDataPoint{X: 7}}, &onDataPoint{X: 7}},
		{"after an event in the same batch", []any{"first", "second"}, "second"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			pid := e.spawnWindow("https://a.example", func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *ports.MessageEvent:
					// The first message of the batch: from now on the
					// port's messages go to the OnData handler.
					e.report(ctx, fmt.Sprint("event ", m.Data))
					require.NoError(t, m.Target.OnData(ctx, panicky))
				case *actors.ErrorEvent:
					e.report(ctx, m.Message)
				}
			})
			require.NoError(t, e.plugin.Run(e.ctx(), pid, func(ctx actor.Context) error {
				ch, err := ports.NewMessageChannel(ctx)
				if err != nil {
					return err
				}
				// The messages are queued first: one batch takes them
				// all when the port starts.
				for _, v := range tt.posts {
					if err := ch.Port1.PostMessage(ctx, v); err != nil {
						return err
					}
				}
				if len(tt.posts) == 1 {
					return ch.Port2.OnData(ctx, panicky)
				}
				return ch.Port2.Start(ctx) // the batch starts as events
			}))
			if len(tt.posts) > 1 {
				assert.Equal(t, "event first", e.next())
			}
			assert.Equal(t, tt.want, e.next(), "what the ErrorEvent names")
		})
	}
}
