package ports

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
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
)

func (*postReq) IgnoreDeadLetterLogging()   {}
func (*shipReq) IgnoreDeadLetterLogging()   {}
func (*closeReq) IgnoreDeadLetterLogging()  {}
func (*peerMoved) IgnoreDeadLetterLogging() {}
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
//
// What only a moving or closing port needs lives in transit, made on the
// first message that is not part of an idle port's life (see Receive), so
// an idle port carries just the fields here.
type portActor struct {
	ext  *Extension
	core *portCore
	self *wire.Ref // made on first use: see me
	role role

	lastKnown bool
	// peerClosed: the other end closed (lastIn is its last message) or the
	// route broke (lost).
	peerClosed bool
	lost       bool
	// moved: the other port of this fresh pair has been shipped (it said
	// so with peerMoved), so the pair is fresh no more.
	moved bool

	peer *wire.Ref // where this actor sends (the other end, or the successor for a proxy)
	// senders are the actors that may still send to this one. Each says
	// when it is done, as the last thing it sends here (a PrevIs naming
	// who replaces it, a BypassAck, or the Closed of a closed end); such
	// news can overtake the news that made it a sender, so departures of
	// actors not yet known are remembered in doneEarly.
	senders   []*wire.Ref
	doneEarly []*actor.PID

	nextOut uint64            // open: number of the next message posted here
	nextIn  uint64            // next number expected from the other end
	reorder map[uint64]*inMsg // arrived ahead of nextIn
	lastIn  uint64            // valid when lastKnown: nothing numbered above arrives here

	mailbox *portMailbox
	*transit
}

// transit is the state of a port actor that is being claimed, shipped,
// proxied or closed, and the actors it watches.
type transit struct {
	// pending
	holder      *wire.Token
	earlyPosts  []*postReq
	wantShip    uint64 // nonce, 0 if none
	wantCustody *actor.PID
	wantClose   bool
	wantAbandon bool
	early       []any // protocol messages that reached a pending actor early

	// shipping
	shipNonce  uint64
	custodian  *actor.PID // watched while shipping: the carrier is in its mailbox
	custodySeq uint32     // the newest Landed seen
	retained   []*inMsg
	closeFired bool
	held       []*wire.Bypass // bypass requests kept for the successor
	claim      *wire.Claim

	// proxy
	ackFrom *wire.Ref // the actor that acknowledged this proxy's Bypass
	owed    []*wire.Ref

	// route neighbours (see neighbours.go)
	former        []*wire.Ref           // neighbours before the route broke
	gone          []departed            // neighbours that said they are done
	strangers     map[uint64][]stranger // held messages, by sender key
	strangerCount int
	strangerBytes int
	strangerTimer *time.Timer // set while held messages wait to be reported
	broken        bool        // the route broke: nobody becomes a neighbour any more

	watching []*actor.PID
}

// me is this actor's reference, as protocol messages name it.
func (a *portActor) me() *wire.Ref {
	if a.self == nil {
		a.self = &wire.Ref{Pid: a.core.pid, Key: a.core.key, Side: a.core.side, Epoch: a.core.epoch}
	}
	return a.self
}

var syncDispatcher = actor.NewSynchronizedDispatcher(300)

// spawnPort starts a port actor as a child of parent. Port actors never
// block, so they run on the goroutine of whoever sends to them (a
// synchronized dispatcher), which keeps a message between two contexts to
// one goroutine hop; their mailbox returns the ports inside messages it
// could not deliver (see portMailbox).
//
// The owner keeps one Props for all its ports: protoactor calls the
// producers synchronously inside the spawn, on the owner's goroutine, so
// they hand over the actor and mailbox prepared just before.
func (o *owner) spawnPort(parent actor.Context, init portInit) *actor.PID {
	mb := newPortMailbox(init.core)
	a := newPortActor(o.ext, init)
	a.mailbox = mb
	if o.props == nil {
		o.props = actor.PropsFromProducer(o.produce,
			actor.WithDispatcher(syncDispatcher),
			actor.WithMailbox(o.produceMailbox))
	}
	o.spawning, o.spawningMailbox = a, mb
	pid := parent.SpawnPrefix(o.props, "port")
	o.spawning, o.spawningMailbox = nil, nil
	return pid
}

