package ports

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// portInit is what a port actor starts with: a new channel's port is open
// (its peer may come later, with entangle); an adopted one is pending, and
// claims its state with holder.
type portInit struct {
	core   *portCore
	peer   *wire.Ref   // open: the other end
	holder *wire.Token // adopted: where to claim the state (nil for an open port)
}

// portActor is one incarnation of one end of a channel. Its fields are what
// every role uses; what only one role needs is in state (see roleState),
// and the record of departed and former route neighbours, held messages and
// watches is in neighbours, made on the first message that is not part of
// an idle port's life (see Receive), or with the role state (pendingStart,
// shipStart). An idle open port carries just the fields here.
type portActor struct {
	core *portCore
	role role // state.role(); set only by become

	lastKnown bool
	// peerClosed: the other end closed (lastIn is its last message) or the
	// route broke (lost).
	peerClosed bool
	lost       bool
	// moved: the other port of this fresh pair has been shipped (it said
	// so with peerMoved), so the pair is fresh no more (see freshPair).
	moved bool

	peer *wire.Ref // where this actor sends (the other end, or the successor for a proxy)
	// senders are the actors that may still send to this one. Each says
	// when it is done, as the last thing it sends here (a PrevIs naming
	// who replaces it, a BypassAck, or the Closed of a closed end); such
	// news can overtake the news that made it a sender (see
	// neighbours.doneEarly).
	senders []*wire.Ref

	nextOut uint64 // number of the next message posted on this end (numbered while open)
	nextIn  uint64 // next number expected from the other end

	mailbox *portMailbox
	state   roleState
	*neighbours
}

// me is this actor's reference, as protocol messages name it. It is kept
// with the neighbours record; an idle port, which has none, names itself
// afresh the odd time it needs to.
func (a *portActor) me() *wire.Ref {
	nb := a.neighbours
	if nb == nil {
		return a.core.ref()
	}
	if nb.self == nil {
		nb.self = a.core.ref()
	}
	return nb.self
}

// ext is the extension of the system the port lives in.
func (a *portActor) ext() *Extension { return a.core.own.ext }

func newPortActor(init portInit) *portActor {
	a := &portActor{
		core:    init.core,
		nextOut: 1,
		nextIn:  1,
	}
	if init.holder != nil {
		st := &pendingStart{state: pendingState{holder: init.holder}}
		a.become(&st.state)
		a.neighbours = &st.nb
		return a
	}
	a.become(openState{})
	a.peer = init.peer
	a.addSender(init.peer)
	return a
}

// Receive implements actor.Actor.
func (a *portActor) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Restarting); ok {
		// After onRestarting, or a recovery from its panic below: the
		// actor leaves the books (onStopping; the stopper incarnation
		// will not), then, last of all, the producer that protoactor
		// calls next hands this restart a stopper (owner.restarting).
		defer a.core.own.restarting()
		defer a.onStopping(ctx)
	}
	defer func() {
		if r := recover(); r != nil {
			// A bug here must not take the owner down or restart the
			// actor with its state lost: fail this end like a lost route.
			a.ext().log.Error("port actor panicked; closing its end", slog.Any("port", ctx.Self()), slog.Any("panic", r))
			a.made() // the panic may have come before an idle port made its record, which failing writes
			a.fail(ctx)
			if a.role != roleDone {
				a.failStop(ctx)
			}
		}
	}()
	if a.neighbours == nil {
		switch ctx.Message().(type) {
		case *actor.Started:
			// An idle port's whole life: no neighbours record yet.
		case *shipReq:
			// An idle port shipped: its shipping state brings the
			// record (newShipping).
		default:
			a.neighbours = &neighbours{}
		}
	}
	if traceHook != nil {
		traceHook(ctx.Self(), a, ctx.Message())
	}
	a.pauseFast()
	defer a.resumeFast()
	if b, ok := ctx.Message().(*bundle); ok {
		a.onBundle(ctx, b)
		return
	}
	a.handle(ctx, ctx.Message())
	if a.holding() > 0 {
		a.releaseStrangers(ctx)
	}
}

