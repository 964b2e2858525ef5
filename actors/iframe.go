package actors

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
)

// iframe is the behaviour of a nested browsing context: a browsing context
// whose parent is the context that created it (see Scope.Parent).
type iframe struct{ plainKind }

func (iframe) kind() Kind     { return KindIFrame }
func (iframe) browsing() bool { return true }

// IFrameOptions configure CreateIFrame.
type IFrameOptions struct {
	// Sandbox gives the frame an opaque origin (the sandbox attribute
	// without allow-same-origin), whatever origin was passed.
	Sandbox bool
	// Name is the frame's actor name under its parent; "" picks one.
	Name string
}

// CreateIFrame creates a nested browsing context (an iframe) of the
// calling browsing context, with the given origin (possibly cross-origin),
// running the actor that producer makes. The frame is a child actor of the
// caller: destroying the caller destroys it. Its Scope's Parent is the
// caller and Top the caller's top. The caller posts to it through the
// returned proxy and removes it with RemoveIFrame.
//
// opts configure the frame; props options (middleware, dispatcher) come
// after the plugin's own.
func CreateIFrame(ctx actor.Context, o origin.Origin, producer actor.Producer, opts IFrameOptions, props ...actor.PropsOption) (*WindowProxy, error) {
	s, err := contextOf(ctx, "CreateIFrame")
	if err != nil {
		return nil, err
	}
	if !s.behaviour.browsing() {
		return nil, newError(messages.ErrInvalidState, "CreateIFrame: only browsing contexts embed frames, not a "+s.behaviour.kind().String())
	}
	if s.closing.Load() {
		return nil, newError(messages.ErrInvalidState, "CreateIFrame: the context is being destroyed")
	}
	if opts.Sandbox {
		o = origin.Opaque()
	}
	if o.IsZero() {
		return nil, newError(messages.ErrSyntax, "CreateIFrame: the zero Origin; use origin.Parse or origin.Opaque")
	}
	top := s.top
	if top == nil {
		top = s.self
	}
	child := &contextState{plugin: s.plugin, behaviour: iframe{}, origin: o, parent: s, top: top}
	pid, err := s.spawnChild(ctx, child, "iframe", opts.Name, producer, props)
	if err != nil {
		return nil, err
	}
	return WindowOf(pid), nil
}

// RemoveIFrame removes a frame the calling context created: the frame is
// destroyed (see Close). It returns an InvalidStateError if frame is not a
// live frame of the caller.
func RemoveIFrame(ctx actor.Context, frame *WindowProxy) error {
	s, err := contextOf(ctx, "RemoveIFrame")
	if err != nil {
		return err
	}
	if frame == nil {
		return newError(messages.ErrInvalidState, "RemoveIFrame: nil frame")
	}
	c, ok := s.children[frame.pid.GetId()]
	if !ok || c.behaviour.kind() != KindIFrame {
		return newError(messages.ErrInvalidState, fmt.Sprintf("RemoveIFrame: %s is not a frame of %s", frame.pid, ctx.Self()))
	}
	c.requestDestroy(ctx)
	return nil
}
