package actors_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Misuse returns typed errors (matching the DOMException sentinels of the
// messages package) and changes nothing; nothing panics.
func TestMisuseErrorsAreTyped(t *testing.T) {
	e := newEnv(t)
	type result struct {
		name string
		err  error
	}
	results := make(chan []result, 1)
	var frame *actors.WindowProxy
	var worker *actors.Worker
	made := make(chan struct{}) // closed once frame and worker are set
	creator := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			var err error
			frame, err = actors.CreateIFrame(ctx, origin.MustParse("https://f.example"), actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
			require.NoError(t, err)
			worker, err = actors.NewWorker(ctx, actors.Func(func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Started); ok {
					var rs []result
					rs = append(rs, result{"window.postMessage from a worker", actors.WindowOf(ctx.Self()).PostMessage(ctx, 1, "*")})
					_, err := actors.CreateIFrame(ctx, origin.MustParse("https://x.example"), actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
					rs = append(rs, result{"CreateIFrame from a worker", err})
					results <- rs // a Go channel: errors are not for cloning
				}
			}), actors.WorkerOptions{})
			require.NoError(t, err)
			close(made)
		}
	})
	var fromWorker []result
	select {
	case fromWorker = <-results:
	case <-e.ctx().Done():
		t.Fatal("the worker did not report")
	}
	select {
	case <-made:
	case <-e.ctx().Done():
		t.Fatal("the creator did not finish its Started")
	}
	require.NotNil(t, worker)
	var rs []result
	other := e.spawnWindow("https://a.example", func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); !ok {
			return
		}
		var nilProxy *actors.WindowProxy
		var nilWorker *actors.Worker
		rs = append(rs,
			result{"Terminate by another context", worker.Terminate(ctx)},
			result{"Worker.PostMessage by another context", worker.PostMessage(ctx, 1)},
			result{"RemoveIFrame of another's frame", actors.RemoveIFrame(ctx, frame)},
			result{"RemoveIFrame(nil)", actors.RemoveIFrame(ctx, nil)},
			result{"WorkerPostMessage from a window", actors.WorkerPostMessage(ctx, 1)},
			result{"nil WindowProxy", nilProxy.PostMessage(ctx, 1, "*")},
			result{"nil Worker PostMessage", nilWorker.PostMessage(ctx, 1)},
			result{"nil Worker Terminate", nilWorker.Terminate(ctx)},
		)
		_, err := actors.SetTimeout(ctx, time.Second, nil)
		rs = append(rs, result{"SetTimeout(nil)", err})
		_, err = actors.NewSharedWorker(ctx, "", "", func() actor.Actor { return actor.ReceiveFunc(func(actor.Context) {}) })
		rs = append(rs, result{"NewSharedWorker empty script: SyntaxError", err})
		_, err = actors.CreateIFrame(ctx, origin.Origin{}, actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
		rs = append(rs, result{"CreateIFrame zero origin: SyntaxError", err})
		_, err = actors.NewWorker(ctx, nil, actors.WorkerOptions{})
		rs = append(rs, result{"NewWorker nil producer", err})
		e.report(ctx, "done")
	})
	assert.Equal(t, "done", e.next())
	rs = append(fromWorker, rs...)
	for _, r := range rs {
		want := messages.ErrInvalidState
		if strings.Contains(r.name, "SyntaxError") {
			want = messages.ErrSyntax
		}
		assert.ErrorIs(t, r.err, want, r.name)
	}
	// Nothing changed: the worker and the frame are alive.
	e.quiet()
	assert.Equal(t, 5, e.plugin.Contexts(), "two windows, the frame, the worker, the bridge")
	_, err := actors.NewWorker(nil, actors.Func(func(actor.Context) {}), actors.WorkerOptions{})
	assert.ErrorIs(t, err, messages.ErrInvalidState, "a nil actor context")
	_, err = e.plugin.NewBridge(origin.Origin{})
	assert.ErrorIs(t, err, messages.ErrSyntax)
	_, _ = creator, other
}

// Calls that need a context fail cleanly elsewhere.
func TestCallsOutsideContexts(t *testing.T) {
	e := newEnv(t)
	pid := e.sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			_, err1 := actors.NewWorker(ctx, actors.Func(func(actor.Context) {}), actors.WorkerOptions{})
			_, err2 := actors.SetTimeout(ctx, time.Second, func(actor.Context) {})
			err3 := actors.Close(ctx)
			_, err4 := actors.CreateIFrame(ctx, origin.MustParse("https://a.example"), actors.Func(func(actor.Context) {}), actors.IFrameOptions{})
			e.report(ctx, errors.Is(err1, messages.ErrInvalidState) && errors.Is(err2, messages.ErrInvalidState) &&
				errors.Is(err3, messages.ErrInvalidState) && errors.Is(err4, messages.ErrInvalidState) && actors.ScopeOf(ctx) == nil)
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware)))
	assert.Equal(t, true, e.next())
	e.sys.Root.Stop(pid)
}

// Plugin.Run on something that is not a live context returns at once
// with an InvalidStateError instead of waiting for its ctx.
func TestRunOnDeadContext(t *testing.T) {
	e := newEnv(t)
	w := e.spawnWindow("https://a.example", func(actor.Context) {})
	require.NoError(t, e.plugin.Run(e.ctx(), w, func(actor.Context) error { return nil }))
	e.plugin.Destroy(e.sys.Root, w)
	require.Eventually(t, func() bool { return e.plugin.Contexts() == 1 }, wait, time.Millisecond)
	start := time.Now()
	err := e.plugin.Run(e.ctx(), w, func(actor.Context) error { return nil })
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	plain := e.sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	err = e.plugin.Run(e.ctx(), plain, func(actor.Context) error { return nil })
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	assert.Less(t, time.Since(start), time.Second)
	e.sys.Root.Stop(plain)
}
