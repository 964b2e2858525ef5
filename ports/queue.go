package ports

import "sync/atomic"

// The queue of a port, in its core: the actor (or the fast path) appends
// in number order (arrive; acceptFast in post.go), the owner takes (next,
// tryPop), and the notifications that make the owner look are decided here
// (noteLocked, enable). A shipped port's actor takes the whole queue
// (takeAll).

// arriveResult says what the actor must do after offering a message.
type arriveResult uint8

const (
	arriveQueued arriveResult = iota
	arriveNotify
	arriveDropped  // the handle is closed: the actor abandons the message's ports
	arriveOverflow // the queue is full
)

// arrive appends an in-order message to the queue, and returns the
// notification to send the owner with arriveNotify (see noteLocked).
func (c *portCore) arrive(m *inMsg, fromOwner bool) (arriveResult, *deliver) {
	size := m.size()
	c.mu.Lock()
	if c.state == handleClosed {
		c.mu.Unlock()
		return arriveDropped, nil
	}
	if c.fullLocked(size) {
		c.mu.Unlock()
		return arriveOverflow, nil
	}
	c.push(m)
	c.qBytes += size
	note := c.noteLocked(fromOwner)
	c.mu.Unlock()
	c.own.queued.Add(1)
	if note != nil {
		return arriveNotify, note
	}
	return arriveQueued, nil
}

// noteLocked returns the notification due for a message just queued, if
// any. A message from another actor shares one outstanding batch
// notification with those behind it: a burst costs one mailbox message per
// batch, not per message. A message from the owner itself (both ends in one
// actor, never shipped) gets a notification of its own, so that deliveries
// across all such ports follow posting order, as the standard's unshipped
// port message queue requires.
func (c *portCore) noteLocked(fromOwner bool) *deliver {
	switch {
	case !c.enabled || c.state != handleOpen:
		return nil
	case fromOwner:
		return &c.note
	case !c.batched:
		return c.batchNoteLocked()
	}
	return nil
}

// fullLocked reports whether a message of size bytes would exceed the
// queue limits. Limits apply to the owner's queue; a shipped port hands
// its queue on as it is.
func (c *portCore) fullLocked(size int) bool {
	cfg := &c.own.ext.cfg
	if c.state != handleOpen || (cfg.maxMessages <= 0 && cfg.maxBytes <= 0) {
		return false
	}
	return (cfg.maxMessages > 0 && c.q.len()+1 > cfg.maxMessages) || (cfg.maxBytes > 0 && c.qBytes+size > cfg.maxBytes)
}

// takeAll removes and returns every queued message (the port is shipped and
// its queue moves to the successor).
func (c *portCore) takeAll() (items []*inMsg, closeFired bool) {
	c.mu.Lock()
	items = pointers(c.q.drain())
	c.qBytes = 0
	closeFired = c.closeFired
	c.mu.Unlock()
	c.own.queued.Add(-int64(len(items)))
	return items, closeFired
}

// next is what the owner does with a notification.
type nextStep uint8

const (
	stepNothing nextStep = iota
	stepMessage
	stepClose
)

