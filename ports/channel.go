package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// MessageChannel is the web's MessageChannel: a factory for two entangled
// ports. Like net.Pipe, it returns both ends at once; once a port is
// transferred nothing refers back to the channel.
type MessageChannel struct {
	Port1 *MessagePort
	Port2 *MessagePort
}

// NewMessageChannel creates a channel owned by the calling actor: two port
// actors are spawned as children of ctx.Self(), entangled with each other,
// and returned as handles that belong to that actor. Both ports' queues
// start disabled (see MessagePort.Start).
//
// The actor must use ReceiverMiddleware; otherwise, and when it is
// stopping, NewMessageChannel returns an error matching
// messages.ErrInvalidState.
func NewMessageChannel(ctx actor.Context) (*MessageChannel, error) {
	o, err := ownerFor(ctx)
	if err != nil {
		return nil, err
	}
	channel := randomKey()
	c1 := o.newCore(channel, 0, 0)
	c2 := o.newCore(channel, 1, 0)
	// The first port learns its peer once the second exists, so that
	// neither watches an actor that is not there yet.
	a1 := o.spawn(ctx, portInit{core: c1})
	o.spawn(ctx, portInit{core: c2, peer: c1.ref()})
	if a1.entangle(c2.ref()) {
		ctx.Send(c1.pid, &wake{})
	}
	return &MessageChannel{Port1: &c1.handle, Port2: &c2.handle}, nil
}

// entangle gives a new channel's first port its peer. It runs on the
// owner's goroutine, right after the second port started: the first port's
// actor has handled its Started (port actors run on the goroutine that
// sends to them, here the owner's, inside Spawn) and nothing else can have
// reached it yet, since its PID has gone nowhere but to the second port,
// which sends nothing before the owner posts. A fresh pair watches nobody
// (see freshPair), so there is nothing to watch either; the fast path is
// set up as at the end of any message the actor handles. It reports
// whether the actor holds messages from the peer all the same (which only a
// port that failed as it started can have received): they are released by
// the actor's next Receive, which a wake message brings.
func (a *portActor) entangle(peer *wire.Ref) (holding bool) {
	a.pauseFast()
	a.peer = peer
	a.addSender(peer)
	a.resumeFast()
	return a.holding() > 0
}

// wake makes a port actor run its Receive (see entangle).
type wake struct{}

func (*wake) IgnoreDeadLetterLogging() {}
