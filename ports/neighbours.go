package ports

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Route neighbours.
//
// A port actor acts only on protocol messages from its route neighbours:
// the actor it sends to (peer), the actors that send to it (senders) and,
// once its route broke, the neighbours it had then (former: what they had
// already sent is still theirs). Every message that moves a port's state
// names its sender: a user message (userMsg, wire.Msg) by the sender's
// key, a control message (Bypass, BypassAck, PrevIs, Closed, and
// RebuildFailed, which only reports) by the sender's Ref, whose PID must
// match the neighbour's too. Keys are random
// per incarnation, so knowing one is what being that neighbour means, and
// an actor that has handed its part of the route on is a neighbour no more
// (though it knows its successor's key, and so can speak as the successor:
// see the package documentation, Security).
//
// The other messages carry their own credential: Claim, Landed and Abandon
// a token's nonce; State and ClaimRejected must come from the holder being
// claimed from (onState, onClaimRejected); BypassRetry only makes a proxy
// ask again, which settles nothing it has not settled already.
//
// What comes from anyone else:
//
//   - a neighbour's key with another PID: refused and reported
//     (ProtocolRejected) at once;
//   - a former neighbour that has said it is done (gone): a control message
//     is dropped as if it had arrived after this actor stopped (a Bypass
//     goes back to its proxy) and reported, except for the notice that the
//     sender's route broke, which a neighbour that has just parted from
//     this one may still send. A user message is taken if it is numbered
//     at or below the last one the sender said it had sent (in its
//     BypassAck, PrevIs or Closed): the sending port's owner sends those
//     itself on the fast path, so one can overtake the last thing the
//     sending actor said. One numbered higher is refused and reported;
//   - an actor not known at all: held. News of a new neighbour and the
//     neighbour's own first message come from different actors, with no
//     order between them (a successor can write to its peer before the
//     PrevIs naming it arrives there), so the message waits, per sender in
//     arrival order, and is handled as soon as its sender becomes a
//     neighbour. One still held after strangerGrace is reported (once); it
//     stays held, since a legitimate sender can be that late on a slow
//     route. What is held when the actor stops, or when its route breaks
//     (nobody is announced any more), is dropped like a message that
//     arrives after the stop: its ports are returned. At most maxStrangers
//     messages (maxStrangerBytes of records) are held; past that, messages
//     from unknown senders are refused and reported.

const (
	// maxStrangers and maxStrangerBytes bound what a port actor holds for
	// senders it does not know (yet): messages, and their record bytes.
	maxStrangers     = 1 << 16
	maxStrangerBytes = 16 << 20
	// strangerGrace is how long a message from an unknown sender is held
	// before it is reported.
	strangerGrace = time.Second
	// maxGone bounds the departed neighbours an actor remembers (a route
	// has two ends and a few proxies).
	maxGone = 64
)

// neighbours is what a port actor records about its route beyond its peer
// and senders (the fields of portActor). It is made on the first message
// that is not part of an idle port's life (see portActor.Receive), with a
// pending or shipping state (pendingStart, shipStart), or by the methods
// that write it (made), so an idle port has none.
type neighbours struct {
	// Of the portActor's counters, the rare ones: an idle port has
	// neither (see portActor.Receive for when the record is made).
	reorder map[uint64]*inMsg // arrived ahead of nextIn
	lastIn  uint64            // valid when lastKnown: nothing numbered above arrives here

	// doneEarly: actors that said they are done before they were known
	// as senders (the news can overtake the news that made them one).
	doneEarly []*actor.PID
	former    []*wire.Ref // neighbours before the route broke
	gone      []departed  // neighbours that said they are done
	broken    bool        // the route broke: nobody becomes a neighbour any more

	// Messages held from senders not known yet (see strangers.go).
	strangers     map[uint64][]stranger // by sender key
	strangerCount int
	strangerBytes int
	strangerTimer *time.Timer // set while held messages wait to be reported

	watching []*actor.PID  // the actors this one watches (see watch.go)
	watchBuf [2]*actor.PID // watching's first array
	lostDue  []*actor.PID  // gone actors whose checkLost is on its way here

	self *wire.Ref // the actor's own reference, once made (see portActor.me)

	outbox *bundle // while it serves a Claim from this process: what goes to the successor (bundle.go)
}

// made returns the actor's neighbours record, making it if need be.
func (a *portActor) made() *neighbours {
	if a.neighbours == nil {
		a.neighbours = &neighbours{}
	}
	return a.neighbours
}

// admission is what becomes of a message, given who says it sent it.
type admission uint8

const (
	admitted admission = iota // from a neighbour
	heldBack                  // from an actor not known: held
	fromGone                  // from a neighbour that said it is done
	refused                   // a neighbour's key with another PID
)

// senderOf returns who a message says sent it: the sending incarnation's
// key and, for control messages, its PID. checked is false for messages
// whose credential is something else (see above).
func senderOf(m any) (key uint64, pid *actor.PID, checked bool) {
	switch m := m.(type) {
	case *userMsg:
		return m.from, nil, true
	case *wire.Msg:
		return m.GetFrom(), nil, true
	case *wire.Bypass:
		return m.GetFrom().GetKey(), m.GetFrom().GetPid(), true
	case *wire.BypassAck:
		return m.GetFrom().GetKey(), m.GetFrom().GetPid(), true
	case *wire.PrevIs:
		return m.GetFrom().GetKey(), m.GetFrom().GetPid(), true
	case *wire.Closed:
		return m.GetFrom().GetKey(), m.GetFrom().GetPid(), true
	case *wire.RebuildFailed:
		return m.GetFrom().GetKey(), m.GetFrom().GetPid(), true
	}
	return 0, nil, false
}

