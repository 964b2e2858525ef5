package ports

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/internal/flatrec"
	"github.com/entangle-go/entangle/internal/rawmsg"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// The post path, receiving side, in the owner. A port's notification
// (deliver) makes the owner take the next entry of the port's queue and
// hand it to the actor's code as a MessageEvent, MessageErrorEvent or
// CloseEvent (onDeliver, onBatch, dispatch); the ports a message carries
// are adopted first (materialize). Messages posted straight to the actor
// (PostTo) are dispatched here too (onDirect, directFallback).

// deliver tells the owner that one of its ports has something to dispatch.
// It carries no message: the owner takes the next entry of the queue, so a
// notification that finds nothing to do is simply ignored.
//
// A plain notification dispatches one event. A batch notification (batch
// set; each core has one, sent while batched is false) dispatches up to
// batchBudget events, each in a Receive of its own, and sends itself
// again if more are waiting, so a burst from another actor costs one
// mailbox message per batch while the owner's other messages (timers,
// other senders) still get their turn between batches.
type deliver struct {
	core  *portCore
	batch bool
}

func (*deliver) IgnoreDeadLetterLogging() {}

// batchBudget is how many events a batch notification dispatches before
// the owner's mailbox gets its turn again.
const batchBudget = 64

// onDeliver dispatches the next event of one of this actor's ports.
//
// env is the envelope the notification came in; protoactor made it for this
// call, so the event reuses it.
func (o *owner) onDeliver(ctx actor.Context, c *portCore, next actor.ReceiverFunc, env *actor.MessageEnvelope) {
	var m inMsg
	step, reason, _, _ := c.next(false, &m, 1)
	o.dispatch(ctx, c, next, env, step, &m, reason, nil)
}

// onBatch dispatches up to batchBudget events of one port (see deliver),
// each in a Receive of its own, taking the messages from the queue several
// at a time (taken.go). If the budget runs out, or a handler panics out of
// its Receive, the notification goes back into the mailbox and the rest
// waits for its turn; what was taken and not dispatched goes back to the
// queue first.
func (o *owner) onBatch(ctx actor.Context, c *portCore, next actor.ReceiverFunc, env *actor.MessageEnvelope) {
	again := true
	defer func() {
		if t := o.taken.core; t != nil {
			t.giveBack()
		}
		if again {
			ctx.Send(ctx.Self(), &c.batchNote.deliver)
		}
	}()
	// The events of a batch, each with an envelope of its own (the user's
	// code may keep the one it saw: Forward), are made together, as many
	// at a time as are queued (within the budget): one allocation for a
	// burst.
	// (An event kept after its Receive keeps its batch's slab alive.)
	var slab []envelopedEvent
	task := env // the envelope the task started with (protoactor's, or noteMessage's)
	first := noteEvent(env)
	for i := 0; i < batchBudget; i++ {
		if o.draining || o.stopping {
			again = false // the actor is leaving: its code does not run again
			return
		}
		var m inMsg
		step, reason, left, ended := c.next(true, &m, batchBudget-i)
		if step == stepNothing {
			again = false
			return
		}
		if ended {
			// The batch ends with this message (see next): nothing to
			// send again, even if its handler panics.
			again = false
		}
		var slot *envelopedEvent
		// (An OnData handler takes no event: no slot for it.) The event
		// the notification came with is the first one when the task's
		// envelope is to hold it: a batch of one, or a handler's, whose
		// events all pass through that envelope. In a longer batch read
		// by Receive each event has a slab envelope, and the task's keeps
		// the notification, as middleware around this one expects (the
		// actors package's ErrorEvent.Message).
		if step == stepMessage && !c.handler.takesData() {
			switch {
			case i == 0 && first != nil && (left == 0 || c.handler != nil):
				slot = first
			case i > 0 || left > 0:
				if len(slab) == 0 {
					slab = make([]envelopedEvent, min(left+1, batchBudget-i))
				}
				slot, slab = &slab[0], slab[1:]
			}
		}
		if i > 0 {
			env = nil // protoactor's envelope went to the first event
		}
		if step == stepMessage && c.handler != nil {
			env = task // a handler gets no envelope: the task's names its event
		}
		o.dispatch(ctx, c, next, env, step, &m, reason, slot)
		if ended {
			return
		}
	}
}

