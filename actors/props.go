package actors

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

// spec is what a context's Props know about the contexts they spawn: a
// template for windows (each spawn gets a fresh scope), or the one scope
// prepared by the creator of a nested context or worker.
type spec struct {
	kind   Kind
	origin origin.Origin
	name   string
	made   *scope // prepared by the creator; used by one spawn only
	bridge *Bridge
}

// newScope returns the scope of a context that is starting.
func (sp *spec) newScope(ctx actor.Context) *scope {
	if s := sp.made; s != nil {
		sp.made = nil
		if s.self == nil {
			s.self = ctx.Self()
		}
		return s
	}
	s := &scope{
		plugin: Get(ctx.ActorSystem()),
		kind:   sp.kind,
		origin: sp.origin,
		name:   sp.name,
		self:   ctx.Self(),
		bridge: sp.bridge,
	}
	s.top = s.self
	return s
}

// contextProps builds the Props of a context: the user's producer, the
// plugin's middleware around the ports middleware, then the user's own
// options (middleware, dispatcher, mailbox...).
func contextProps(sp *spec, producer actor.Producer, opts []actor.PropsOption) *actor.Props {
	all := make([]actor.PropsOption, 0, len(opts)+3)
	all = append(all,
		actor.WithReceiverMiddleware(taskMiddleware(sp), ports.ReceiverMiddleware, eventMiddleware),
		actor.WithSpawnFunc(spawner),
		actor.WithContextDecorator(guardContinuations))
	all = append(all, opts...)
	return actor.PropsFromProducer(producer, all...)
}

// WindowProps returns the Props of a top-level browsing context (a window)
// with the given origin, running the actor that producer makes. Spawn it
// like any Props (system.Root.Spawn, SpawnNamed, or from another actor);
// opts come after the plugin's own and may add middleware (it sees the
// events after the plugin), a dispatcher or a mailbox.
//
// Each spawn is a new window with that origin. Pass origin.Opaque() for a
// sandboxed window.
func WindowProps(o origin.Origin, producer actor.Producer, opts ...actor.PropsOption) *actor.Props {
	return contextProps(&spec{kind: KindWindow, origin: o}, producer, opts)
}

// WindowFunc is WindowProps for a receive function.
func WindowFunc(o origin.Origin, receive actor.ReceiveFunc, opts ...actor.PropsOption) *actor.Props {
	return WindowProps(o, func() actor.Actor { return receive }, opts...)
}

// Func turns a receive function into a producer, for CreateIFrame,
// NewWorker and NewSharedWorker.
func Func(receive actor.ReceiveFunc) actor.Producer {
	return func() actor.Actor { return receive }
}
