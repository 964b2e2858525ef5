package actors

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
)

// window is the behaviour of a top-level browsing context: a browsing
// context that is its own parent and top.
type window struct{ plainKind }

func (window) kind() Kind     { return KindWindow }
func (window) browsing() bool { return true }

// WindowProps returns the Props of a top-level browsing context (a window)
// with the given origin, running the actor that producer makes. Spawn it
// like any Props (system.Root.Spawn, SpawnNamed, or from another actor);
// opts come after the plugin's own and may add middleware (it sees the
// events after the plugin), a dispatcher (the default is
// ports.NewGoroutineDispatcher) or a mailbox.
//
// Each spawn is a new window with that origin. Pass origin.Opaque() for a
// sandboxed window.
func WindowProps(o origin.Origin, producer actor.Producer, opts ...actor.PropsOption) *actor.Props {
	return contextProps(&spec{behaviour: func() behaviour { return window{} }, origin: o}, producer, opts)
}

// WindowFunc is WindowProps for a receive function.
func WindowFunc(o origin.Origin, receive actor.ReceiveFunc, opts ...actor.PropsOption) *actor.Props {
	return WindowProps(o, func() actor.Actor { return receive }, opts...)
}
