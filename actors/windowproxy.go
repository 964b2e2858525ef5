package actors

import (
	"github.com/asynkron/protoactor-go/actor"
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
	if !s.behaviour.browsing() {
		return newError(messages.ErrInvalidState, "postMessage: a "+s.behaviour.kind().String()+" has no window.postMessage; use a MessagePort")
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