// handle acts on one message: the one Receive got, or one held back until
// its sender became a neighbour (see neighbours.go).
func (a *portActor) handle(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *userMsg:
		if a.checkKey(ctx, m.key, m) && a.fromNeighbour(ctx, m) {
			a.onMsg(ctx, &m.inMsg)
		}
	case *wire.Msg:
		if a.checkKey(ctx, m.GetKey(), m) && a.fromNeighbour(ctx, m) {
			a.onMsg(ctx, &inMsg{seq: m.GetSeq(), val: m})
		}
	case *postReq:
		a.onPost(ctx, m)
	case *shipReq:
		a.onShip(ctx, m.nonce, m.custodian)
	case *closeReq:
		a.onClose(ctx)
	case *wire.Claim:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onClaim(ctx, m)
			return
		}
		// A claim with the wrong key names a port this actor does not
		// hand out (a forged or stale token): refuse it, so that the
		// successor that claims closes instead of waiting forever.
		// It names this actor as the claimant knows it, with the key
		// the claim came with: the claimant takes news only from its
		// holder.
		a.send(ctx, m.GetFrom(), &wire.ClaimRejected{Key: m.GetFrom().GetKey(), From: &wire.Ref{Pid: ctx.Self(), Key: m.GetKey()}, Nonce: m.GetNonce()})
	case *wire.State:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onState(ctx, m)
		}
	case *wire.ClaimRejected:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onClaimRejected(ctx, m)
		}
	case *wire.Bypass:
		if a.checkKey(ctx, m.GetKey(), m) && a.fromNeighbour(ctx, m) {
			a.onBypass(ctx, m)
		}
	case *wire.BypassAck:
		if a.checkKey(ctx, m.GetKey(), m) && a.fromNeighbour(ctx, m) {
			a.onBypassAck(ctx, m)
		}
	case *rebuildFail:
		if a.checkKey(ctx, m.key, m) {
			a.onRebuildFail(ctx, m)
		}
	case *wire.RebuildFailed:
		if a.checkKey(ctx, m.GetKey(), m) && a.fromNeighbour(ctx, m) {
			a.onRebuildFailed(ctx, m)
		}
	case *wire.BypassRetry:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onBypassRetry(ctx)
		}
	case *wire.PrevIs:
		if a.checkKey(ctx, m.GetKey(), m) && a.fromNeighbour(ctx, m) {
			a.onPrevIs(ctx, m)
		}
	case *wire.Closed:
		if a.checkKey(ctx, m.GetKey(), m) && a.fromNeighbour(ctx, m) {
			a.onClosed(ctx, m)
		}
	case *wire.Landed:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onLanded(ctx, m.GetNonce(), m.GetCustodian().GetPid(), m.GetSeq())
		}
	case *landed:
		if a.checkKey(ctx, m.key, m) {
			a.onLanded(ctx, m.nonce, m.custodian, m.seq)
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
		a.checkLostBehind(ctx, m.Who)
	case *checkLost:
		a.lostDue = removePID(a.lostDue, m.who)
		a.onCheckLost(ctx, m.who)
	case *lostPort:
		a.onLostPort(ctx, m.who)
	case *peerMoved:
		if m.key == a.core.key && !a.moved {
			a.moved = true
			a.rewatch(ctx)
		}
	case *actor.Started:
		a.onStarted(ctx)
	case *actor.Stopping:
		a.onStopping(ctx)
	case *strangerCheck:
		a.onStrangerCheck(ctx)
	case *wake:
		// Receive releases what this actor holds; a closed end may have
		// waited for its owner's posts to another node (farwait.go).
		a.maybeFinishClosing(ctx)
	case *inspect:
		ctx.Respond(a.snapshot())
	case *actor.Stopped:
		a.ext().tellLost(ctx, a.core.stopWatchers()) // see localwatch.go
	case *actor.Restarting:
		a.onRestarting(ctx)
	default:
		a.reject(ctx, m, "unexpected message type")
	}
}

func (a *portActor) onStarted(ctx actor.Context) {
	// Set before the core is marked live, when other contexts' fast paths
	// may find it (see registry.go).
	a.core.pid = ctx.Self()
	a.core.setLive(true)
	a.ext().actors.Add(1)
	a.ext().watchUnstarted()
	switch a.role {
	case roleOpen:
		a.rewatch(ctx)
	case rolePending:
		a.rewatch(ctx)
		t := a.pending().holder
		a.send(ctx, t.GetHolder(), &wire.Claim{Key: t.GetHolder().GetKey(), From: a.me(), Nonce: t.GetNonce()})
	}
}

