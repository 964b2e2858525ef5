package actors

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

// spec is what a context's Props know about the contexts they spawn: a
// template for windows and bridges (each spawn gets a fresh state and
// behaviour), or the one state prepared by the creator of a nested context
// or a shared worker.
type spec struct {
	behaviour func() behaviour // a fresh behaviour for each spawn of a template
	origin    origin.Origin
	made      *contextState // prepared by the creator; used by one spawn only
}

// newState returns the state of a context that is starting.
func (sp *spec) newState(ctx actor.Context) *contextState {
	if s := sp.made; s != nil {
		sp.made = nil
		if s.self == nil {
			s.self = ctx.Self()
		}
		return s
	}
	s := &contextState{
		plugin:    Get(ctx.ActorSystem()),
		behaviour: sp.behaviour(),
		origin:    sp.origin,
		self:      ctx.Self(),
	}
	s.top = s.self
	return s
}

// contextDispatcher runs contexts as protoactor's default dispatcher does
// (a new goroutine per mailbox run), with the goroutine's stack grown for a
// context's deep path before the run (see ports.NewGoroutineDispatcher).
var contextDispatcher = ports.NewGoroutineDispatcher(0)

// contextProps builds the Props of a context: the user's producer, the
// plugin's middleware around the ports middleware, contextDispatcher and
// the contexts' mailbox (mailbox.go), then the user's own options
// (middleware, dispatcher, mailbox...), which win.
func contextProps(sp *spec, producer actor.Producer, opts []actor.PropsOption) *actor.Props {
	all := make([]actor.PropsOption, 0, len(opts)+5)
	all = append(all,
		actor.WithReceiverMiddleware(taskMiddleware(sp), ports.ReceiverMiddleware, eventMiddleware),
		actor.WithSpawnFunc(spawner),
		actor.WithContextDecorator(guardContinuations),
		actor.WithDispatcher(contextDispatcher),
		actor.WithMailbox(newContextMailbox))
	all = append(all, opts...)
	return actor.PropsFromProducer(producer, all...)
}

// Func turns a receive function into a producer, for CreateIFrame,
// NewWorker and NewSharedWorker.
func Func(receive actor.ReceiveFunc) actor.Producer {
	return func() actor.Actor { return receive }
}
