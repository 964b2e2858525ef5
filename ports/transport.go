package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// transport carries protocol messages between port actors (and the messages
// that PostTo sends between contexts). The protocol assumes only FIFO order
// per sender and receiver, which is what protoactor gives in-process and
// over remote; the stress tests plug in a transport that delays messages at
// random while keeping that order, to check that nothing more is assumed.
type transport interface {
	send(ctx actor.SenderContext, to *actor.PID, msg any)
	// behind delivers msg to the calling actor after every message that
	// from sent to it before now. A port actor uses it to look at a
	// neighbour's Terminated only after what the neighbour sent before
	// dying (protoactor delivers Terminated ahead of queued messages).
	behind(ctx actor.SenderContext, from *actor.PID, msg any)
}

// directTransport sends with protoactor: in-process at once, to other
// nodes through the gate (gateway.go), which holds messages for a node
// until it has answered the Hello.
type directTransport struct {
	sys  *actor.ActorSystem
	gate *gate
}

func (t directTransport) send(ctx actor.SenderContext, to *actor.PID, msg any) {
	if a := to.GetAddress(); a == t.sys.Address() || a == wire.UnstartedAddress {
		ctx.Send(to, msg)
		return
	}
	t.gate.send(ctx, to, msg)
}

// behind: protoactor enqueues a sender's messages synchronously, so by the
// time its Terminated is seen they are all in the mailbox, and a message to
// self goes behind them.
func (directTransport) behind(ctx actor.SenderContext, _ *actor.PID, msg any) {
	ctx.Send(ctx.Self(), msg)
}