func (o *owner) produce() actor.Actor {
	if a := o.spawning; a != nil {
		return a
	}
	// Only a restart asks again (a port actor never panics out of its
	// Receive): the state is gone, so the incarnation stops at once.
	return actor.ReceiveFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			ctx.Stop(ctx.Self())
		}
	})
}

func (o *owner) produceMailbox() actor.Mailbox {
	if mb := o.spawningMailbox; mb != nil {
		return mb
	}
	return actor.Unbounded()()
}

// undelivered returns what a message that reached no actor was carrying:
// its ports are abandoned, and a Bypass request goes back to the proxy that
// made it, which asks again (it would otherwise wait forever for an ack).
func (e *Extension) undelivered(msg any) {
	if env, ok := msg.(*actor.MessageEnvelope); ok {
		msg = env.Message
	}
	if b, ok := msg.(*wire.Bypass); ok {
		if p := b.GetProxy(); p.GetPid() != nil {
			e.system.Root.Send(p.GetPid(), &wire.BypassRetry{Key: p.GetKey()})
		}
		return
	}
	if tokens := tokensOf(msg); len(tokens) > 0 {
		abandonTokens(e, e.system.Root, tokens)
	}
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
		a.addSender(init.peer)
	case rolePending:
		a.transit = &transit{holder: init.holder}
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
				a.failStop(ctx)
			}
		}
	}()
	if a.transit == nil {
		switch ctx.Message().(type) {
		case *actor.Started, *entangle:
			// An idle port's whole life: no transit state yet.
		default:
			a.transit = &transit{}
		}
	}
	if traceHook != nil {
		traceHook(ctx.Self(), a, ctx.Message())
	}
	a.pauseFast()
	defer a.resumeFast()
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
			a.onMsg(ctx, &inMsg{seq: m.GetSeq(), val: m, tokens: m.GetTokens()})
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
	case *wire.Abandon:
		if a.checkKey(ctx, m.GetKey(), m) {
			a.onAbandon(ctx, m.GetNonce())
		}
	case *actor.Terminated:
		// It is gone: no Unwatch for it later.
		a.forgetWatch(m.Who)
		// Terminated overtakes the user messages the dead actor sent
		// before it died; look at it only after those.
		a.ext.tr.behind(ctx, m.Who, &checkLost{who: m.Who})
	case *checkLost:
		a.onCheckLost(ctx, m.who)
	case *peerMoved:
		if m.key == a.core.key && !a.moved {
			a.moved = true
			a.rewatch(ctx)
		}
	case *entangle:
		if a.role == roleOpen && a.peer == nil {
			a.peer = m.peer
			a.addSender(m.peer)
			a.rewatch(ctx)
		}
	case *actor.Started:
		a.onStarted(ctx)
	case *actor.Stopping:
		a.onStopping(ctx)
	case *strangerCheck:
		a.onStrangerCheck(ctx)
	case *inspect:
		ctx.Respond(a.snapshot())
	case *actor.Stopped, *actor.Restarting:
	default:
		a.reject(ctx, m, "unexpected message type")
	}
}

func (a *portActor) onStarted(ctx actor.Context) {
	// Set before the core is published in live, where other contexts'
	// fast paths find it.
	a.core.pid = ctx.Self()
	a.ext.actors.Add(1)
	a.ext.live.Store(ctx.Self().GetId(), a.core)
	switch a.role {
	case roleOpen:
		a.rewatch(ctx)
	case rolePending:
		a.rewatch(ctx)
		a.send(ctx, a.holder.GetHolder(), &wire.Claim{Key: a.holder.GetHolder().GetKey(), From: a.me(), Nonce: a.holder.GetNonce()})
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
			a.abandonTokens(ctx, m.tokens)
		}
	}
	if a.role == roleProxy {
		a.ext.proxies.Add(-1)
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
		a.role = roleDone
	}
	a.dropStrangers()
	a.ext.actors.Add(-1)
	a.ext.live.Delete(ctx.Self().GetId())
}

