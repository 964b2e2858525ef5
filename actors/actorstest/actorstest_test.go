package actorstest_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newPlugin returns a plugin on a fresh actor system, shut down when the
// test ends.
func newPlugin(t *testing.T) (*actor.ActorSystem, *actors.Plugin) {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	p, err := actors.Register(sys)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, p.Shutdown(ctx))
		sys.Shutdown()
	})
	return sys, p
}

// A window that posts to itself a hundred times: WaitQuiet returns only
// once it has run every one of those tasks, and Activity counted them.
func TestWaitQuietAfterAChainOfTasks(t *testing.T) {
	sys, p := newPlugin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	before := actorstest.Activity(p)
	var got atomic.Int32
	sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://a.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ctx.Send(ctx.Self(), 1)
		case int:
			got.Add(1)
			if m < 100 {
				ctx.Send(ctx.Self(), m+1)
			}
		}
	}))
	require.NoError(t, actorstest.WaitQuiet(ctx, p))
	assert.Equal(t, int32(100), got.Load(), "every task ran before WaitQuiet returned")
	assert.GreaterOrEqual(t, actorstest.Activity(p)-before, uint64(100), "each message is a task")

	// Quiet now: nothing runs, so Activity stays where it is.
	after := actorstest.Activity(p)
	require.NoError(t, actorstest.WaitQuiet(ctx, p))
	assert.Equal(t, after, actorstest.Activity(p))
}

// WaitQuiet returns ctx's error when the contexts never go quiet.
func TestWaitQuietReturnsCtxError(t *testing.T) {
	sys, p := newPlugin(t)
	var stop atomic.Bool
	t.Cleanup(func() { stop.Store(true) })
	looping := make(chan struct{})
	closed := false // touched only by the window
	sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://busy.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			// Two messages in flight: one is always queued, so
			// every probe of WaitQuiet waits behind a task.
			ctx.Send(ctx.Self(), 1)
			ctx.Send(ctx.Self(), 1)
		case int:
			if m == 2 && !closed {
				closed = true
				close(looping)
			}
			if !stop.Load() {
				ctx.Send(ctx.Self(), m+1)
			}
		}
	}))
	<-looping // the window is busy posting to itself from now on
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, actorstest.WaitQuiet(ctx, p), context.DeadlineExceeded)
	stop.Store(true)
}

func ExampleWaitQuiet() {
	system := actor.NewActorSystem()
	plugin, _ := actors.Register(system)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	defer func() { _ = plugin.Shutdown(ctx) }()

	var seen atomic.Int32
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
		if _, ok := ctx.Message().(string); ok {
			seen.Add(1)
		}
	}))
	// (In a real test, the window's messages come from the code under
	// test.)
	if err := actorstest.WaitQuiet(ctx, plugin); err != nil {
		fmt.Println(err)
	}
	fmt.Println("contexts:", plugin.Contexts(), "messages seen:", seen.Load())
	// Output:
	// contexts: 1 messages seen: 0
}
