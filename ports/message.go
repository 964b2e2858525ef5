package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/flatrec"
	"github.com/entangle-go/entangle/internal/primrec"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// inMsg is one user message as it travels between port actors and waits in
// a port's queue. A message posted in this process with nothing in its
// transfer list carries its data itself (plain): the clone made at post
// time (messages.StructuredClone; a primitive is its own clone), so it
// needs no record at all. Other in-process messages (with a transfer
// list, or under a queue byte limit) carry the Record; from another node
// a message carries the record's bytes, decoded only when dispatched.
type inMsg struct {
	seq uint64
	// val is the data: the clone itself when plain; otherwise the
	// *messages.Record (in-process), a *withPorts (in-process, with
	// ports), or the farData it came in (from another node: its tokens
	// are its own), or nil. One field for them all keeps a queued message
	// at 32 bytes.
	val   any
	plain bool // val is the data, and the message carries no ports
}

// withPorts is the val of an in-process message that carries ports: its
// record and the ports' tokens. Few messages carry ports, so the tokens
// are kept out of inMsg.
type withPorts struct {
	rec    *messages.Record
	tokens []*wire.Token
}

// recordMsg is an in-process message that carries a Record, with the
// tokens of the ports it carries.
func recordMsg(rec *messages.Record, tokens []*wire.Token) inMsg {
	if len(tokens) == 0 {
		return inMsg{val: rec}
	}
	return inMsg{val: &withPorts{rec: rec, tokens: tokens}}
}

// tokenCarrier is what a message from another node holds its ports' tokens in
// (wire.Msg, wire.Direct).
type tokenCarrier interface{ GetTokens() []*wire.Token }

// tokens returns the tokens of the ports the message carries, in transfer
// order.
func (m *inMsg) tokens() []*wire.Token {
	if m.plain {
		return nil
	}
	switch v := m.val.(type) {
	case *withPorts:
		return v.tokens
	case tokenCarrier:
		return v.GetTokens()
	}
	return nil
}

// record returns the message's Record, if it carries one.
func (m *inMsg) record() *messages.Record {
	if m.plain {
		return nil
	}
	switch v := m.val.(type) {
	case *messages.Record:
		return v
	case *withPorts:
		return v.rec
	}
	return nil
}

// farData returns the protobuf message a message from another node came
// in, if it did.
func (m *inMsg) farData() farData {
	if m.plain {
		return nil
	}
	f, _ := m.val.(farData)
	return f
}

// farData is what a message from another node carries in place of a
// Record: the record's bytes, or the sender's reason for having none
// (wire.Msg and wire.Direct).
type farData interface {
	GetRecord() []byte
	GetEncodeError() string
}

// decodeFar rebuilds the data of a message from another node: a primitive
// directly (when no ports travel with it), anything else as a Record.
func decodeFar(f farData, withPorts bool, cfg *config) (rec *messages.Record, prim any, err error) {
	var raw []byte
	if f != nil {
		if e := f.GetEncodeError(); e != "" {
			return nil, nil, &messages.DataCloneError{Reason: "the sender could not encode the message for the trip: " + e}
		}
		raw = f.GetRecord()
	}
	if !withPorts {
		if v, ok := primrec.Decode(raw, cfg.decodeMaxBytes); ok {
			return nil, v, nil
		}
		if v, ok := flatrec.Decode(raw, cfg.decodeLimits); ok {
			return nil, v, nil
		}
	}
	rec, err = messages.DecodeRecord(raw, cfg.decodeOptions...)
	return rec, nil, err
}

// size is what a message counts against queue limits: its record's
// ByteSize, or for plain data what primSize says (a post under a byte limit
// keeps its record: see cloneable).
func (m *inMsg) size() int {
	if m.plain {
		return primSize(m.val)
	}
	switch v := m.val.(type) {
	case *messages.Record:
		if v != nil {
			return v.ByteSize()
		}
	case *withPorts:
		return v.rec.ByteSize()
	case farData:
		return len(v.GetRecord())
	}
	return 0
}

// primSize is what plain data counts against queue limits: a string's
// bytes plus a node, like its record would; anything else one node.
func primSize(v any) int {
	if s, ok := v.(string); ok {
		return len(s) + 8
	}
	return 8
}

// Messages between a context and its own port actors. They never leave the
// process (a port actor is always a child of its context).
type (
	// postReq is a message the owner posted, for the actor to number:
	// the inMsg itself, so that one allocation travels on.
	postReq struct{ inMsg }
	shipReq struct {
		nonce     uint64
		custodian *actor.PID // the context a PostTo carrier went to, if any
	}
	closeReq  struct{}
	checkLost struct{ who *actor.PID }
	// peerMoved tells the other port of a fresh pair (see freshPair)
	// that this one is leaving it: from now on they watch each other.
	peerMoved struct{ key uint64 }
	// userMsg is the in-process form of wire.Msg.
	userMsg struct {
		key  uint64 // the receiver's key
		from uint64 // the sender's key
		inMsg
	}
	// landed is the in-process form of wire.Landed: one allocation, not
	// two.
	landed struct {
		key, nonce uint64
		custodian  *actor.PID
		seq        uint32
	}
)

func (*landed) IgnoreDeadLetterLogging() {}

func (*postReq) IgnoreDeadLetterLogging() {}

func (*shipReq) IgnoreDeadLetterLogging() {}

func (*closeReq) IgnoreDeadLetterLogging() {}

func (*peerMoved) IgnoreDeadLetterLogging() {}

func (*checkLost) IgnoreDeadLetterLogging() {}

func (*userMsg) IgnoreDeadLetterLogging() {}
