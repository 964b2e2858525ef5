package actors_test

import (
	"sync/atomic"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingDispatcher runs mailboxes on ports.NewGoroutineDispatcher and
// counts them.
type countingDispatcher struct {
	actor.Dispatcher
	runs atomic.Int64
}

func newCountingDispatcher() *countingDispatcher {
	return &countingDispatcher{Dispatcher: ports.NewGoroutineDispatcher(0)}
}

func (d *countingDispatcher) Schedule(fn func()) {
	d.runs.Add(1)
	d.Dispatcher.Schedule(fn)
}

// A context runs on the plugin's context dispatcher unless its props
// options name another one, which then runs it alone.
func TestContextDispatcher(t *testing.T) {
	for _, tt := range []struct {
		name        string
		own         bool // the window's props name a dispatcher
		wantDefault bool // the context dispatcher ran the window
	}{
		{"default", false, true},
		{"the user's own", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			def := newCountingDispatcher()
			defer actors.SetContextDispatcher(def)()
			user := newCountingDispatcher()
			var opts []actor.PropsOption
			if tt.own {
				opts = append(opts, actor.WithDispatcher(user))
			}
			pid := e.sys.Root.SpawnPrefix(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
				if m, ok := ctx.Message().(*ports.MessageEvent); ok {
					e.report(ctx, m.Data)
				}
			}, opts...), "window")
			require.NoError(t, e.plugin.Run(e.ctx(), pid, func(ctx actor.Context) error {
				e.report(ctx, "ran")
				return nil
			}))
			require.Equal(t, "ran", e.next())
			assert.Equal(t, tt.wantDefault, def.runs.Load() > 0, "runs on the context dispatcher")
			assert.Equal(t, tt.own, user.runs.Load() > 0, "runs on the user's dispatcher")
		})
	}
}
