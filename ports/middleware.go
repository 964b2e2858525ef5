package ports

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
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
//     the handler set with OnMessage);
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
// Put it after middleware that must see every raw message (tracing,
// logging) and before middleware that should see the events.
func ReceiverMiddleware(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) {
		switch m := env.Message.(type) {
		case *deliver:
			if o := m.core.own; o != nil && !o.draining && !o.stopping {
				if m.batch {
					o.onBatch(rc.(actor.Context), m.core, next, env)
				} else {
					o.onDeliver(rc.(actor.Context), m.core, next, env)
				}
			}
			return
		case *overflowClosed:
			if o := m.core.own; o != nil {
				o.forget(m.core)
				if !o.draining && !o.stopping && o.ext.cfg.closeEvents != CloseEventsNone {
					deliverUser(rc, next, &CloseEvent{Target: &m.core.handle, Reason: CloseOverflow})
				}
			}
			return
		case *selfClosed:
			if o := m.core.own; o != nil && !o.draining && !o.stopping {
				deliverUser(rc, next, &CloseEvent{Target: &m.core.handle, Reason: CloseSelf})
			}
			return
		case *localDirect, *wire.Direct:
			o := ownerOf(rc)
			if o == nil {
				next(rc, env)
				return
			}
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
			next(rc, env)
			return
		case *actor.Terminated:
			if o := ownerOf(rc); o != nil {
				if _, mine := o.children[m.GetWho().GetId()]; mine {
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
			if o := ownerOf(rc); o != nil && (o.draining || o.stopping) {
				// The actor is on its way out: its code does not run
				// again.
				return
			}
		}
		next(rc, env)
	}
}

func deliverUser(rc actor.ReceiverContext, next actor.ReceiverFunc, msg any) {
	next(rc, actor.WrapEnvelope(msg))
}

// onDeliver dispatches the next event of one of this actor's ports.
//
// env is the envelope the notification came in; protoactor made it for this
// call, so the event reuses it.
func (o *owner) onDeliver(ctx actor.Context, c *portCore, next actor.ReceiverFunc, env *actor.MessageEnvelope) {
	var m inMsg
	step, reason, _ := c.next(false, &m)
	o.dispatch(ctx, c, next, env, step, &m, reason, nil)
}

// onBatch dispatches up to batchBudget events of one port (see deliver),
// each in a Receive of its own. If the budget runs out, or a handler
// panics out of its Receive, the notification goes back into the mailbox
// and the rest waits for its turn.
func (o *owner) onBatch(ctx actor.Context, c *portCore, next actor.ReceiverFunc, env *actor.MessageEnvelope) {
	again := true
	defer func() {
		if again {
			ctx.Send(ctx.Self(), c.batchNote)
		}
	}()
	// The events of a batch, each with an envelope of its own (the user's
	// code may keep the one it saw: Forward), are made together, as many
	// at a time as are queued (within the budget): one allocation for a
	// burst.
	// (An event kept after its Receive keeps its batch's slab alive.)
	var slab []envelopedEvent
	for i := 0; i < batchBudget; i++ {
		if o.draining || o.stopping {
			again = false // the actor is leaving: its code does not run again
			return
		}
		var m inMsg
		step, reason, left := c.next(true, &m)
		if step == stepNothing {
			again = false
			return
		}
		var slot *envelopedEvent
		if step == stepMessage && (i > 0 || left > 0) {
			if len(slab) == 0 {
				slab = make([]envelopedEvent, min(left+1, batchBudget-i))
			}
			slot, slab = &slab[0], slab[1:]
		}
		if i > 0 {
			env = nil // protoactor's envelope went to the first event
		}
		o.dispatch(ctx, c, next, env, step, &m, reason, slot)
	}
}

// envelopedEvent is a MessageEvent with the envelope it travels in, made in
// one allocation.
type envelopedEvent struct {
	env actor.MessageEnvelope
	ev  MessageEvent
}

// dispatch hands one step of a port to the actor's code: a message event
// in slot (event and envelope) if one is given, else in env, or in an
// envelope of its own if env is nil.
func (o *owner) dispatch(ctx actor.Context, c *portCore, next actor.ReceiverFunc, env *actor.MessageEnvelope, step nextStep, m *inMsg, reason CloseReason, slot *envelopedEvent) {
	if traceHook != nil && step == stepMessage {
		traceHook(c.pid, &portActor{role: roleOpen}, fmt.Sprintf("owner dispatched seq %d", m.seq))
	}
	switch step {
	case stepMessage:
		data, ports, err := o.materialize(ctx, m)
		if err != nil {
			deliverUser(ctx, next, &MessageErrorEvent{Target: &c.handle, Err: err})
			return
		}
		var ev *MessageEvent
		switch {
		case slot != nil:
			slot.ev = MessageEvent{Data: data, Ports: ports, Target: &c.handle}
			ev, env = &slot.ev, &slot.env
		case env == nil:
			slot = &envelopedEvent{ev: MessageEvent{Data: data, Ports: ports, Target: &c.handle}}
			ev, env = &slot.ev, &slot.env
		default:
			ev = &MessageEvent{Data: data, Ports: ports, Target: &c.handle}
		}
		if h := c.handler; h != nil {
			h(ctx, ev)
			return
		}
		env.Message = ev
		next(ctx, env)
	case stepClose:
		if env == nil {
			env = actor.WrapEnvelope(nil)
		}
		env.Message = &CloseEvent{Target: &c.handle, Reason: reason}
		next(ctx, env)
	}
}

// onChildGone notes that one of this actor's port actors has stopped.
func (o *owner) onChildGone(ctx actor.Context, who *actor.PID) {
	delete(o.children, who.GetId())
	if o.poisoned && len(o.children) == 0 {
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
	if len(o.children) == 0 {
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
