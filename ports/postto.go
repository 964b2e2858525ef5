package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// PostTo posts a structured clone of data straight to another actor, with
// the objects in transfer (ArrayBuffers and MessagePorts owned by the
// caller). It is the first link between two actors: the receiver gets a
// *MessageEvent with no Target, and the ports in it are already its own.
// Errors are those of MessagePort.PostMessage; a failed post transfers
// nothing.
//
// The receiver should use ReceiverMiddleware. If it does not, it still gets
// a *MessageEvent with the data when nothing was transferred; if ports
// were transferred it gets a *MessageErrorEvent instead and the ports are
// closed (their peers get a CloseEvent): never leaked, never hung.
// Messages from one actor to another arrive in the order posted.
func PostTo(ctx actor.Context, to *actor.PID, data any, transfer ...messages.Transferable) error {
	return postTo(ctx, to, data, contextmsg.Options{}, transfer)
}

// postTo is PostTo with the fields of a context message (the actors
// package's window and worker messaging reaches it through
// contextmsg.PostTo).
func postTo(ctx actor.Context, to *actor.PID, data any, opts contextmsg.Options, transfer []messages.Transferable) error {
	if ctx == nil || ctx.Self() == nil {
		return newError(messages.ErrInvalidState, "PostTo is called from inside an actor's Receive")
	}
	if to == nil {
		return newError(messages.ErrInvalidState, "PostTo needs a target PID")
	}
	return post(ctx, nil, to, data, &opts, transfer)
}

// localDirect is the in-process form of wire.Direct.
type localDirect struct {
	rec    *messages.Record
	tokens []*wire.Token
	opts   contextmsg.Options
}

func (*localDirect) IgnoreDeadLetterLogging() {}

func sendDirect(ctx actor.Context, e *Extension, to *actor.PID, rec *messages.Record, tokens []*wire.Token, opts *contextmsg.Options) error {
	if !e.isLocal(to) {
		w := &wire.Direct{Tokens: tokens, Origin: opts.Origin, TargetOrigin: opts.TargetOrigin, Kind: opts.Kind, Source: opts.Source, Version: ProtocolVersion}
		if b, err := rec.MarshalBinary(); err != nil {
			w.EncodeError = err.Error()
		} else {
			w.Record = b
		}
		e.tr.send(ctx, to, w)
		return nil
	}
	// The sink sender lets a receiver without ReceiverMiddleware answer
	// (see GetAutoResponse) without a dead letter.
	e.tr.send(ctx, to, &actor.MessageEnvelope{Message: &localDirect{rec: rec, tokens: tokens, opts: *opts}, Sender: e.sink})
	return nil
}

// onDirect dispatches a message posted straight to this actor.
func (o *owner) onDirect(ctx actor.Context, msg any, next actor.ReceiverFunc) {
	var m inMsg
	var opts contextmsg.Options
	switch d := msg.(type) {
	case *localDirect:
		m = inMsg{val: d.rec, tokens: d.tokens}
		opts = d.opts
	case *wire.Direct:
		m = inMsg{val: d, tokens: d.GetTokens()}
		opts = directOptions(d)
	}
	if o.draining || o.stopping {
		abandonTokens(o.ext, ctx, m.tokens)
		return
	}
	data, ports, err := o.materialize(ctx, &m)
	if err != nil {
		deliverUser(ctx, next, &MessageErrorEvent{Err: err, Origin: opts.Origin, Source: opts.Source, meta: opts.Meta})
		return
	}
	deliverUser(ctx, next, &MessageEvent{Data: data, Ports: ports, Origin: opts.Origin, Source: opts.Source, meta: opts.Meta})
}

// GetAutoResponse implements actor.AutoRespond. protoactor calls it only
// when the message reached an actor's own code, which means the actor has
// no ReceiverMiddleware (the middleware consumes the message): the actor
// then gets what it can use, and the ports it cannot own are closed.
func (d *localDirect) GetAutoResponse(ctx actor.Context) any {
	directFallback(ctx, &inMsg{val: d.rec, tokens: d.tokens}, d.opts)
	return sinkReply{}
}

// directFallback delivers a direct message to an actor that cannot own
// ports: a *MessageEvent when nothing was transferred, otherwise a
// *MessageErrorEvent, with the ports closed.
func directFallback(ctx actor.Context, m *inMsg, opts contextmsg.Options) {
	e := Get(ctx.ActorSystem())
	if len(m.tokens) > 0 {
		abandonTokens(e, ctx, m.tokens)
		ctx.Send(ctx.Self(), &MessageErrorEvent{
			Err:    newError(messages.ErrInvalidState, "the message carried ports but the receiving actor has no ports.ReceiverMiddleware; the ports were closed"),
			Origin: opts.Origin, Source: opts.Source, meta: opts.Meta,
		})
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
		ctx.Send(ctx.Self(), &MessageErrorEvent{Err: err, Origin: opts.Origin, Source: opts.Source, meta: opts.Meta})
		return
	}
	ctx.Send(ctx.Self(), &MessageEvent{Data: data, Origin: opts.Origin, Source: opts.Source, meta: opts.Meta})
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
	contextmsg.MetaOf = func(event any) contextmsg.Meta {
		switch e := event.(type) {
		case *MessageEvent:
			return e.meta
		case *MessageErrorEvent:
			return e.meta
		}
		return contextmsg.Meta{}
	}
	wire.DirectFallback = func(ctx actor.Context, d *wire.Direct) any {
		directFallback(ctx, &inMsg{val: d, tokens: d.GetTokens()},
			directOptions(d))
		return sinkReply{}
	}
}
