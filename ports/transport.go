package ports

import (
	"github.com/asynkron/protoactor-go/actor"
)

// transport carries protocol messages between port actors (and the messages
// that PostTo sends between contexts). The protocol assumes only FIFO order
// per sender and receiver, which is what protoactor gives in-process and
// over remote; the stress tests plug in a transport that delays messages at
// random while keeping that order, to check that nothing more is assumed.
type transport interface {
	send(ctx actor.SenderContext, to *actor.PID, msg any)
}

type directTransport struct{}

func (directTransport) send(ctx actor.SenderContext, to *actor.PID, msg any) {
	ctx.Send(to, msg)
}