func (a *portActor) onStopping(ctx actor.Context) {
	a.mailbox.stopped()
	if a.core.currentState() == handleShipped {
		// Shipped, but stopped before it took over the queue (its
		// owner was stopped hard with the Ship still in its mailbox):
		// the queued messages can no longer move.
		items, _ := a.core.takeAll()
		for _, m := range items {
			a.abandonTokens(ctx, m.tokens())
		}
	}
	if a.role != roleDone {
		// Stopped from outside (the owner was stopped or restarted, or
		// someone stopped this actor's PID): fail-stop. The neighbours
		// see Terminated and close with the prefix they have (a fresh
		// pair's other port, which does not watch, is told); whatever
		// this actor holds is lost, so the ports inside it are
		// abandoned.
		if a.freshPair() {
			a.tellSiblingsLost(ctx)
		}
		a.dropHeld(ctx)
		a.become(doneState{})
	}
	a.dropStrangers()
	if a.core.setLive(false) {
		a.ext().actors.Add(-1) // counted if it got as far as onStarted
	}
	a.ext().gone.Add(ctx.Self().GetId()) // the owner takes it on Terminated: see isPortChild
	a.ext().portGone(ctx.Self(), a.core)
}

// onRestarting fails this end: protoactor restarts a port actor only when
// its owner's strategy restarts all of the owner's children after another
// child failed (actor.NewAllForOneStrategy), or when someone sends its PID
// an actor.Restart. The new incarnation has none of this one's state and
// stops at once (owner.produce), so the end fails here as on a panic: its
// handle and its peer close with CloseLost. Receive then has it leave the
// books as onStopping does.
func (a *portActor) onRestarting(ctx actor.Context) {
	a.made()
	a.fail(ctx)
}

// stop ends this actor once its work for the end is done.
func (a *portActor) stop(ctx actor.Context) {
	if a.role == roleDone {
		return
	}
	// Whatever it still holds (out-of-order messages behind a gap that
	// will never fill) can no longer be delivered: return their ports.
	a.dropHeld(ctx)
	a.become(doneState{})
	a.unwatchAll(ctx)
	ctx.Stop(ctx.Self())
}

// send delivers a protocol message to another port actor or context.
func (a *portActor) send(ctx actor.Context, to *wire.Ref, msg any) {
	if to == nil || to.GetPid() == nil || a.bundled(to.GetPid(), msg) {
		return
	}
	a.ext().tr.send(ctx, to.GetPid(), msg)
}

// sendMsg forwards a user message to another port actor, in the form its
// node needs.
func (a *portActor) sendMsg(ctx actor.Context, to *wire.Ref, m *inMsg) {
	if to == nil || to.GetPid() == nil {
		a.abandonTokens(ctx, m.tokens())
		return
	}
	a.handOver(ctx, m.tokens(), to.GetPid())
	if a.ext().isLocal(to.GetPid()) {
		u := &userMsg{key: to.GetKey(), from: a.core.key, inMsg: *m}
		if !a.bundled(to.GetPid(), u) {
			a.ext().tr.send(ctx, to.GetPid(), u)
		}
		return
	}
	a.ext().tr.send(ctx, to.GetPid(), a.ext().encodeMsg(to.GetKey(), a.core.key, m))
}

func (a *portActor) checkKey(ctx actor.Context, key uint64, m any) bool {
	if key == a.core.key {
		return true
	}
	a.reject(ctx, m, "wrong route key")
	return false
}

func (a *portActor) reject(ctx actor.Context, m any, reason string) {
	// Never let a rejected message strand the ports it carries.
	switch m := m.(type) {
	case *userMsg:
		a.abandonTokens(ctx, m.tokens())
	case *wire.Msg:
		a.abandonTokens(ctx, m.GetTokens())
	}
	a.report(ctx, m, reason)
}

// report counts and publishes a protocol message this actor does not act
// on (reject also drops it; a held message stays held).
func (a *portActor) report(ctx actor.Context, m any, reason string) {
	a.ext().protoErrors.Add(1)
	a.ext().publish(&ProtocolRejected{Port: ctx.Self(), Message: messageName(m), Reason: reason, Role: a.role.String()})
}
