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

// A window's port with an OnData handler: the handler gets the data, and a
// panic in it is an ErrorEvent whose Message is the data it was handling;
// the context keeps its port and goes on.
func TestOnDataHandlerInAWindow(t *testing.T) {
	e := newEnv(t)
	pid := e.sys.Root.SpawnPrefix(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
		if m, ok := ctx.Message().(*actors.ErrorEvent); ok {
			e.report(ctx, fmt.Sprintf("error on %v", m.Message))
		}
	}), "window")
	require.NoError(t, e.plugin.Run(e.ctx(), pid, func(ctx actor.Context) error {
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			return err
		}
		if err := ch.Port2.OnData(ctx, func(ctx actor.Context, data any, _ []*ports.MessagePort) {
			if data == "boom" {
				panic("boom")
			}
			e.report(ctx, data)
		}); err != nil {
			return err
		}
		for _, v := range []string{"one", "boom", "two"} {
			if err := ch.Port1.PostMessage(ctx, v); err != nil {
				return err
			}
		}
		return nil
	}))
	got := []any{e.next(), e.next(), e.next()}
	assert.ElementsMatch(t, []any{"one", "error on boom", "two"}, got)
}
