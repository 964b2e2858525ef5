package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/flatrec"
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
	if f := m.farData(); f != nil {
		// Bytes that came from another node go on as they are.
		w.Record, w.EncodeError = f.GetRecord(), f.GetEncodeError()
		return w
	}
	w.Record, w.EncodeError = appendData(nil, m)
	return w
}

// appendData appends to buf the record bytes of m's data, for the trip to
// another node, or returns buf as it was and the reason it has none (a
// value with no binary form, say). Plain data (a clone made at post time,
// or a primitive) has no record in memory: it is encoded here. A record
// m carries is left for the caller to release.
func appendData(buf []byte, m *inMsg) ([]byte, string) {
	var r *messages.Record
	switch {
	case m.plain:
		v := plainValue(m.val)
		if b, ok := primrec.Append(buf, v); ok {
			return b, ""
		}
		if b, ok := flatrec.Append(buf, v); ok {
			return b, ""
		}
		var err error
		if r, err = messages.Serialize(v); err != nil {
			return buf, err.Error()
		}
		defer r.Release()
	case m.record() != nil:
		r = m.record()
	default:
		if f := m.farData(); f != nil {
			if t := f.GetEncodeError(); t != "" {
				return buf, t
			}
			return append(buf, f.GetRecord()...), ""
		}
		return buf, ""
	}
	out, err := r.AppendBinary(buf)
	if err != nil {
		return buf, err.Error()
	}
	return out, ""
}
