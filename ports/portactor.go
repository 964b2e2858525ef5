package ports

import (
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// role is what a port actor is doing for its end of the channel.
//
//	pending  -> open -> shipping -> proxy -> (stopped)
//	pending  -> shipping (shipped again before it got its state)
//	open     -> closing (tombstone) -> (stopped)
//
// Only an open actor numbers messages; every other role forwards numbers
// unchanged, and every role reorders what it receives by number, so the
// protocol needs nothing but FIFO order per sender and receiver.
type role uint8

const (
	rolePending  role = iota // successor waiting for the holder's State
	roleOpen                 // the live end: numbers outgoing messages, queues incoming ones
	roleShipping             // frozen: the port is in a message; waits for its successor's Claim
	roleProxy                // forwards to the successor until the route bypasses it
	roleClosing              // closed here: drops what still arrives until the other end confirms
	roleDone                 // stopping
)

func (r role) String() string {
	return [...]string{"pending", "open", "shipping", "proxy", "closing", "done"}[r]
}

// Messages between a context and its own port actors. They never leave the
// process (a port actor is always a child of its context).
type (
	postReq struct {
		rec    *messages.Record
		tokens []*wire.Token
	}
	shipReq   struct{ nonce uint64 }
	closeReq  struct{}
	checkLost struct{ who *actor.PID }
	// userMsg is the in-process form of wire.Msg.
	userMsg struct {
		key uint64
		inMsg
	}
)

func (*postReq) IgnoreDeadLetterLogging()   {}
func (*shipReq) IgnoreDeadLetterLogging()   {}
func (*closeReq) IgnoreDeadLetterLogging()  {}
func (*checkLost) IgnoreDeadLetterLogging() {}
func (*userMsg) IgnoreDeadLetterLogging()   {}
func (*deliver) IgnoreDeadLetterLogging()   {}

// portInit is what a port actor starts with.
type portInit struct {
	core   *portCore
	role   role        // roleOpen (new channel) or rolePending (adopted)
	peer   *wire.Ref   // roleOpen: the other end
	holder *wire.Token // rolePending: where to claim the state
}

// portActor is one incarnation of one end of a channel. See role.
type portActor struct {
	ext  *Extension
	core *portCore
	self *wire.Ref
	role role

	peer *wire.Ref // where this actor sends (the other end, or the successor for a proxy)
	prev *wire.Ref // who sends to this actor

	nextOut   uint64            // open: number of the next message posted here
	nextIn    uint64            // next number expected from the other end
	reorder   map[uint64]*inMsg // arrived ahead of nextIn
	lastIn    uint64            // valid when lastKnown: nothing numbered above arrives here
	lastKnown bool
	// peerClosed: the other end closed (lastIn is its last message) or the
	// route broke (lost).
	peerClosed bool
	lost       bool
	returned   bool // this end has answered the other end's Closed

	// pending
	holder      *wire.Token
	earlyPosts  []*postReq
	wantShip    uint64 // nonce, 0 if none
	wantClose   bool
	wantAbandon bool
	early       []any // protocol messages that reached a pending actor early

	// shipping
	shipNonce  uint64
	retained   []*inMsg
	closeFired bool
	held       []*wire.Bypass // bypass requests kept for the successor
	claim      *wire.Claim

	// proxy
	ackFrom *wire.Ref
	owed    []*wire.Ref

	watching []*actor.PID
}

var syncDispatcher = actor.NewSynchronizedDispatcher(300)

// portProps returns the props every port actor is spawned with: port actors
// never block, so they run on the goroutine of whoever sends to them (a
// synchronized dispatcher), which keeps a message between two contexts to
// one goroutine hop.
func portProps(e *Extension) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return nil },
		actor.WithDispatcher(syncDispatcher))
}

