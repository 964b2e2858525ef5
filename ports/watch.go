package ports

import (
	"github.com/asynkron/protoactor-go/actor"
)

// The watch. A port actor watches the actors it depends on (its peer and
// senders, the holder it claims from, the custodian of its carrier) and
// looks at a death only after what the dead actor sent before it
// (onCheckLost); a never-moved pair in one owner watches nobody
// (freshPair). A port actor of this process is watched through its core
// rather than with protoactor (localwatch.go).

// rewatch watches exactly the actors this one depends on: its peer (unless
// it has closed, in this process) and senders (while pending, the holder it claims from;
// while shipping, also the actor that has the message carrying the port). One of them that is
// already gone (an actor of this process no longer registered) is not
// watched: this actor looks at its death as if its Terminated had come.
func (a *portActor) rewatch(ctx actor.Context) {
	// A port depends on a few actors: the list is built on the stack, and
	// only a changed list is stored (in watching's own array if it fits).
	var buf [4]*actor.PID
	want := buf[:0]
	add := func(p *actor.PID) {
		if p != nil && !containsPID(want, p) {
			want = append(want, p)
		}
	}
	switch a.role {
	case rolePending:
		add(a.pending().holder.GetHolder().GetPid())
	case roleOpen, roleShipping, roleProxy, roleClosing:
		if a.freshPair() {
			break
		}
		if p := a.peer.GetPid(); !a.peerClosed || a.role == roleProxy || a.role == roleClosing || !a.ext().isLocal(p) {
			// (An open or shipped end whose other end, in this
			// process, has closed learns nothing from that end's
			// death: onCheckLost. See onClosed for another node.)
			add(p)
		}
		for _, s := range a.senders {
			add(s.GetPid())
		}
	}
	if s := a.shipping(); s != nil {
		add(s.custodian)
	}
	if a.neighbours == nil {
		if len(want) == 0 {
			return // an idle fresh port watches nobody
		}
		a.neighbours = &neighbours{}
	}
	for _, p := range a.watching {
		if !containsPID(want, p) {
			a.ext().unwatch(ctx, p)
		}
	}
	watched := want[:0]
	for _, p := range want {
		switch {
		case containsPID(a.watching, p):
		case a.ext().watch(ctx, p):
		default:
			// Gone already: look at its death, as its Terminated
			// would have made this actor do.
			a.checkLostBehind(ctx, p)
			continue
		}
		watched = append(watched, p)
	}
	if samePIDs(a.watching, watched) {
		return
	}
	// Nothing but this field holds watching's array (removePID returns a
	// new array, or a prefix of this one that replaces it here), so it
	// can take the new list.
	if a.watching == nil {
		a.watching = a.watchBuf[:0]
	}
	a.watching = append(a.watching[:0], watched...)
	if len(a.watching) == 0 {
		a.watching = nil
	}
}

// samePIDs reports whether a and b hold the same actors in the same order.
func samePIDs(a, b []*actor.PID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
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
	if a.neighbours == nil {
		return
	}
	a.watching = removePID(a.watching, who)
}

// checkLostBehind has this actor look at the death of who (onCheckLost)
// after every message who sent before dying, unless such a look is on its
// way already: that one comes after this actor's present state (the role
// changes that call rewatch come before it is handled), and after all of
// who's messages, so a second would find nothing the first did not.
func (a *portActor) checkLostBehind(ctx actor.Context, who *actor.PID) {
	if containsPID(a.lostDue, who) {
		return
	}
	a.lostDue = append(a.lostDue, who)
	a.ext().tr.behind(ctx, who, &checkLost{who: who})
}

// removePID returns list without p, in an array of its own (or list
// itself if p is not in it).
func removePID(list []*actor.PID, p *actor.PID) []*actor.PID {
	for i, q := range list {
		if q.Equal(p) {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

func (a *portActor) unwatchAll(ctx actor.Context) {
	if a.neighbours == nil {
		return
	}
	for _, p := range a.watching {
		a.ext().unwatch(ctx, p)
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

// onCheckLost looks at the death of an actor this one watched, after every
// message that actor sent before dying.
func (a *portActor) onCheckLost(ctx actor.Context, who *actor.PID) {
	isPeer := sameActor(a.peer, who)
	isPrev := a.isSender(who)
	inboundDone := a.lastKnown && a.nextIn > a.lastIn
	switch a.role {
	case rolePending:
		if sameActor(a.pending().holder.GetHolder(), who) {
			// The holder died before handing the port over.
			a.adoptLost(ctx)
		}
	case roleOpen, roleShipping:
		if s := a.shipping(); s != nil && s.custodian != nil && s.custodian.Equal(who) {
			// The actor that had the message carrying this port is
			// gone before anyone claimed the port: the message is lost.
			s.custodian = nil
			a.onAbandon(ctx, s.nonce)
			return
		}
		if (isPeer && !a.peerClosed) || (isPrev && !inboundDone) {
			a.fail(ctx)
		}
	case roleProxy:
		switch {
		case (isPeer || isPrev) && !inboundDone:
			// The route is broken here; the neighbours close with
			// what they have.
			a.failStop(ctx)
		case isPeer:
			// Everything was forwarded and the successor is gone:
			// nothing is left to do here.
			a.retire(ctx)
		case isPrev:
			// A predecessor that died sends no PrevIs; it sends
			// nothing at all any more.
			a.senderDone(who, a.nextIn-1) // what it sent before dying has been handled
			a.maybeRetire(ctx)
		}
	case roleClosing:
		if isPeer || isPrev {
			a.failStop(ctx)
		}
	}
}
