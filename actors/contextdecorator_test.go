package actors_test

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wrappedContext is a user's context decorator's context.
type wrappedContext struct{ actor.Context }

// A context whose props add the user's own context decorator works as any
// other: its port messages arrive, and a panic in its code is an ErrorEvent
// naming the message it was handling. The user's decorator, named after
// the plugin's in the props, wraps the plugin's context: the middleware
// then gets the user's wrapper and looks the state up (stateOfTask's
// fallback), where without it it finds the state in the plugin's context.
func TestContextWithTheUsersContextDecorator(t *testing.T) {
	decorate := actor.WithContextDecorator(func(next actor.ContextDecoratorFunc) actor.ContextDecoratorFunc {
		return func(ctx actor.Context) actor.Context { return next(&wrappedContext{ctx}) }
	})
	for _, tt := range []struct {
		name string
		opts []actor.PropsOption
	}{
		{"the plugin's decorator alone", nil},
		{"the user's decorator as well", []actor.PropsOption{decorate}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			pid := e.sys.Root.SpawnPrefix(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *ports.MessageEvent:
					if m.Data == "boom" {
						panic("boom")
					}
					e.report(ctx, m.Data)
				case *actors.ErrorEvent:
					if ev, ok := m.Message.(*ports.MessageEvent); ok {
						e.report(ctx, fmt.Sprintf("error on %v", ev.Data))
					} else {
						e.report(ctx, fmt.Sprintf("error on a %T", m.Message))
					}
				}
			}, tt.opts...), "window")
			require.NoError(t, e.plugin.Run(e.ctx(), pid, func(ctx actor.Context) error {
				return postOnNewChannel(ctx, func(p *ports.MessagePort) error { return p.Start(ctx) }, "one", "boom", "two")
			}))
			got := []any{e.next(), e.next(), e.next()}
			assert.ElementsMatch(t, []any{"one", "error on boom", "two"}, got)
		})
	}
}
