package actors

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
)

// Scope describes the context an actor plays, what the web keeps on its
// global object (window or self). Get it with ScopeOf from inside the
// context's Receive.
type Scope struct {
	s *contextState
}

// ScopeOf returns the Scope of the context behind ctx, or nil if ctx is not
// a context of the plugin.
func ScopeOf(ctx actor.Context) *Scope {
	if ctx == nil {
		return nil
	}
	s := stateOf(ctx)
	if s == nil {
		return nil
	}
	return &Scope{s: s}
}

// Kind returns the kind of the context.
func (g *Scope) Kind() Kind { return g.s.behaviour.kind() }

// Origin returns the context's origin (a worker has its creator's).
func (g *Scope) Origin() origin.Origin { return g.s.origin }

// Self returns the context's PID.
func (g *Scope) Self() *actor.PID { return g.s.self }

// Parent is window.parent: the browsing context that created this iframe;
// a top-level window is its own parent. It is nil for workers.
func (g *Scope) Parent() *WindowProxy {
	switch {
	case !g.s.behaviour.browsing():
		return nil
	case g.s.parent != nil: // an iframe
		return WindowOf(g.s.parent.self)
	}
	return WindowOf(g.s.self)
}

// Top is window.top: the top-level window of this browsing context (itself
// for a window). It is nil for workers.
func (g *Scope) Top() *WindowProxy {
	if !g.s.behaviour.browsing() {
		return nil
	}
	return WindowOf(g.s.top)
}

// Closing reports whether the context is being destroyed (its queued
// tasks are being discarded).
func (g *Scope) Closing() bool { return g.s.closing.Load() }

// contextOf returns the plugin state of the calling context, or an
// InvalidStateError naming the call.
func contextOf(ctx actor.Context, call string) (*contextState, error) {
	if ctx == nil || ctx.Self() == nil {
		return nil, newError(messages.ErrInvalidState, call+" is called from inside a context's Receive")
	}
	s := stateOf(ctx)
	if s == nil {
		return nil, newError(messages.ErrInvalidState, fmt.Sprintf("%s: actor %s is not a context of the entangle plugin (spawn it from WindowProps, CreateIFrame, NewWorker or NewSharedWorker)", call, ctx.Self()))
	}
	return s, nil
}

// Close is window.close() and the worker's self.close(): the calling
// context finishes its current task (what it posted is still delivered),
// then its queued tasks are discarded and it is destroyed: its nested
// contexts first, then its ports close (their peers get a CloseEvent after
// the messages already posted) and the ports it posted away finish their
// transfer. Calling it again does nothing more.
func Close(ctx actor.Context) error {
	s, err := contextOf(ctx, "Close")
	if err != nil {
		return err
	}
	if !s.closing.Load() {
		s.requestDestroy(ctx)
	}
	return nil
}

// Destroy destroys the context pid from outside, as closing its window
// does; code outside any actor may call it with system.Root. It is Close
// for someone else: the context's queued tasks are discarded. Destroying a
// PID that is not a live context of the plugin does nothing.
func (p *Plugin) Destroy(sender actor.SenderContext, pid *actor.PID) {
	p.mu.Lock()
	s := p.contexts[pid.GetId()]
	p.mu.Unlock()
	if s != nil {
		s.requestDestroy(sender)
	}
}