// envelopedEvent is a MessageEvent with the envelope it travels in, made in
// one allocation.
type envelopedEvent struct {
	env actor.MessageEnvelope
	ev  MessageEvent
}

// notifyOwner sends the owner of c the notification note that the fast
// path in this process found due (handOverFast; noteMessage says in what).
func (c *portCore) notifyOwner(ctx actor.SenderContext, note *deliver) {
	ctx.Send(c.own.self, c.noteMessage(note))
}

// noteMessage returns what carries note to the owner. A batch notification
// for a port whose messages become events is the first event of the batch
// itself, made here, in the envelope it will be delivered in: protoactor
// would otherwise wrap a bare notification in an envelope of its own for
// the middleware (one allocation), and the owner would make the event
// (another), where this makes one. In a round trip every batch is one
// message, so each hop allocates once less. The event names its port
// (Target), which is all a notification says; the owner knows it for the
// batch's first event only in the envelope it was sent in (noteEvent), as a
// middleware may have wrapped it anew. Nothing else holds it: the sender
// and the owner share no word for it, which on two cores would travel
// between them at every hop.
func (c *portCore) noteMessage(note *deliver) any {
	if !note.batch || c.batchNote.onData.Load() {
		return note
	}
	s := &envelopedEvent{}
	s.ev.Target = &c.handle
	s.env.Message = s
	return &s.env
}

// noteOf returns the port a notification is for, and whether it is a
// batch notification, or nil if msg is none: a *deliver, or a batch
// notification made as its first event (noteMessage).
func noteOf(msg any) (c *portCore, batch bool) {
	switch m := msg.(type) {
	case *deliver:
		return m.core, m.batch
	case *envelopedEvent:
		return m.ev.Target.core, true
	}
	return nil, false
}

// IgnoreDeadLetterLogging: a notification that reaches no actor is no loss
// (the port's messages stay in its queue, where the owner's stop finds
// them).
func (*envelopedEvent) IgnoreDeadLetterLogging() {}

// noteEvent returns the event a batch notification was made as, if env is
// the envelope noteMessage made for it, or nil: for any notification sent
// bare (every one but noteMessage's events: an OnData port's, one of the
// owner's own posts, Start's, the port actor's, one taken in from another
// node, one sent again when a batch ran out of budget), or one a middleware
// wrapped anew.
func noteEvent(env *actor.MessageEnvelope) *envelopedEvent {
	if s, ok := env.Message.(*envelopedEvent); ok && &s.env == env {
		return s
	}
	return nil
}

// fill makes s's event the message event of data, ports and target and
// returns it. s is a slot of a batch's slab, made zeroed and used once, so
// only the fields that are not zero are written: in a burst the event is
// a tenth of the owner's work, most of it the first write to the slab's
// memory.
func (s *envelopedEvent) fill(data any, ports []*MessagePort, target *MessagePort) *MessageEvent {
	s.ev.Data = data
	if ports != nil {
		s.ev.Ports = ports
	}
	s.ev.Target = target
	return &s.ev
}

