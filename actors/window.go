package actors

import (
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/messages"
)

// WindowProxy is a reference to a browsing context that another context
// can post to: what CreateIFrame returns, Scope.Parent and Scope.Top, and
// WindowOf(ev.Source) for the sender of a window message. It holds only a
// PID and may be copied and shared.
type WindowProxy struct {
	pid *actor.PID
}

// WindowOf returns a proxy for the browsing context pid (nil for nil).
func WindowOf(pid *actor.PID) *WindowProxy {
	if pid == nil {
		return nil
	}
	return &WindowProxy{pid: pid}
}

// PID returns the context's PID.
func (w *WindowProxy) PID() *actor.PID { return w.pid }

// String returns the PID's form.
func (w *WindowProxy) String() string { return "window " + w.pid.String() }

// WindowPostMessageOptions is the options form of window.postMessage.
type WindowPostMessageOptions struct {
	// TargetOrigin is "*", "/" (the sender's own origin) or an origin or
	// URL; "" means "/", as the standard's default does.
	TargetOrigin string
	// Transfer lists the objects to transfer.
	Transfer []messages.Transferable
}

// PostMessage is window.postMessage(message, targetOrigin, transfer): it
// posts a structured clone of data to the browsing context w, from the
// calling browsing context (a window, iframe or Bridge).
//
// targetOrigin is "*" (any receiver), "/" (the sender's own origin), or an
// origin or URL, which is reduced to its origin. A value that does not
// parse is an error matching messages.ErrSyntax, returned before anything
// is serialized or transferred. The receiver checks the origin when the
// message arrives: if its origin differs, the message is dropped silently,
// after the transfer has happened (transferred buffers stay detached at the
// sender; transferred ports are closed), as the standard says.
//
// The receiver gets a *ports.MessageEvent with Data, Origin (the sender's
// origin, "null" if opaque), Source (the sender's PID: reply with
// WindowOf(ev.Source)) and Ports (already its own). Clone and transfer
// errors are those of ports.PostTo; a failed post transfers nothing.
func (w *WindowProxy) PostMessage(ctx actor.Context, data any, targetOrigin string, transfer ...messages.Transferable) error {
	return w.post(ctx, data, targetOrigin, transfer)
}

// PostMessageWithOptions is window.postMessage(message, options); an empty
// TargetOrigin means "/".
func (w *WindowProxy) PostMessageWithOptions(ctx actor.Context, data any, opts WindowPostMessageOptions) error {
	target := opts.TargetOrigin
	if target == "" {
		target = "/"
	}
	return w.post(ctx, data, target, opts.Transfer)
}

func (w *WindowProxy) post(ctx actor.Context, data any, target string, transfer []messages.Transferable) error {
	s, err := contextOf(ctx, "postMessage")
	if err != nil {
		return err
	}
	if !s.kind.isBrowsing() {
		return newError(messages.ErrInvalidState, "postMessage: a "+s.kind.String()+" has no window.postMessage; use a MessagePort")
	}
	if w == nil || w.pid == nil {
		return newError(messages.ErrInvalidState, "postMessage: nil window")
	}
	key, err := resolveTargetOrigin(target, s.origin)
	if err != nil {
		return err
	}
	return contextmsg.PostTo(ctx, w.pid, data, contextmsg.Options{
		Meta:   contextmsg.Meta{Kind: kindWindowMessage, TargetOrigin: key},
		Origin: s.origin.String(),
		Source: ctx.Self(),
	}, transfer)
}

// IFrameOptions configure CreateIFrame.
type IFrameOptions struct {
	// Sandbox gives the frame an opaque origin (the sandbox attribute
	// without allow-same-origin), whatever origin was passed.
	Sandbox bool
	// Name is the frame's actor name under its parent; "" picks one.
	Name string
}

var childSeq atomic.Uint64

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
	if !s.kind.isBrowsing() {
		return nil, newError(messages.ErrInvalidState, "CreateIFrame: only browsing contexts embed frames, not a "+s.kind.String())
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
	child := &scope{plugin: s.plugin, kind: KindIFrame, origin: o, parent: s, top: s.top}
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
	if !ok || c.kind != KindIFrame {
		return newError(messages.ErrInvalidState, fmt.Sprintf("RemoveIFrame: %s is not a frame of %s", frame.pid, ctx.Self()))
	}
	c.requestDestroy(ctx)
	return nil
}

// spawnChild spawns a nested context of s (an iframe or a dedicated
// worker) as a child actor, with its scope prepared here.
func (s *scope) spawnChild(ctx actor.Context, child *scope, prefix, name string, producer actor.Producer, props []actor.PropsOption) (*actor.PID, error) {
	if producer == nil {
		return nil, newError(messages.ErrInvalidState, "a context needs a producer")
	}
	if name == "" {
		name = prefix + "-" + strconv.FormatUint(childSeq.Add(1), 36)
	}
	// protoactor names a child parent/name; knowing the PID before the
	// spawn lets the scope be complete before the child runs.
	child.self = actor.NewPID(ctx.ActorSystem().Address(), ctx.Self().GetId()+"/"+name)
	if child.kind == KindIFrame && child.top == nil {
		child.top = s.self
	}
	pid, err := ctx.SpawnNamed(contextProps(&spec{made: child}, producer, props), name)
	if err != nil {
		return nil, fmt.Errorf("actors: spawning %s: %w", name, err)
	}
	if s.children == nil {
		s.children = make(map[string]*scope)
	}
	s.children[pid.GetId()] = child
	return pid, nil
}
