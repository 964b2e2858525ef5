package ports

import (
	"context"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// A message the receiving owner could not rebuild (a type not registered on
// its node, a record that does not decode, ports that do not match the
// data) becomes a MessageErrorEvent at the receiving port, as on the web.
// The web tells the sender nothing; a Go sender on another node would then
// have no hint at all, so the receiving end also tells the sending end:
//
//	owner (dispatch) --rebuildFail--> receiving port actor
//	    --wire.RebuildFailed--> its route neighbour (the sending end, or a
//	    proxy, which passes it on) --> RemoteRebuildFailed on the sending
//	    node's EventStream, and Stats.RebuildErrors there.
//
// Nothing else changes: the channel stays open both ways, later messages
// arrive as before, and the sending port gets no event (the web has none
// for it).

// RemoteRebuildFailed is published on the sending node when the other end
// of one of its channels could not rebuild a message the sending end had
// posted: the receiving owner got a *MessageErrorEvent in its place.
// Reason is that event's error text (for a type the receiving node has not
// registered, it names the type to register there).
type RemoteRebuildFailed struct {
	Port   *actor.PID // the sending end's port actor (its current incarnation)
	Peer   *actor.PID // the port actor that reported it (the receiving end, or a proxy next to it)
	Seq    uint64     // the message's number on the channel, counting from 1 in this direction
	Reason string
}

// Log implements Diagnostic.
func (e *RemoteRebuildFailed) Log() (slog.Level, string, []any) {
	return slog.LevelWarn, "the other end could not rebuild a message", []any{slog.Any("port", e.Port), slog.Any("peer", e.Peer), slog.Uint64("seq", e.Seq), slog.String("reason", e.Reason)}
}

// rebuildFail is sent by the owner to its port's actor for a message of
// that port it could not rebuild.
type rebuildFail struct {
	key    uint64
	seq    uint64
	reason string
}

func (*rebuildFail) IgnoreDeadLetterLogging() {}

// tellRebuildFailed has the receiving port's actor tell the sending end
// that message seq could not be rebuilt.
func tellRebuildFailed(ctx actor.Context, c *portCore, seq uint64, err error) {
	if c.pid == nil {
		return
	}
	c.tell(ctx, &rebuildFail{key: c.key, seq: seq, reason: err.Error()})
}

// onRebuildFail passes the owner's news on to this actor's route
// neighbour, the way the message came.
func (a *portActor) onRebuildFail(ctx actor.Context, m *rebuildFail) {
	if a.peer == nil {
		return // the route is gone: nobody to tell
	}
	a.send(ctx, a.peer, &wire.RebuildFailed{Key: a.peer.GetKey(), From: a.me(), Seq: m.seq, Reason: m.reason})
}

// onRebuildFailed handles the news from a route neighbour (checked by the
// caller): a proxy passes it on to its successor, towards the sending end;
// any other role is the sending end, or what is left of it, and reports it.
func (a *portActor) onRebuildFailed(ctx actor.Context, m *wire.RebuildFailed) {
	if a.role == roleProxy && a.peer != nil && !sameRef(a.peer, m.GetFrom()) {
		a.send(ctx, a.peer, &wire.RebuildFailed{Key: a.peer.GetKey(), From: a.me(), Seq: m.GetSeq(), Reason: m.GetReason()})
		return
	}
	a.ext().rebuildErrs.Add(1)
	d := &RemoteRebuildFailed{Port: ctx.Self(), Peer: m.GetFrom().GetPid(), Seq: m.GetSeq(), Reason: m.GetReason()}
	level, msg, attrs := d.Log()
	a.ext().log.Log(context.Background(), level, msg, attrs...)
	a.ext().publish(d)
}
