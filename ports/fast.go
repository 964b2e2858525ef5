package ports

import (
	"github.com/entangle-go/entangle/internal/wire"
)

// The fast path: when the port actors let posts skip them. In the steady
// state of a channel (both ends open, talking directly, no transfer under
// way) a message needs none of the protocol: PostMessage numbers it in
// the sending core and appends it to the receiving core's queue itself
// (tryFastPost and acceptFast, in post.go), then notifies the receiver's
// owner. If it carries ports, their holders are told first that the
// receiving owner has it (handOverFast), as the port actors would.
// That is one goroutine hop from context to context, with no port actor on
// the way. When the other end is on another node, the sending owner sends
// the numbered wire.Msg itself (fastFar), and the receiving port's mailbox
// appends it to its core's queue while the actor is idle (acceptFar in
// mailbox.go); a message that carries ports goes there through the port
// actors.
//
// Both port actors stay in charge. The sending core keeps the next number
// (nextOut) and a pointer to the receiving core (fastPeer) that the
// sending actor sets only while it is open, its peer is the other end's
// open actor in this process (found with coreOf, registry.go) and nothing
// is posted through it; the
// receiving core accepts a message only while its actor allows it
// (fastIn: open, the other end not closed, no gap to fill) and only if it
// is the next number. Otherwise the message goes to the receiving actor as
// an ordinary protocol message, and the actor sorts it out. Whenever a port
// actor handles a message it first pauses both (and takes the counters),
// then hands them back when it is done, so the protocol logic never races
// with the fast path. This file holds that hand-over (pause and resume).

// pause stops the fast path in both directions and returns the counters:
// from now on only the actor changes them, until resume.
func (c *portCore) pause() (nextOut, nextIn uint64) {
	c.mu.Lock()
	c.fastPeer, c.fastFar, c.fastIn = nil, nil, false
	nextOut, nextIn = c.nextOut, c.nextIn
	c.mu.Unlock()
	return nextOut, nextIn
}

// resume hands the counters back and reopens the fast path as allowed.
func (c *portCore) resume(nextOut, nextIn uint64, peer *portCore, far *wire.Ref, in bool, from [2]uint64) {
	if far != nil && !c.own.ext.farSeen.Load() {
		c.own.ext.farSeen.Store(true) // before fastFar is set: see sendsFar
	}
	c.mu.Lock()
	c.nextOut, c.nextIn = nextOut, nextIn
	c.fastPeer, c.fastFar, c.fastIn = peer, far, in
	c.fastFrom = from
	c.mu.Unlock()
}

// pauseFast is the start of every message a port actor handles.
func (a *portActor) pauseFast() {
	a.nextOut, a.nextIn = a.core.pause()
}

// resumeFast is the end of every message a port actor handles.
func (a *portActor) resumeFast() {
	var peer *portCore
	var far *wire.Ref
	in := false
	var from [2]uint64
	if a.ext().fast && a.role == roleOpen && !a.peerClosed && !a.lastKnown {
		// Messages come straight in only in order, from the peer or the
		// one actor that sends here, and with nothing held back from an
		// actor not yet known (see neighbours.go).
		in = (a.neighbours == nil || len(a.reorder) == 0) && len(a.senders) <= 1 && a.holding() == 0
		if in {
			from[0] = a.peer.GetKey()
			from[1] = from[0]
			if len(a.senders) == 1 {
				from[1] = a.senders[0].GetKey()
			}
		}
		switch {
		case a.peer == nil || a.peer.GetPid() == nil:
		case !a.ext().isLocal(a.peer.GetPid()):
			far = a.peer
		default:
			if p := a.ext().coreOf(a.peer.GetPid()); p != nil && p.key == a.peer.GetKey() {
				peer = p
			}
		}
	}
	a.core.resume(a.nextOut, a.nextIn, peer, far, in, from)
}
