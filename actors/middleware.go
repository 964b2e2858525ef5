package actors

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/internal/stackpad"
	"github.com/entangle-go/entangle/ports"
)

// taskMiddleware is the outer layer of a context: it keeps the plugin's
// books (registration, nested contexts, timers, destruction) and runs
// every task under the uncaught-exception guard. It sits before the ports
// middleware.
func taskMiddleware(sp *spec) actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
			stackpad.Presize()
			ctx := rc.(actor.Context)
			s := stateOfTask(rc)
			if s == nil {
				s = sp.newState(ctx)
				rc.Set(s)
			}
			switch m := env.Message.(type) {
			case *actor.Started:
				if err := s.plugin.add(s); err != nil {
					s.closing.Store(true)
				}
				s.guard(ctx, next, env)
				if s.closing.Load() {
					s.beginDestroy(ctx)
				}
				return
			case *destroyReq:
				s.beginDestroy(ctx)
				return
			case *ownerLeaving:
				s.countTask() // actorstest.WaitQuiet sees the worker react
				if s.behaviour.gone(ctx, s, m.who) {
					ctx.Unwatch(m.who)
				}
				return
			case *timerFired:
				if !s.closing.Load() {
					s.fire(ctx, m)
				}
				return
			case *runReq:
				s.run(ctx, m)
				return
			case *ErrorEvent:
				if m.target == s && !s.closing.Load() {
					s.reportError(ctx, next, env, m)
					return
				}
			case *workerError:
				s.onWorkerError(ctx, next, m)
				return
			case *probe:
				// ctx.Sender is not set yet in a middleware.
				if env.Sender != nil {
					ctx.Send(env.Sender, &probeAck{})
				}
				return
			case *actor.PoisonPill:
				if !s.destroying {
					// Someone poisoned the context directly: destroy
					// it the plugin's way (nested contexts first).
					s.beginDestroy(ctx)
					return
				}
				next(rc, env)
				return
			case *actor.Terminated:
				if s.childGone(ctx, m.GetWho()) || s.behaviour.gone(ctx, s, m.GetWho()) {
					return
				}
			case *actor.Stopping:
				// A hard stop (or the end of a destroy): protoactor
				// stops the nested contexts and the port actors.
				s.closing.Store(true)
				s.stopTimers()
				s.leaveSharedWorkers(ctx)
				s.guard(ctx, next, env)
				return
			case *actor.Stopped:
				s.stopTimers()
				s.plugin.remove(s)
				s.behaviour.stopped(s)
				s.guard(ctx, next, env)
				return
			}
			if s.closing.Load() && !s.destroying {
				s.beginDestroy(ctx)
			}
			s.countTask()
			s.guard(ctx, next, env)
		}
	}
}

// eventMiddleware is the inner layer of a context, after the ports
// middleware: it shows the context's kind its Started, the plugin's own
// messages meant for one kind (a worker's implicit port, a shared worker's
// connection) and the close events, so that the kind turns them into the
// events the user's code sees or keeps them; and it applies the origin
// check to window messages.
func eventMiddleware(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
		s := stateOfTask(rc)
		if s == nil {
			next(rc, env)
			return
		}
		ctx := rc.(actor.Context)
		s.task.layered = true
		switch m := env.Message.(type) {
		case *actor.Started:
			if s.closing.Load() {
				return
			}
			if !s.behaviour.started(s, env) {
				return
			}
		case *ports.MessageEvent:
			if s.closing.Load() {
				closeAll(ctx, m.Ports)
				return
			}
			meta := contextmsg.MetaOf(m)
			switch meta.Kind {
			case kindWorkerInit, kindConnect:
				// A message for one kind of context (a worker's
				// implicit port, a shared worker's connection): any
				// other kind closes its ports.
				if !s.behaviour.event(ctx, s, m, meta, s.task.noting(next)) {
					closeAll(ctx, m.Ports)
				}
				return
			case kindWindowMessage:
				if !s.behaviour.browsing() || !accepts(s.origin, meta.TargetOrigin) {
					// HTML: the origin check fails at delivery, after
					// the transfer; the message is dropped silently.
					// Its ports are closed rather than leaked.
					closeAll(ctx, m.Ports)
					s.plugin.dropped.Add(1)
					return
				}
			}
		case *ports.MessageErrorEvent:
			if s.closing.Load() {
				return
			}
			if meta := contextmsg.MetaOf(m); meta.Kind == kindWindowMessage {
				if !s.behaviour.browsing() || !accepts(s.origin, meta.TargetOrigin) {
					// HTML checks the origin before it deserializes: a
					// window message for another origin is dropped, not
					// turned into a messageerror.
					s.plugin.dropped.Add(1)
					return
				}
			}
		case *ports.CloseEvent:
			if s.behaviour.event(ctx, s, m, contextmsg.Meta{}, s.task.noting(next)) {
				return
			}
			if _, ok := s.workers[m.Target]; ok {
				delete(s.workers, m.Target)
				return
			}
		}
		s.task.handle(next, rc, env)
	}
}

// closeAll closes ports the context received but will not hand to its
// code; their peers get a CloseEvent.
func closeAll(ctx actor.Context, ps []*ports.MessagePort) {
	for _, p := range ps {
		_ = p.Close(ctx)
	}
}

// stateOfTask is stateOf for the plugin's middleware: the context that the
// plugin's decorator made (guardContinuations) keeps the state once it has
// been looked up, and protoactor hands the middleware that context unless
// the props add decorators of their own after the plugin's, which wrap it:
// such a context is looked up every time.
func stateOfTask(rc actor.ReceiverContext) *contextState {
	g, ok := rc.(*guardedContext)
	if ok && g.state != nil {
		return g.state
	}
	s := stateOf(rc)
	if ok {
		g.state = s
	}
	return s
}
