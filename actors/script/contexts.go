package script

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
)

// The contexts that run a script: each is the actors package's context of
// that kind (lifecycle, origins, ports, nesting, remote, close and
// terminate are the actors package's), whose actor hosts a JavaScript
// realm that runs src, in order, in its first task.

// producer makes the realm actor of a context running src.
func producer(src []Source) actor.Producer { return producerAt("", src) }

// producerAt is producer for a realm whose location is url ("" for the
// origin's root).
func producerAt(url string, src []Source) actor.Producer {
	src = append([]Source(nil), src...)
	return func() actor.Actor { return &realm{sources: src, url: url} }
}

// WindowProps returns the Props of a top-level window with origin o whose
// realm runs src (see actors.WindowProps).
func WindowProps(o origin.Origin, src ...Source) *actor.Props {
	return actors.WindowProps(o, producer(src))
}

// CreateIFrame creates an iframe of the calling browsing context whose
// realm runs src (see actors.CreateIFrame).
func CreateIFrame(ctx actor.Context, o origin.Origin, opts actors.IFrameOptions, src ...Source) (*actors.WindowProxy, error) {
	return actors.CreateIFrame(ctx, o, producer(src), opts)
}

// NewWorker starts a dedicated worker of the calling context whose realm
// runs src (see actors.NewWorker). The worker's uncaught exceptions that
// its script does not cancel reach the creator as actors.ErrorEvent
// values whose Err is a *ScriptError.
func NewWorker(ctx actor.Context, opts actors.WorkerOptions, src ...Source) (*actors.Worker, error) {
	return actors.NewWorker(ctx, producer(src), opts)
}

// NewSharedWorker connects the calling context to the shared worker
// (scriptURL, name) of its origin, starting one whose realm runs src if
// there is none (see actors.NewSharedWorker). Each connection is a
// connect event at the worker's global.
func NewSharedWorker(ctx actor.Context, scriptURL, name string, src ...Source) (*actors.SharedWorker, error) {
	return actors.NewSharedWorker(ctx, scriptURL, name, producerAt(scriptURL, src))
}
