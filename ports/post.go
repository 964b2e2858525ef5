package ports

import (
	"fmt"
	"reflect"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// post runs the standard's post-message steps for a port (source) or for a
// message posted straight to an actor (to): check the transfer list,
// serialize with transfer (buffers are detached only if everything
// succeeded), ship the listed ports, then deliver or, for a closed or
// transferred source or a doomed channel, drop.
func post(ctx actor.Context, source *portCore, to *actor.PID, data any, opts *contextmsg.Options, transfer []messages.Transferable) error {
	if source != nil && len(transfer) == 0 && messages.IsPrimitive(data) {
		// The commonest message: nothing to check, clone or transfer.
		return postPrimitive(ctx, source, data)
	}
	cores, doomed, err := checkTransfer(ctx, source, transfer)
	if err != nil {
		return err
	}
	rec, err := messages.Serialize(data, transfer...)
	if err != nil {
		return err
	}
	tokens := shipAll(ctx, cores, to)
	if source != nil {
		ext := source.own.ext
		if doomed || source.currentState() != handleOpen {
			reason := "the port was closed or transferred"
			if doomed {
				reason = "the message transferred the port's own other end: the channel is doomed"
			}
			abandonTokens(ext, ctx, tokens)
			rec.Release()
			dropPost(source, reason)
			return nil
		}
		if len(tokens) == 0 && ext.fast && source.tryFastPost(ctx, inMsg{val: rec}) {
			return nil
		}
		source.slowPost()
		ctx.Send(source.pid, &postReq{inMsg{val: rec, tokens: tokens}})
		return nil
	}
	return sendDirect(ctx, Get(ctx.ActorSystem()), to, rec, tokens, opts)
}

// postPrimitive posts a primitive (messages.IsPrimitive) with an empty
// transfer list: the value is its own clone and travels without a record.
func postPrimitive(ctx actor.Context, source *portCore, v any) error {
	if source.own.ext.fast && source.tryFastPost(ctx, inMsg{val: v, prim: true}) {
		return nil // the fast path checked that the port is open
	}
	if source.currentState() != handleOpen {
		dropPost(source, "the port was closed or transferred")
		return nil
	}
	source.slowPost()
	ctx.Send(source.pid, &postReq{inMsg{val: v, prim: true}})
	return nil
}

// dropPost counts and reports a message posted on a port that cannot
// send it.
func dropPost(source *portCore, reason string) {
	source.own.ext.dropped.Add(1)
	source.own.ext.publish(&MessageDropped{Port: source.pid, Reason: reason})
}

// checkTransfer validates the transfer list before anything is serialized
// or detached, and returns the ports to ship.
func checkTransfer(ctx actor.Context, source *portCore, transfer []messages.Transferable) (cores []*portCore, doomed bool, err error) {
	for i, t := range transfer {
		path := fmt.Sprintf("transfer[%d]", i)
		switch v := t.(type) {
		case nil:
			return nil, false, &messages.DataCloneError{Path: path, Reason: "a transfer list entry is nil"}
		case *messages.ArrayBuffer:
			// The messages package checks buffers.
		case *MessagePort:
			if v == nil || v.core == nil {
				return nil, false, &messages.DataCloneError{Path: path, Type: reflect.TypeOf(v), Reason: "a transfer list entry is a nil MessagePort"}
			}
			c := v.core
			if c == source {
				return nil, false, &messages.DataCloneError{Path: path, Type: reflect.TypeOf(v), Reason: "a port cannot be transferred in a message posted on itself"}
			}
			for _, seen := range cores {
				if seen == c {
					return nil, false, &messages.DataCloneError{Path: path, Type: reflect.TypeOf(v), Reason: "the port is listed twice in the transfer list"}
				}
			}
			if c.checkOwner(ctx) != nil {
				return nil, false, &messages.DataCloneError{Path: path, Type: reflect.TypeOf(v), Reason: fmt.Sprintf("the port belongs to %s, not to the posting actor", c.own.self)}
			}
			if c.currentState() != handleOpen {
				return nil, false, &messages.DataCloneError{Path: path, Type: reflect.TypeOf(v), Reason: "the port was already transferred or closed"}
			}
			if source != nil && c.channel == source.channel && c.side != source.side {
				doomed = true
			}
			cores = append(cores, c)
		default:
			return nil, false, &messages.DataCloneError{Path: path, Type: reflect.TypeOf(t), Reason: "the value is not transferable (only *messages.ArrayBuffer and *ports.MessagePort are)"}
		}
	}
	return cores, doomed, nil
}

// shipAll runs the transfer steps of each port: the handle goes inert, the
// port actor freezes and waits for the successor that the receiver will
// spawn, and the message carries a token in the port's place.
//
// custodian is the actor a PostTo carrier goes to: the ports' holders watch
// it until they are claimed, because protoactor drops a hard-stopped
// actor's queued messages without a trace.
func shipAll(ctx actor.Context, cores []*portCore, custodian *actor.PID) []*wire.Token {
	if len(cores) == 0 {
		return nil
	}
	tokens := make([]*wire.Token, len(cores))
	for i, c := range cores {
		c.ship()
		c.own.forget(c)
		nonce := randomKey()
		ctx.Send(c.pid, &shipReq{nonce: nonce, custodian: custodian})
		tokens[i] = &wire.Token{Holder: c.ref(), Nonce: nonce, Channel: c.channel, Side: c.side, Closed: c.closeWasFired()}
	}
	return tokens
}
