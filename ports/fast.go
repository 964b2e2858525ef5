package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// The fast path. In the steady state of a channel (both ends open, talking
// directly, no transfer under way) a message without ports needs none of
// the protocol: PostMessage numbers it in the sending core and appends it
// to the receiving core's queue itself, then notifies the receiver's owner.
// That is one goroutine hop from context to context, with no port actor on
// the way. When the other end is on another node, the sending owner sends
// the numbered wire.Msg itself (fastFar), and the receiving port's mailbox
// appends it to its core's queue while the actor is idle (acceptFar in
// mailbox.go).
//
// Both port actors stay in charge. The sending core keeps the next number
// (nextOut) and a pointer to the receiving core (fastPeer) that the
// sending actor sets only while it is open, its peer is the other end's
// open actor in this process and nothing is posted through it; the
// receiving core accepts a message only while its actor allows it
// (fastIn: open, the other end not closed, no gap to fill) and only if it
// is the next number. Otherwise the message goes to the receiving actor as
// an ordinary protocol message, and the actor sorts it out. Whenever a port
// actor handles a message it first pauses both (and takes the counters),
// then hands them back when it is done, so the protocol logic never races
// with the fast path.

// coreOf returns the core of a live local port actor.
func (e *Extension) coreOf(pid *actor.PID) *portCore {
	if pid == nil || !e.isLocal(pid) {
		return nil
	}
	if v, ok := e.live.Load(pid.GetId()); ok {
		return v.(*portCore)
	}
	return nil
}

// fastResult says what became of a message offered on the fast path.
type fastResult uint8

const (
	fastQueued   fastResult = iota // appended, nobody to notify
	fastNotify                     // appended: notify the owner
	fastDropped                    // the receiving handle is closed
	fastFallback                   // not taken: send it to the receiving actor
)

// tryFastPost numbers and hands over a message without ports (m, whose
// seq it sets), if the fast path is open. It reports false when the caller
// must take the slow path.
func (c *portCore) tryFastPost(ctx actor.SenderContext, m inMsg) bool {
	c.mu.Lock()
	peer, far := c.fastPeer, c.fastFar
	if (peer == nil && far == nil) || c.slowPosts > 0 || c.state != handleOpen {
		c.mu.Unlock()
		return false
	}
	m.seq = c.nextOut
	c.nextOut++
	c.mu.Unlock()
	if far != nil {
		// The other end is on another node: the message goes to it as
		// the port actor would send it. Whatever the actor sends next
		// (a Closed with its last number, say) may overtake it; the
		// other end orders by number, as for any two messages.
		e := c.own.ext
		e.tr.send(ctx, far.GetPid(), e.encodeMsg(far.GetKey(), c.key, &m))
		return true
	}
	c.handOverFast(ctx, peer, &m)
	return true
}

// handOverFast gives the next message to the other end's core in this
// process.
func (c *portCore) handOverFast(ctx actor.SenderContext, peer *portCore, m *inMsg) {
	switch res, note := peer.acceptFast(m, c.key, peer.own == c.own); res {
	case fastNotify:
		ctx.Send(peer.own.self, note)
	case fastDropped:
		c.own.ext.dropped.Add(1)
	case fastFallback:
		ctx.Send(peer.pid, &userMsg{key: peer.key, from: c.key, inMsg: *m})
	}
}

// acceptFast appends the next message to the queue if the actor allows it
// and from is the key of one of the actor's neighbours (see resumeFast),
// and returns the notification to send the owner, if one is due (see
// noteLocked).
func (c *portCore) acceptFast(m *inMsg, from uint64, fromOwner bool) (fastResult, *deliver) {
	c.mu.Lock()
	if !c.fastIn || m.seq != c.nextIn || (from != c.fastFrom[0] && from != c.fastFrom[1]) {
		c.mu.Unlock()
		return fastFallback, nil
	}
	if c.state == handleClosed {
		c.nextIn++
		c.mu.Unlock()
		return fastDropped, nil
	}
	size := m.size()
	if c.fullLocked(size) {
		c.mu.Unlock()
		return fastFallback, nil // the actor applies the overflow policy
	}
	c.nextIn++
	c.q.push(*m)
	c.qBytes += size
	note := c.noteLocked(fromOwner)
	c.mu.Unlock()
	c.own.ext.queued.Add(1)
	if note != nil {
		return fastNotify, note
	}
	return fastQueued, nil
}

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
	c.mu.Lock()
	c.nextOut, c.nextIn = nextOut, nextIn
	c.fastPeer, c.fastFar, c.fastIn = peer, far, in
	c.fastFrom = from
	c.mu.Unlock()
}

// slowPost counts a post sent to the actor: until the actor has numbered
// it, later posts must not overtake it on the fast path.
func (c *portCore) slowPost() {
	c.mu.Lock()
	c.slowPosts++
	c.mu.Unlock()
}

// slowPosted is called by the actor for each post it takes from the slow
// path (numbered, or dropped).
func (c *portCore) slowPosted() {
	c.mu.Lock()
	c.slowPosts--
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
	if a.ext.fast && a.role == roleOpen && !a.peerClosed && !a.lastKnown {
		// Messages come straight in only in order, from the peer or the
		// one actor that sends here, and with nothing held back from an
		// actor not yet known (see neighbours.go).
		in = len(a.reorder) == 0 && len(a.senders) <= 1 && a.holding() == 0
		if in {
			from[0] = a.peer.GetKey()
			from[1] = from[0]
			if len(a.senders) == 1 {
				from[1] = a.senders[0].GetKey()
			}
		}
		switch {
		case a.peer == nil || a.peer.GetPid() == nil:
		case !a.ext.isLocal(a.peer.GetPid()):
			far = a.peer
		default:
			if p := a.ext.coreOf(a.peer.GetPid()); p != nil && p.key == a.peer.GetKey() {
				peer = p
			}
		}
	}
	a.core.resume(a.nextOut, a.nextIn, peer, far, in, from)
}