func (e *Extension) spawnPort(parent actor.Context, init portInit) (*actor.PID, error) {
	props := e.props.Clone(actor.WithProducer(func() actor.Actor {
		return newPortActor(e, init)
	}))
	return parent.SpawnPrefix(props, "port"), nil
}

func newPortActor(e *Extension, init portInit) *portActor {
	a := &portActor{
		ext:     e,
		core:    init.core,
		role:    init.role,
		nextOut: 1,
		nextIn:  1,
	}
	switch init.role {
	case roleOpen:
		a.peer = init.peer
		a.prev = init.peer
	case rolePending:
		a.holder = init.holder
	}
	return a
}

// Receive implements actor.Actor.
func (a *portActor) Receive(ctx actor.Context) {
	defer func() {
		if r := recover(); r != nil {
			// A bug here must not take the owner down or restart the
			// actor with its state lost: fail this end like a lost route.
			a.ext.log.Error("port actor panicked; closing its end", slog.Any("port", ctx.Self()), slog.Any("panic", r))
			a.fail(ctx)
			if a.role != roleDone {
				a.stop(ctx)
			}
		}
	}()
	switch m := ctx.Message().(type) {
	case *userMsg:
		if !a.checkKey(ctx, m.key, m) {
			return
		}
		a.onMsg(ctx, &m.inMsg)
	case *wire.Msg:
		if !a.checkKey(ctx, m.GetKey(), m) {
			return
		}
		a.onMsg(ctx, &inMsg{seq: m.GetSeq(), raw: m.GetRecord(), encErr: m.GetEncodeError(), tokens: m.GetTokens()})
	case *postReq:
		a.onPost(ctx, m)
	case *shipReq:
		a.onShip(ctx, m.nonce)
	case *closeReq:
		a.onClose(ctx)
	case *wire.Claim:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onClaim(ctx, m)
		}
	case *wire.State:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onState(ctx, m)
		}
	case *wire.ClaimRejected:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onClaimRejected(ctx, m)
		}
	case *wire.Bypass:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onBypass(ctx, m)
		}
	case *wire.BypassAck:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onBypassAck(ctx, m)
		}
	case *wire.BypassRetry:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onBypassRetry(ctx)
		}
	case *wire.PrevIs:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onPrevIs(ctx, m)
		}
	case *wire.Closed:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onClosed(ctx, m)
		}
	case *wire.Abandon:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onAbandon(ctx, m.GetNonce())
		}
	case *actor.Terminated:
		// It is gone: no Unwatch for it later.
		a.forgetWatch(m.Who)
		// Terminated overtakes the user messages the dead actor sent
		// before it died; look at it only after those.
		ctx.Send(ctx.Self(), &checkLost{who: m.Who})
	case *checkLost:
		a.onCheckLost(ctx, m.who)
	case *entangle:
		if a.role == roleOpen && a.peer == nil {
			a.peer, a.prev = m.peer, m.peer
			a.rewatch(ctx)
		}
	case *actor.Started:
		a.onStarted(ctx)
	case *actor.Stopping:
		a.onStopping(ctx)
	case *actor.Stopped, *actor.Restarting:
	default:
		a.reject(ctx, m, "unexpected message type")
	}
}

func (a *portActor) onStarted(ctx actor.Context) {
	a.self = &wire.Ref{Pid: ctx.Self(), Key: a.core.key}
	a.ext.actors.Add(1)
	switch a.role {
	case roleOpen:
		a.rewatch(ctx)
	case rolePending:
		a.rewatch(ctx)
		a.send(ctx, a.holder.GetHolder(), &wire.Claim{Key: a.holder.GetHolder().GetKey(), From: a.self, Nonce: a.holder.GetNonce()})
	}
}

func (a *portActor) onStopping(ctx actor.Context) {
	if a.role == roleProxy {
		a.ext.proxies.Add(-1)
	}
	if a.role != roleDone {
		// Stopped from outside (the owner was stopped or restarted):
		// fail-stop. The neighbours see Terminated and close with the
		// prefix they have; whatever this actor holds is lost, so the
		// ports inside it are abandoned.
		a.dropHeld(ctx)
		a.role = roleDone
	}
	a.ext.actors.Add(-1)
}

