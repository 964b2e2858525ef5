package script

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
)

// lockedBuffer is a log destination the contexts' goroutines write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A worker script's uncaught exception is logged once (by the realm,
// through the plugin's logger when there is no WithConsole), published
// once on the EventStream, and reaches the Go creator once.
func TestWorkerErrorLoggedOnce(t *testing.T) {
	var logs lockedBuffer
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, err := actors.Register(sys, actors.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	_, err = Register(plugin)
	require.NoError(t, err)
	e := &env{t: t, sys: sys, plugin: plugin}
	defer func() {
		require.NoError(t, plugin.Shutdown(e.ctx()))
		sys.Shutdown()
	}()
	published := make(chan *actors.ErrorEvent, 4)
	sub := sys.EventStream.Subscribe(func(ev any) {
		if m, ok := ev.(*actors.ErrorEvent); ok {
			published <- m
		}
	})
	defer sys.EventStream.Unsubscribe(sub)
	atCreator := make(chan error, 4)
	sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://test.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			_, err := NewWorker(ctx, actors.WorkerOptions{}, Code("worker.js", `setTimeout(() => { throw new Error("once") });`))
			assert.NoError(t, err)
		case *actors.ErrorEvent:
			if m.Worker != nil {
				atCreator <- m.Err
			}
		}
	}))
	select {
	case err := <-atCreator:
		var se *ScriptError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "Uncaught Error: once", se.Message)
	case <-time.After(wait):
		t.Fatal("the creator got no ErrorEvent")
	}
	e.quiet()
	select {
	case ev := <-published:
		var se *ScriptError
		assert.ErrorAs(t, ev.Err, &se)
		assert.Nil(t, ev.Worker, "the event published is the worker's own")
	default:
		t.Fatal("nothing was published on the EventStream")
	}
	assert.Empty(t, published, "published more than once")
	assert.Empty(t, atCreator, "the creator got it more than once")
	assert.Equal(t, 1, strings.Count(logs.String(), "Uncaught Error: once"), "logged:\n%s", logs.String())
}
