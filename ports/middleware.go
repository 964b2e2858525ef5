package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/stackpad"
	"github.com/entangle-go/entangle/internal/wire"
)

// ReceiverMiddleware lets an actor own MessagePorts. Add it to the actor's
// props with one line:
//
//	props := actor.PropsFromProducer(newMyActor,
//		actor.WithReceiverMiddleware(ports.ReceiverMiddleware))
//
// It does four things before the actor's own Receive runs:
//
//   - it turns the notifications of the actor's ports into MessageEvent,
//     MessageErrorEvent and CloseEvent messages, one Receive each (or runs
//     the handler set with OnMessage or OnData);
//   - it adopts the ports that arrive inside a message (spawns their
//     successors as this actor's children) before the actor sees the event;
//   - it hides the port actors' own lifecycle (their Terminated messages)
//     from the actor;
//   - it makes stopping safe. A PoisonPill (graceful stop) closes the
//     actor's open ports and waits until the ports it posted away have
//     reached their new owners and its closed ports have said goodbye;
//     only then does the actor stop. No user message is processed in
//     between. A hard Stop or a restart closes the open ports first and
//     then lets protoactor stop the port actors: ports that were still in
//     transit from this actor are lost and their peers get a CloseEvent.
//
// It also reports misuse (see the package documentation, Observability): a
// *MessagePort that arrives as a plain message (PortSentOutside) and an
// owner spawned before remote.Start (OwnerNotReachable). It adds no failure
// handling: a panic goes to protoactor's supervision, and the parent's
// directive decides what becomes of the ports (package documentation,
// Failures and supervision).
//
// The actor's ports belong to the actor system's extension (see Get),
// which lives until ports.Unregister; the actors package's Plugin.Shutdown
// leaves it in place, so an actor with this middleware keeps its ports
// and the Stats keep counting after it.
//
// Put it after middleware that must see every raw message (tracing,
// logging) and before middleware that should see the events. For a port
// with an OnMessage handler, the envelope protoactor gave the middleware
// holds the handler's *MessageEvent when the handler runs (and after); with
// an OnData handler, it holds the data.
func ReceiverMiddleware(next actor.ReceiverFunc) actor.ReceiverFunc {
	receive := portsReceive(next)
	return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
		c, _ := noteOf(env.Message)
		if c != nil {
			// A port's messages take the deep path (events, the
			// user's Receive, often a post): room for it at once.
			stackpad.Presize()
		}
		receive(rc, env)
		var o *owner
		if c != nil {
			o = c.own // the common case, without ownerOf's lookup
		} else {
			o = ownerOf(rc)
		}
		if o != nil && o.far.touched {
			// The turn is over: posts to other nodes gathered in it
			// leave now (farrun.go).
			o.flushFar(rc.(actor.SenderContext))
		}
	}
}

// portsReceive is what ReceiverMiddleware does with each message.
func portsReceive(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
		if c, batch := noteOf(env.Message); c != nil {
			if o := c.own; o != nil && !o.draining && !o.stopping {
				o.checkAddress()
				if batch {
					o.onBatch(rc.(actor.Context), c, next, env)
				} else {
					o.onDeliver(rc.(actor.Context), c, next, env)
				}
			}
			return
		}
		switch m := env.Message.(type) {
		case *overflowClosed:
			if o := m.core.own; o != nil {
				// The owner hears of it in every mode: it forgets the
				// handle (OpenPorts).
				o.forget(m.core)
				o.deliverClose(rc, next, nil, m.core, CloseOverflow)
			}
			return
		case *selfClosed:
			if o := m.core.own; o != nil {
				o.deliverClose(rc, next, nil, m.core, CloseSelf)
			}
			return
		case *MessageErrorEvent:
			if d := m.direct; d != nil {
				// A PostTo that carried ports (see sendDirect):
				// dispatch the message it holds.
				m.direct = nil
				o := ownerOf(rc)
				if o == nil {
					m.direct = d
					next(rc, env)
					return
				}
				o.checkAddress()
				o.onDirect(rc.(actor.Context), d, next)
				return
			}
			if o := ownerOf(rc); o != nil && (o.draining || o.stopping) {
				return
			}
		case *wire.Direct:
			o := ownerOf(rc)
			if o == nil {
				next(rc, env)
				return
			}
			o.checkAddress()
			o.onDirect(rc.(actor.Context), env.Message, next)
			return
		case *actor.Started:
			o := ownerOf(rc)
			if o == nil {
				ext := Get(rc.ActorSystem())
				o = newOwner(ext, rc.Self())
				rc.Set(o)
			}
			o.draining, o.poisoned, o.stopping = false, false, false
			o.ext.ownerStarted(o)
			next(rc, env)
			return
		case *actor.Stopped:
			if o := ownerOf(rc); o != nil {
				// After the actor's own code, even if it panics: what
				// it sends as it stops comes before the news
				// (localwatch.go).
				defer o.ext.ownerStopped(rc.(actor.Context), o)
			}
			next(rc, env)
			return
		case *actor.Terminated:
			if o := ownerOf(rc); o != nil {
				if o.isPortChild(m.GetWho()) {
					o.onChildGone(rc.(actor.Context), m.GetWho())
					return
				}
			}
		case *actor.PoisonPill:
			if o := ownerOf(rc); o != nil {
				if o.onPoison(rc.(actor.Context)) {
					next(rc, env)
				}
				return
			}
		case *actor.Stopping, *actor.Restarting:
			if o := ownerOf(rc); o != nil {
				o.onHardStop(rc.(actor.Context))
			}
		default:
			if o := ownerOf(rc); o != nil {
				if o.draining || o.stopping {
					// The actor is on its way out: its code does
					// not run again.
					return
				}
				o.checkAddress()
				o.checkStray(rc.Self(), env.Sender, env.Message)
				if ev, ok := env.Message.(*MessageEvent); ok && o.raw {
					// Posted straight here by Go code in this process
					// (sendDirect, sendDirectValue): a raw owner gets the
					// value as *rawmsg.Raw.
					rawDirect(ev)
				}
			}
		}
		next(rc, env)
	}
}

// onChildGone notes that one of this actor's port actors has stopped.
func (o *owner) onChildGone(ctx actor.Context, who *actor.PID) {
	o.children--
	if o.poisoned && o.children == 0 {
		o.poisoned = false
		ctx.Stop(ctx.Self())
	}
}

// onPoison starts a graceful stop. It reports whether the PoisonPill can go
// on to protoactor now (no port actors left).
func (o *owner) onPoison(ctx actor.Context) bool {
	if !o.draining {
		o.draining = true
		o.closeAll(ctx)
	}
	if o.children == 0 {
		return true
	}
	o.poisoned = true
	return false
}

// onHardStop closes the open ports before protoactor stops the port actors,
// so their peers see an ordinary close where that is still possible.
func (o *owner) onHardStop(ctx actor.Context) {
	if o.stopping {
		return
	}
	o.stopping = true
	o.closeAll(ctx)
}