// stop ends this actor once its work for the end is done.
func (a *portActor) stop(ctx actor.Context) {
	if a.role == roleDone {
		return
	}
	if a.role == roleProxy {
		a.ext.proxies.Add(-1)
	}
	// Whatever it still holds (out-of-order messages behind a gap that
	// will never fill) can no longer be delivered: return their ports.
	a.dropHeld(ctx)
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
	a.handOver(ctx, m.tokens, to.GetPid())
	if a.ext.isLocal(to.GetPid()) {
		a.ext.tr.send(ctx, to.GetPid(), &userMsg{key: to.GetKey(), from: a.core.key, inMsg: *m})
		return
	}
	a.ext.tr.send(ctx, to.GetPid(), a.ext.encodeMsg(to.GetKey(), a.core.key, m))
}

// handOver tells the holders of the ports carried by a message that the
// message is about to be with custodian. A holder watches whoever has its
// port's carrier, so that losing the carrier (its custodian dies, on this
// node or another) closes the port instead of leaving its peer waiting.
// The news goes before the message, from the actor that had custody, so a
// holder always hears of the new custodian before it could see the old one
// die.
func (a *portActor) handOver(ctx actor.Context, tokens []*wire.Token, custodian *actor.PID) {
	handOver(a.ext, ctx, tokens, custodian)
}

func handOver(e *Extension, ctx actor.SenderContext, tokens []*wire.Token, custodian *actor.PID) {
	for _, t := range tokens {
		h := t.GetHolder()
		if h.GetPid() == nil {
			continue
		}
		// The token travels with the message, one custodian at a time.
		t.Custody++
		e.tr.send(ctx, h.GetPid(), &wire.Landed{Key: h.GetKey(), Nonce: t.GetNonce(), Custodian: &wire.Ref{Pid: custodian}, Seq: t.Custody})
	}
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
		a.abandonTokens(ctx, m.tokens)
	case *wire.Msg:
		a.abandonTokens(ctx, m.GetTokens())
	}
	a.report(ctx, m, reason)
}

