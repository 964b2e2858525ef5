package rawmsg

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
)

// Prepared is data that is already serialized: passed as the data of
// ports.MessagePort.PostMessage (or of any post that reaches ports'
// post), its Record is posted as it is, in place of a structured clone of
// the data. The transfer list given with it must hold exactly the ports
// the Record's external slots refer to, in slot order; the Record's
// transferred ArrayBuffers are already in it.
type Prepared struct {
	Record *messages.Record
}

// Raw is the Data of a MessageEvent delivered to an owner that asked for
// raw delivery (SetRaw): exactly one of Record and Value is set. Record is
// the message's Record (release it when read); Value is the Go value a Go
// sender in this process posted (already a copy). The event's Ports are
// the ports of the Record's external slots, in slot order, already
// adopted.
type Raw struct {
	Record *messages.Record
	Value  any
}

// SetRaw makes the calling actor's ports (and messages posted straight to
// it) deliver Raw data from now on. Set by package ports.
var SetRaw func(ctx actor.Context) error
