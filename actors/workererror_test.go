package actors_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// panicky is a worker's code that panics with the data of every message
// from its creator, and on its own ErrorEvent reports what it saw to the
// bridge and calls PreventDefault if the error says "handled".
func panicky(e *env, name string) actor.Producer {
	return actors.Func(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *ports.MessageEvent:
			panic(m.Data)
		case *actors.ErrorEvent:
			if m.Err.Error() == "handled" {
				m.PreventDefault()
			}
			e.report(ctx, fmt.Sprintf("%s saw %v (worker %v, prevented %v)", name, m.Err, m.Worker != nil, m.DefaultPrevented()))
		}
	})
}

// An uncaught exception in a dedicated worker reaches its creator as the
// HTML Standard's "report an exception" says: the worker's own ErrorEvent
// first; unless the worker calls PreventDefault while handling it, an
// ErrorEvent for that Worker in the creator (Worker set, Context the
// worker, no Message). PreventDefault outside the context's handling (an
// EventStream subscriber) does nothing.
func TestWorkerErrorReachesTheCreator(t *testing.T) {
	e := newEnv(t)
	sub := e.sys.EventStream.Subscribe(func(ev any) {
		if m, ok := ev.(*actors.ErrorEvent); ok {
			m.PreventDefault() // not the context's code: no effect
		}
	})
	defer e.sys.EventStream.Unsubscribe(sub)
	var w *actors.Worker
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			var err error
			w, err = actors.NewWorker(ctx, panicky(e, "worker"), actors.WorkerOptions{})
			require.NoError(t, err)
		case *ports.MessageEvent:
			require.NoError(t, w.PostMessage(ctx, m.Data))
		case *actors.ErrorEvent:
			e.report(ctx, fmt.Sprintf("window saw %v (from its worker %v, context is the worker %v, message %v)",
				m.Err, m.Worker == w, m.Context.Equal(w.PID()), m.Message))
		}
	})
	require.NoError(t, e.bridge.PostTo(e.ctx(), e.windowPID(), "unhandled"))
	assert.Equal(t, "worker saw unhandled (worker false, prevented false)", e.next())
	assert.Equal(t, "window saw unhandled (from its worker true, context is the worker true, message <nil>)", e.next())

	require.NoError(t, e.bridge.PostTo(e.ctx(), e.windowPID(), "handled"))
	assert.Equal(t, "worker saw handled (worker false, prevented true)", e.next())
	// The worker's reports reach the window in order: had "handled" gone
	// on, it would come before this one.
	require.NoError(t, e.bridge.PostTo(e.ctx(), e.windowPID(), "unhandled again"))
	assert.Equal(t, "worker saw unhandled again (worker false, prevented false)", e.next())
	assert.Equal(t, "window saw unhandled again (from its worker true, context is the worker true, message <nil>)", e.next())
}

// Two levels: an error the inner worker does not handle reaches the outer
// worker (its creator); if the outer worker does not handle it either, it
// goes on to the window, as the web reports it on the outer worker's
// global scope and from there to its Worker object. Handled in the outer
// worker, it stops there.
func TestWorkerErrorPropagatesUpNestedWorkers(t *testing.T) {
	e := newEnv(t)
	var inner *actors.Worker
	outer := actors.Func(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			var err error
			inner, err = actors.NewWorker(ctx, panicky(e, "inner"), actors.WorkerOptions{Name: "inner"})
			require.NoError(t, err)
		case *ports.MessageEvent:
			require.NoError(t, inner.PostMessage(ctx, m.Data))
		case *actors.ErrorEvent:
			if m.Err.Error() == "stops at outer" {
				m.PreventDefault()
			}
			e.report(ctx, fmt.Sprintf("outer saw %v (from inner %v, context is inner %v)", m.Err, m.Worker == inner, m.Context.Equal(inner.PID())))
		}
	})
	var w *actors.Worker
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			var err error
			w, err = actors.NewWorker(ctx, outer, actors.WorkerOptions{Name: "outer"})
			require.NoError(t, err)
		case *ports.MessageEvent:
			require.NoError(t, w.PostMessage(ctx, m.Data))
		case *actors.ErrorEvent:
			e.report(ctx, fmt.Sprintf("window saw %v (from outer %v, context %s)", m.Err, m.Worker == w, m.Context.GetId()))
		}
	})
	windowID := e.windowPID().GetId()
	for _, tt := range []struct {
		err  string
		want []string
	}{
		{"deep", []string{
			"inner saw deep (worker false, prevented false)",
			"outer saw deep (from inner true, context is inner true)",
			"window saw deep (from outer true, context " + windowID + "/outer/inner)",
		}},
		{"stops at outer", []string{
			"inner saw stops at outer (worker false, prevented false)",
			"outer saw stops at outer (from inner true, context is inner true)",
		}},
		{"handled", []string{"inner saw handled (worker false, prevented true)"}},
		{"deep again", []string{ // nothing of the two above came before it
			"inner saw deep again (worker false, prevented false)",
			"outer saw deep again (from inner true, context is inner true)",
			"window saw deep again (from outer true, context " + windowID + "/outer/inner)",
		}},
	} {
		require.NoError(t, e.bridge.PostTo(e.ctx(), e.windowPID(), tt.err))
		for _, want := range tt.want {
			assert.Equal(t, want, e.next())
		}
	}
}

// Nothing of a worker reaches its creator after Terminate, its errors
// included.
func TestNoWorkerErrorAfterTerminate(t *testing.T) {
	e := newEnv(t)
	reported := make(chan struct{})
	e.spawnWindow("https://a.example", func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, err := actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				switch ctx.Message().(type) {
				case *actor.Started:
					panic("at start")
				case *actors.ErrorEvent:
					close(reported) // the error goes on once this returns
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
			<-reported
			require.NoError(t, w.Terminate(ctx))
		case *actors.ErrorEvent:
			e.report(ctx, fmt.Sprint("window saw ", m.Err))
		}
	})
	e.quiet()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	left, err := e.bridge.Next(done)
	assert.Error(t, err, "nothing reached the window: %v", left)
	assert.Equal(t, 2, e.plugin.Contexts(), "window and bridge")
}