// neighbour returns the neighbour whose key is key, or nil.
func (a *portActor) neighbour(key uint64) *wire.Ref {
	if key == 0 {
		return nil
	}
	if a.peer != nil && a.peer.GetKey() == key && a.peer.GetPid() != nil {
		return a.peer
	}
	for _, s := range a.senders {
		if s.GetKey() == key {
			return s
		}
	}
	if a.neighbours != nil {
		for _, s := range a.former {
			if s.GetKey() == key {
				return s
			}
		}
	}
	return nil
}

func (a *portActor) admit(key uint64, pid *actor.PID) admission {
	n := a.neighbour(key)
	switch {
	case n != nil && pid != nil && !n.GetPid().Equal(pid):
		return refused
	case n != nil:
		return admitted
	case a.departure(key) != nil:
		return fromGone
	}
	return heldBack
}

// fromNeighbour reports whether m, addressed to this actor (its route key
// is checked already), may be handled now. If not, it has been held,
// dropped or refused.
func (a *portActor) fromNeighbour(ctx actor.Context, m any) bool {
	key, pid, checked := senderOf(m)
	if !checked {
		return true
	}
	switch a.admit(key, pid) {
	case admitted:
		return true
	case refused:
		a.reject(ctx, m, "the sender's key belongs to another actor")
		return false
	case fromGone:
		if seq, ok := userSeq(m); ok {
			// A user message can be sent by the sending port's owner
			// (the fast path) and so overtake what its actor sent
			// last: it is taken if the departed sender had sent it.
			if seq <= a.departure(key).last {
				return true
			}
			a.reject(ctx, m, "numbered after its sender left the route")
			return false
		}
		if c, ok := m.(*wire.Closed); !ok || !c.GetLost() {
			a.report(ctx, m, "from an actor that is no longer a route neighbour")
		}
		a.ext().undelivered(m)
		return false
	}
	if a.broken {
		// Nobody can be announced on a broken route: this is a
		// message that came too late, like one after the stop.
		a.ext().undelivered(m)
		return false
	}
	a.hold(ctx, key, m)
	return false
}

// departed is a neighbour that has said it is done, and the number of the
// last user message it sent here.
type departed struct{ key, last uint64 }

// markGone remembers that r has said it is done, having sent user
// messages up to last. The record matters only once r is no neighbour in
// any other way (it may still be the peer, say); the highest last it was
// given counts.
func (a *portActor) markGone(r *wire.Ref, last uint64) {
	if r == nil || r.GetKey() == 0 {
		return
	}
	a.made()
	if d := a.departure(r.GetKey()); d != nil {
		d.last = max(d.last, last)
		return
	}
	if len(a.gone) == maxGone {
		a.gone = append(a.gone[:0], a.gone[1:]...)
	}
	a.gone = append(a.gone, departed{key: r.GetKey(), last: last})
}

// departure returns the record of the departed neighbour whose key is key,
// or nil.
func (a *portActor) departure(key uint64) *departed {
	if a.neighbours != nil {
		for i := range a.gone {
			if a.gone[i].key == key {
				return &a.gone[i]
			}
		}
	}
	return nil
}

// forgetNeighbours is for a route that broke: the actor sends nothing more
// and expects nothing, but what its neighbours had already sent is still
// taken as theirs.
func (a *portActor) forgetNeighbours() {
	a.made()
	if a.peer != nil {
		a.former = append(a.former, a.peer)
	}
	a.former = append(a.former, a.senders...)
	a.peer, a.senders = nil, nil
	a.breakRoute()
}

// breakRoute records that this end's route is gone: no one will become its
// neighbour any more, so what is held for unknown senders never will be
// handled.
func (a *portActor) breakRoute() {
	a.made()
	a.broken = true
	a.dropStrangers()
}

// userSeq returns the number of a user message.
func userSeq(m any) (uint64, bool) {
	switch m := m.(type) {
	case *userMsg:
		return m.seq, true
	case *wire.Msg:
		return m.GetSeq(), true
	}
	return 0, false
}

// addSender records that r may send to this actor, unless r has already
// said it is done.
func (a *portActor) addSender(r *wire.Ref) {
	if r == nil || r.GetPid() == nil {
		return
	}
	if a.neighbours != nil {
		for i, p := range a.doneEarly {
			if p.Equal(r.GetPid()) {
				a.doneEarly = append(a.doneEarly[:i:i], a.doneEarly[i+1:]...)
				return
			}
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
	n := a.made()
	if len(n.doneEarly) == maxGone {
		// Only a misbehaving neighbour says so many times that actors
		// it never introduced are done.
		n.doneEarly = append(n.doneEarly[:0], n.doneEarly[1:]...)
	}
	n.doneEarly = append(n.doneEarly, pid)
}

func (a *portActor) isSender(pid *actor.PID) bool {
	for _, s := range a.senders {
		if s.GetPid().Equal(pid) {
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