// dispatch hands one step of a port to the actor's code: a message event
// in slot (event and envelope) if one is given, else in env, or in an
// envelope of its own if env is nil. For a port with an OnMessage handler,
// env is the envelope of the task (protoactor's, or noteMessage's): its Message is set to the
// event before the handler runs, so that what surrounds the middleware
// (the actors package's ErrorEvent.Message, a tracing middleware reading
// the envelope after the call) sees the event the user's code handled,
// never the port's notification. An OnData handler gets the data and ports
// and no event at all; the envelope holds the data.
func (o *owner) dispatch(ctx actor.Context, c *portCore, next actor.ReceiverFunc, env *actor.MessageEnvelope, step nextStep, m *inMsg, reason CloseReason, slot *envelopedEvent) {
	if traceHook != nil && step == stepMessage {
		traceHook(c.pid, &portActor{role: roleOpen}, fmt.Sprintf("owner dispatched seq %d", m.seq))
	}
	switch step {
	case stepMessage:
		data, ports, err := o.materialize(ctx, m)
		if err != nil {
			tellRebuildFailed(ctx, c, m.seq, err) // see rebuild.go
			deliverUser(ctx, next, &MessageErrorEvent{Target: &c.handle, Err: err})
			return
		}
		if h := c.handler; h != nil {
			if h.data != nil {
				if env != nil {
					env.Message = data
				}
				o.inHandler = true
				h.data(ctx, data, ports)
				o.inHandler = false
				return
			}
			var ev *MessageEvent
			if slot != nil {
				ev = slot.fill(data, ports, &c.handle)
			} else {
				ev = &MessageEvent{Data: data, Ports: ports, Target: &c.handle}
			}
			if env != nil {
				env.Message = ev
			}
			o.inHandler = true
			h.event(ctx, ev)
			o.inHandler = false
			return
		}
		var ev *MessageEvent
		switch {
		case slot != nil:
			ev, env = slot.fill(data, ports, &c.handle), &slot.env
		case env == nil:
			slot = &envelopedEvent{ev: MessageEvent{Data: data, Ports: ports, Target: &c.handle}}
			ev, env = &slot.ev, &slot.env
		default:
			ev = &MessageEvent{Data: data, Ports: ports, Target: &c.handle}
		}
		env.Message = ev
		next(ctx, env)
	case stepClose:
		o.deliverClose(ctx, next, env, c, reason)
	}
}

// deliverUser hands an event made here to the actor's code. A
// MessageErrorEvent goes with the sink as its sender: protoactor answers it
// (it is an actor.AutoRespond) and the answer must not become a dead
// letter.
func deliverUser(rc actor.ReceiverContext, next actor.ReceiverFunc, msg any) {
	if _, ok := msg.(*MessageErrorEvent); ok {
		next(rc, &actor.MessageEnvelope{Message: msg, Sender: Get(rc.ActorSystem()).sink})
		return
	}
	next(rc, actor.WrapEnvelope(msg))
}

// errNoMiddleware is the Err of the MessageErrorEvent an actor without
// ReceiverMiddleware gets for a message that carried ports.
var errNoMiddleware = newError(messages.ErrInvalidState, "the message carried ports but the receiving actor has no ports.ReceiverMiddleware; the ports were closed")

// materialize turns a message that reached this actor into the value and
// ports its user code sees. Plain data (cloned at post time, in this
// process) is the value itself, or for a flat map sent as its entries
// the map built now from them (flatmap.go): it cannot fail. Otherwise
// ports are adopted before the data is rebuilt from the record, so
// references to them inside the data are the new handles.
func (o *owner) materialize(ctx actor.Context, m *inMsg) (any, []*MessagePort, error) {
	if m.plain {
		v := m.val
		m.val = nil
		return o.rawValue(plainValue(v)), nil, nil
	}
	rec, tokens := m.record(), m.tokens()
	far := rec == nil
	if far {
		r, v, err := decodeFar(m.farData(), len(tokens) > 0, &o.ext.cfg)
		if err != nil {
			abandonTokens(o.ext, ctx, tokens)
			return nil, nil, err
		}
		if r == nil {
			return o.rawValue(v), nil, nil
		}
		rec = r
	}
	if rec.ExternalCount() != len(tokens) {
		abandonTokens(o.ext, ctx, tokens)
		return nil, nil, &messages.DataCloneError{Reason: fmt.Sprintf("the message lists %d transferred ports but its data refers to %d", len(tokens), rec.ExternalCount())}
	}
	m.val = nil
	var handles []*MessagePort
	var objs []messages.Transferable
	if len(tokens) > 0 {
		handles = make([]*MessagePort, len(tokens))
		objs = make([]messages.Transferable, len(tokens))
		for i, t := range tokens {
			handles[i] = o.adopt(ctx, t)
			objs[i] = handles[i]
		}
	}
	if o.raw {
		// A script realm rebuilds (and releases) the record itself.
		return &rawmsg.Raw{Record: rec}, handles, nil
	}
	// The record is delivered exactly once: after this, nothing refers to
	// it, and its memory goes back to Serialize's pool.
	defer rec.Release()
	if len(handles) == 0 {
		data, err := messages.Deserialize(rec)
		if err == nil && far {
			flatrec.Learn(data) // the next record of a flat type skips the Record (decodeFar)
		}
		return data, nil, err
	}
	data, err := messages.Deserialize(rec, messages.WithTransferred(objs...))
	if err != nil {
		for _, h := range handles {
			o.closePort(ctx, h.core)
		}
		return nil, nil, err
	}
	return data, handles, nil
}

