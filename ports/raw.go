package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/internal/rawmsg"
	"github.com/entangle-go/entangle/messages"
)

// Messages of a JavaScript realm (package actors/script): the realm
// serializes its own values into a Record and posts it as
// *rawmsg.Prepared, and it asks (rawmsg.SetRaw) for the messages it
// receives as their Record or Go value, which it rebuilds as JavaScript
// values itself. Everything else about such a post (transfer, ordering,
// drops, other nodes) is the same as for Go data.

// postPrepared posts a Record serialized by the caller, whose external
// slots are the ports of transfer in order. It owns rec from the call on:
// on an error rec is released and nothing was transferred.
func postPrepared(ctx actor.Context, source *portCore, to *actor.PID, rec *messages.Record, opts *contextmsg.Options, transfer []messages.Transferable) error {
	if rec == nil {
		return newError(messages.ErrDataClone, "a prepared post without a record")
	}
	if rec.ExternalCount() != len(transfer) {
		rec.Release()
		return &messages.DataCloneError{Reason: "the prepared record's external slots do not match the transfer list"}
	}
	cores, doomed, err := checkTransfer(ctx, source, transfer)
	if err != nil {
		rec.Release()
		return err
	}
	return shipRecord(ctx, source, to, rec, cores, doomed, opts, true)
}

// rawValue is the data of a message whose value came ready (plain data
// from a Go sender in this process, or a primitive from another node): the
// value itself, or for a raw owner the value wrapped in *rawmsg.Raw.
func (o *owner) rawValue(v any) any {
	if o.raw {
		return &rawmsg.Raw{Value: v}
	}
	return v
}

// rawDirect gives a raw owner the data of a message posted straight to it
// by Go code in this process (already the owner's copy) as *rawmsg.Raw.
func rawDirect(ev *MessageEvent) {
	if _, ok := ev.Data.(*rawmsg.Raw); !ok {
		ev.Data = &rawmsg.Raw{Value: ev.Data}
	}
}

func init() {
	rawmsg.SetRaw = func(ctx actor.Context) error {
		o, err := ownerFor(ctx)
		if err != nil {
			return err
		}
		o.raw = true
		return nil
	}
}