// next takes the next thing to dispatch, if any. For a batch notification
// (endBatch), finding nothing also ends the batch, in the same critical
// section, so the next message appended sends a new one. So does taking
// the last queued message when no close event waits behind it: then ended
// is true, and the batch dispatches that message and stops without looking
// again (a message appended meanwhile has sent a notification of its own).
// A ping-pong's every batch is one message: it takes the lock once, not
// twice, and in a burst the owner stops taking the lock the sender needs
// once it has caught up.
//
// With stepMessage it fills m, and left is how many messages stay queued
// (those the owner has taken included).
//
// take is how many messages the caller will dispatch at most, this one
// included: a batch takes up to that many at once (see taken.go), and
// serves the next ones from what it took, without the lock.
func (c *portCore) next(endBatch bool, m *inMsg, take int) (step nextStep, reason CloseReason, left int, ended bool) {
	if c.popTaken(m) {
		// Nothing else changes a port the owner holds messages for:
		// closing and shipping it happen here, on the owner's
		// goroutine, and give them back or drop them first.
		return stepMessage, 0, c.heldByOwner(), false
	}
	c.mu.Lock()
	if c.state != handleOpen {
		if endBatch {
			c.batched = false
		}
		c.mu.Unlock()
		return stepNothing, 0, 0, endBatch
	}
	if c.enabled && c.q.len() > 0 {
		*m = c.popLocked()
		taken := 0
		if take > 1 && c.multiTake() {
			taken = c.takeMoreLocked(take - 1)
		}
		left = c.q.len() + taken
		if endBatch && left == 0 && !c.closeMark {
			c.batched = false
			ended = true
		}
		c.mu.Unlock()
		c.own.queued.Add(-1) // the taken ones wait still: popTaken counts them
		return stepMessage, 0, left, ended
	}
	if c.closeDueLocked() {
		c.closeFired = true
		r := c.closeReason
		c.mu.Unlock()
		return stepClose, r, 0, false
	}
	if endBatch {
		c.batched = false
	}
	c.mu.Unlock()
	return stepNothing, 0, 0, endBatch
}

// tryPop takes the next queued message into m whether or not the queue is
// enabled (TryReceive); ok is false if there is none. closeDue reports that
// the queue is now empty and a close event waits for that.
func (c *portCore) tryPop(m *inMsg) (ok, closeDue bool) {
	if c.popTaken(m) {
		// Taken by the batch this TryReceive runs in: the next in line.
		c.mu.Lock()
		closeDue = c.closeMark && !c.closeFired && c.q.len() == 0 && c.heldByOwner() == 0
		c.mu.Unlock()
		return true, closeDue
	}
	c.mu.Lock()
	if c.state != handleOpen || c.q.len() == 0 {
		c.mu.Unlock()
		return false, false
	}
	*m = c.popLocked()
	closeDue = c.closeMark && !c.closeFired && c.q.len() == 0
	c.mu.Unlock()
	c.own.queued.Add(-1)
	return true, closeDue
}

func (c *portCore) popLocked() inMsg {
	m, _ := c.q.pop()
	c.qBytes -= m.size()
	return m
}

// pointers returns the messages of a drained queue as the actor keeps them.
func pointers(ms []inMsg) []*inMsg {
	if len(ms) == 0 {
		return nil
	}
	out := make([]*inMsg, len(ms))
	for i := range ms {
		out[i] = &ms[i]
	}
	return out
}

// enable starts the queue. If something is already waiting (messages, or
// the close event), it returns the notification the owner must send
// itself: the batch notification, which takes them all, in turns.
func (c *portCore) enable() *deliver {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != handleOpen || c.enabled {
		return nil
	}
	c.enabled = true
	if c.q.len() == 0 && !(c.closeMark && !c.closeFired) {
		return nil
	}
	if c.batched {
		return nil
	}
	return c.batchNoteLocked()
}

// batchNoteLocked marks the batch notification as sent and returns it.
func (c *portCore) batchNoteLocked() *deliver {
	c.batched = true
	return &c.batchNoteMadeLocked().deliver
}

// batchNote is a port's batch notification (its deliver, sent again and
// again), with what the fast path needs to know to send it as an event
// (see noteMessage).
// Only a port that gets messages or a handler has one: an idle port's
// core stays as small as it was.
type batchNote struct {
	deliver
	// onData: the port has an OnData handler, whose messages make no
	// event (its handler, as another goroutine may read it).
	onData atomic.Bool
}

// batchNoteMadeLocked returns the batch notification, made on first use;
// c.mu is held.
func (c *portCore) batchNoteMadeLocked() *batchNote {
	if c.batchNote == nil {
		c.batchNote = &batchNote{deliver: deliver{core: c, batch: true}}
	}
	return c.batchNote
}