// onDirect dispatches a message posted straight to this actor.
func (o *owner) onDirect(ctx actor.Context, msg any, next actor.ReceiverFunc) {
	var m inMsg
	var opts contextmsg.Options
	switch d := msg.(type) {
	case *localDirect:
		m = recordMsg(d.rec, d.tokens)
		opts = d.opts
	case *wire.Direct:
		m = inMsg{val: d}
		opts = directOptions(d)
	}
	if o.draining || o.stopping {
		abandonTokens(o.ext, ctx, m.tokens())
		return
	}
	data, ports, err := o.materialize(ctx, &m)
	if err != nil {
		deliverUser(ctx, next, &MessageErrorEvent{Err: err, Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta)})
		return
	}
	deliverUser(ctx, next, &MessageEvent{Data: data, Ports: ports, Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta)})
}

// directFallback delivers a direct message to an actor that cannot own
// ports: a *MessageEvent when nothing was transferred, otherwise a
// *MessageErrorEvent, with the ports closed.
func directFallback(ctx actor.Context, m *inMsg, opts contextmsg.Options) {
	e := Get(ctx.ActorSystem())
	if len(m.tokens()) > 0 {
		abandonTokens(e, ctx, m.tokens())
		ctx.Send(ctx.Self(), &actor.MessageEnvelope{Sender: e.sink, Message: &MessageErrorEvent{
			Err:    errNoMiddleware,
			Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta),
		}})
		return
	}
	rec := m.record()
	var data any
	var err error
	if rec == nil {
		rec, data, err = decodeFar(m.farData(), false, &e.cfg)
	}
	if err == nil && rec != nil {
		data, err = messages.Deserialize(rec)
	}
	if err != nil {
		ctx.Send(ctx.Self(), &actor.MessageEnvelope{Sender: e.sink, Message: &MessageErrorEvent{Err: err, Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta)}})
		return
	}
	ctx.Send(ctx.Self(), &MessageEvent{Data: data, Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta)})
}

// metaPtr returns the meta of an event: nil when it is empty (a plain
// PostTo), which keeps the events of ports' messages smaller.
func metaPtr(m contextmsg.Meta) *contextmsg.Meta {
	if m == (contextmsg.Meta{}) {
		return nil
	}
	return &m
}

// directOptions returns the context-message fields of a message from
// another node.
func directOptions(d *wire.Direct) contextmsg.Options {
	return contextmsg.Options{
		Meta:   contextmsg.Meta{Kind: d.GetKind(), TargetOrigin: d.GetTargetOrigin()},
		Origin: d.GetOrigin(), Source: d.GetSource(),
	}
}

func init() {
	contextmsg.PostTo = postTo
	contextmsg.PanickedInHandler = func(ctx actor.Context) bool {
		o := ownerOf(ctx)
		if o == nil || !o.inHandler {
			return false
		}
		o.inHandler = false
		return true
	}
	contextmsg.EndTurn = func(ctx actor.Context) {
		if o := ownerOf(ctx); o != nil {
			o.flushFar(ctx)
		}
	}
	contextmsg.MetaOf = func(event any) contextmsg.Meta {
		switch e := event.(type) {
		case *MessageEvent:
			if e.meta != nil {
				return *e.meta
			}
		case *MessageErrorEvent:
			if e.meta != nil {
				return *e.meta
			}
		}
		return contextmsg.Meta{}
	}
	wire.DirectFallback = func(ctx actor.Context, d *wire.Direct) any {
		directFallback(ctx, &inMsg{val: d},
			directOptions(d))
		return sinkReply{}
	}
}