// stop ends this actor once its work for the end is done.
func (a *portActor) stop(ctx actor.Context) {
	if a.role == roleDone {
		return
	}
	if a.role == roleProxy {
		a.ext.proxies.Add(-1)
	}
	a.role = roleDone
	a.unwatchAll(ctx)
	ctx.Stop(ctx.Self())
}

// send delivers a protocol message to another port actor or context.
func (a *portActor) send(ctx actor.Context, to *wire.Ref, msg any) {
	if to == nil || to.GetPid() == nil {
		return
	}
	a.ext.tr.send(ctx, to.GetPid(), msg)
}

// sendMsg forwards a user message to another port actor, in the form its
// node needs.
func (a *portActor) sendMsg(ctx actor.Context, to *wire.Ref, m *inMsg) {
	if to == nil || to.GetPid() == nil {
		a.abandonTokens(ctx, m.tokens)
		return
	}
	if a.ext.isLocal(to.GetPid()) {
		a.ext.tr.send(ctx, to.GetPid(), &userMsg{key: to.GetKey(), inMsg: *m})
		return
	}
	a.ext.tr.send(ctx, to.GetPid(), a.ext.encodeMsg(to.GetKey(), m))
}

func (a *portActor) checkKey(ctx actor.Context, key uint64, m any) bool {
	if key == a.core.key {
		return true
	}
	a.reject(ctx, m, "wrong route key")
	return false
}

func (a *portActor) reject(ctx actor.Context, m any, reason string) {
	a.ext.protoErrors.Add(1)
	if um, ok := m.(*userMsg); ok {
		// Never let a rejected message strand the ports it carries.
		a.abandonTokens(ctx, um.tokens)
	}
	a.ext.publish(&ProtocolRejected{Port: ctx.Self(), Message: fmt.Sprintf("%T", m), Reason: reason, Role: a.role.String()})
}

// rewatch watches exactly the actors this one depends on: its peer and
// prev (and, while pending, the holder it claims from).
func (a *portActor) rewatch(ctx actor.Context) {
	var want []*actor.PID
	add := func(r *wire.Ref) {
		if r == nil || r.GetPid() == nil {
			return
		}
		for _, p := range want {
			if p.Equal(r.GetPid()) {
				return
			}
		}
		want = append(want, r.GetPid())
	}
	switch a.role {
	case rolePending:
		add(a.holder.GetHolder())
	case roleOpen, roleShipping, roleProxy, roleClosing:
		add(a.peer)
		add(a.prev)
	}
	for _, p := range a.watching {
		if !containsPID(want, p) {
			ctx.Unwatch(p)
		}
	}
	for _, p := range want {
		if !containsPID(a.watching, p) {
			ctx.Watch(p)
		}
	}
	a.watching = want
}

func (a *portActor) forgetWatch(who *actor.PID) {
	for i, p := range a.watching {
		if p.Equal(who) {
			a.watching = append(a.watching[:i:i], a.watching[i+1:]...)
			return
		}
	}
}

func (a *portActor) unwatchAll(ctx actor.Context) {
	for _, p := range a.watching {
		ctx.Unwatch(p)
	}
	a.watching = nil
}

func containsPID(list []*actor.PID, p *actor.PID) bool {
	for _, q := range list {
		if q.Equal(p) {
			return true
		}
	}
	return false
}

func sameActor(r *wire.Ref, p *actor.PID) bool {
	return r != nil && r.GetPid() != nil && p != nil && r.GetPid().Equal(p)
}

func sameRef(a, b *wire.Ref) bool {
	return a != nil && b != nil && a.GetKey() == b.GetKey() && sameActor(a, b.GetPid())
}