// report counts and publishes a protocol message this actor does not act
// on (reject also drops it; a held message stays held).
func (a *portActor) report(ctx actor.Context, m any, reason string) {
	a.ext.protoErrors.Add(1)
	a.ext.publish(&ProtocolRejected{Port: ctx.Self(), Message: messageName(m), Reason: reason, Role: a.role.String()})
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
		if a.freshPair() {
			break
		}
		add(a.peer)
		for _, s := range a.senders {
			add(s)
		}
	}
	if a.role == roleShipping && a.custodian != nil {
		add(&wire.Ref{Pid: a.custodian})
	}
	if a.transit == nil {
		if len(want) == 0 {
			return // an idle fresh port watches nobody
		}
		a.transit = &transit{}
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

// freshPair reports whether this actor and its peer are still the two
// ports that NewMessageChannel made in one owner, neither of them ever
// transferred. Such a pair does not watch each other: a watch costs each
// port protoactor's extras and a watcher set (over half the memory of an
// idle channel), and it would tell nothing. Both die with their owner,
// and every other way one of them stops is announced to the other by
// message: Closed when it closes, the lost Closed of failStop when it
// fails, the same from onStopping when someone stops it from outside.
// When one of them is shipped it tells the other (peerMoved), and from
// then on both watch their neighbours as every other port does.
func (a *portActor) freshPair() bool {
	p := a.peer
	return a.role == roleOpen && !a.moved && a.core.epoch == 0 && p != nil && p.GetEpoch() == 0 &&
		len(a.senders) == 1 && sameRef(a.senders[0], p) && a.sameOwner(p.GetPid())
}

// addSender records that r may send to this actor, unless r has already
// said it is done.
func (a *portActor) addSender(r *wire.Ref) {
	if r == nil || r.GetPid() == nil {
		return
	}
	for i, p := range a.doneEarly {
		if p.Equal(r.GetPid()) {
			a.doneEarly = append(a.doneEarly[:i:i], a.doneEarly[i+1:]...)
			return
		}
	}
	for _, s := range a.senders {
		if s.GetPid().Equal(r.GetPid()) {
			return
		}
	}
	a.senders = append(a.senders, r)
}

// senderDone records that pid sends nothing more to this actor, the last
// user message it sent being numbered last.
func (a *portActor) senderDone(pid *actor.PID, last uint64) {
	if pid == nil {
		return
	}
	for i, s := range a.senders {
		if s.GetPid().Equal(pid) {
			a.senders = append(a.senders[:i:i], a.senders[i+1:]...)
			a.markGone(s, last)
			return
		}
	}
	if len(a.doneEarly) == maxGone {
		// Only a misbehaving neighbour says so many times that actors
		// it never introduced are done.
		a.doneEarly = append(a.doneEarly[:0], a.doneEarly[1:]...)
	}
	a.doneEarly = append(a.doneEarly, pid)
}

func (a *portActor) isSender(pid *actor.PID) bool {
	for _, s := range a.senders {
		if s.GetPid().Equal(pid) {
			return true
		}
	}
	return false
}

// sameOwner reports whether pid is this actor's owner or another port of
// the same owner.
func (a *portActor) sameOwner(pid *actor.PID) bool {
	owner := a.core.own.self
	if pid.GetAddress() != owner.GetAddress() {
		return false
	}
	id, oid := pid.GetId(), owner.GetId()
	return id == oid || (len(id) > len(oid) && id[len(oid)] == '/' && id[:len(oid)] == oid)
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

// traceHook, when set (by tests), sees every message a port actor handles.
var traceHook func(self *actor.PID, a *portActor, msg any)

// inspect asks a port actor to describe itself (diagnostics and tests).
type inspect struct{}

// portSnapshot is what inspect answers.
type portSnapshot struct {
	role      role
	channel   uint64
	side      uint32
	shipNonce uint64   // shipping: the nonce of the token that carries this port
	carried   []uint64 // nonces of the tokens inside messages this actor holds
	strangers int      // messages held from senders not known (see neighbours.go)
	text      string
}

func (a *portActor) snapshot() *portSnapshot {
	a.core.mu.Lock()
	coreText := fmt.Sprintf(" handle=%d enabled=%v queued=%d closeMark=%v closeFired=%v", a.core.state, a.core.enabled, a.core.q.len(), a.core.closeMark, a.core.closeFired)
	a.core.mu.Unlock()
	s := &portSnapshot{role: a.role, channel: a.core.channel, side: a.core.side, shipNonce: a.shipNonce, strangers: a.holding(), text: a.describe() + coreText}
	add := func(m *inMsg) {
		for _, t := range m.tokens {
			s.carried = append(s.carried, t.GetNonce())
		}
	}
	if a.holding() > 0 {
		for _, list := range a.strangers {
			for _, m := range list {
				for _, t := range tokensOf(m) {
					s.carried = append(s.carried, t.GetNonce())
				}
			}
		}
	}
	for _, m := range a.retained {
		add(m)
	}
	for _, m := range a.reorder {
		add(m)
	}
	return s
}

func (a *portActor) describe() string {
	if a.transit == nil {
		b := *a
		b.transit = &transit{}
		return b.describe()
	}
	return fmt.Sprintf("role=%s peer=%s prev=%s nextOut=%d nextIn=%d last=%d/%v peerClosed=%v lost=%v reorder=%d retained=%d held=%d early=%d wantShip=%v wantClose=%v claim=%v owed=%d watching=%v strangers=%d",
		a.role, refID(a.peer), refIDs(a.senders), a.nextOut, a.nextIn, a.lastIn, a.lastKnown, a.peerClosed, a.lost,
		len(a.reorder), len(a.retained), len(a.held), len(a.early), a.wantShip != 0, a.wantClose, a.claim != nil, len(a.owed), a.watching, a.strangerCount)
}

func refIDs(rs []*wire.Ref) string {
	out := "["
	for i, r := range rs {
		if i > 0 {
			out += " "
		}
		out += refID(r)
	}
	return out + "]"
}

func refID(r *wire.Ref) string {
	if r == nil || r.GetPid() == nil {
		return "-"
	}
	return r.GetPid().GetId()
}

// messageName names a message's type for ProtocolRejected.
func messageName(m any) string {
	if _, ok := m.(*userMsg); ok {
		return "*wire.Msg" // its in-process form
	}
	return fmt.Sprintf("%T", m)
}
