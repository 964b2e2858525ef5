package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/primrec"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// isLocal reports whether pid lives in this process, where messages travel
// as Go values; anything else goes through protoactor remote as protobuf.
func (e *Extension) isLocal(pid *actor.PID) bool {
	return pid.GetAddress() == e.system.Address()
}

// encodeMsg is the form of a user message that crosses nodes. If the record
// cannot be encoded (a value with no binary form), the message still goes,
// with the error in place of the record: its number is used up, and the
// receiver raises a MessageErrorEvent instead of leaving a gap.
func (e *Extension) encodeMsg(key, from uint64, m *inMsg) *wire.Msg {
	w := &wire.Msg{Key: key, Seq: m.seq, Tokens: m.tokens(), From: from}
	rec := m.record()
	if m.plain {
		// Plain data (a clone made at post time, or a primitive) travels
		// without a record in memory; for the trip it needs the record's
		// bytes. A value that has none (a type not registered for
		// the trip, say) goes with the error: the receiver gets a
		// MessageErrorEvent.
		if b, ok := primrec.Append(nil, m.val); ok {
			w.Record = b
			return w
		}
		r, err := messages.Serialize(m.val)
		if err != nil {
			w.EncodeError = err.Error()
			return w
		}
		defer r.Release()
		rec = r
	}
	switch {
	case rec != nil:
		b, err := rec.MarshalBinary()
		if err != nil {
			w.EncodeError = err.Error()
		} else {
			w.Record = b
		}
	default:
		if f := m.farData(); f != nil {
			w.Record, w.EncodeError = f.GetRecord(), f.GetEncodeError()
		}
	}
	return w
}
