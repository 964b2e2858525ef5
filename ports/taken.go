package ports

// The messages a batch has taken. A batch notification (onBatch) takes the
// messages it is going to dispatch from the port's queue several at a
// time, under one lock, instead of one lock per message: in a burst the
// sender appends under that same lock, and taking them one by one made the
// two goroutines fight over it for every message.
//
// The taken messages are still the port's queue, only held on the owner's
// side: whatever the owner's code does to the port between two of them
// meets them first, in order. Closing the port drops them with the rest
// (closePort), shipping it puts them back at the head of the queue for the
// successor (ship), TryReceive takes the first of them (tryPop), and a
// batch that ends before it has dispatched them all (the owner stops, a
// handler panics) puts them back too (onBatch).
//
// Only the owner's goroutine touches them. That is why a port takes one
// message at a time when queue limits are set (WithQueueLimit): its actor
// may then close the handle on overflow from its own goroutine, and the
// limits count what is queued.

// takenBatch is what an owner's running batch has taken from one port's
// queue and not yet dispatched: buf[i:n], for core.
type takenBatch struct {
	core *portCore // nil when nothing is held
	buf  []inMsg
	i, n int
}

// multiTake reports whether c's owner may take several messages at once.
func (c *portCore) multiTake() bool {
	cfg := &c.own.ext.cfg
	return cfg.maxMessages <= 0 && cfg.maxBytes <= 0
}

// takeMoreLocked moves up to limit more queued messages into the owner's
// taken batch, after the one next has just popped; limit is at most
// batchBudget. Called under mu, on the owner's goroutine, with nothing
// held.
func (c *portCore) takeMoreLocked(limit int) int {
	k := min(limit, c.q.len())
	if k <= 0 {
		return 0
	}
	t := &c.own.taken
	if cap(t.buf) < k {
		t.buf = make([]inMsg, min(batchBudget, max(2*cap(t.buf), k)))
	}
	for j := range k {
		t.buf[j] = c.popLocked()
	}
	t.core, t.i, t.n = c, 0, k
	return k
}

// popTaken fills m with the next message c's owner holds for it, if any.
// Owner's goroutine only.
func (c *portCore) popTaken(m *inMsg) bool {
	t := &c.own.taken
	if t.core != c || t.i == t.n {
		return false
	}
	*m = t.buf[t.i]
	t.buf[t.i] = inMsg{} // the slot must not keep the message alive
	t.i++
	c.own.queued.Add(-1) // it waited until now (Stats.QueuedMessages)
	if t.i == t.n {
		t.core, t.i, t.n = nil, 0, 0
	}
	return true
}

// heldByOwner reports how many messages c's owner holds for it. Owner's
// goroutine only.
func (c *portCore) heldByOwner() int {
	t := &c.own.taken
	if t.core != c {
		return 0
	}
	return t.n - t.i
}

// giveBackLocked puts the messages c's owner holds for it back at the head
// of the queue, in order. Called under mu, on the owner's goroutine.
func (c *portCore) giveBackLocked() {
	t := &c.own.taken
	if t.core != c {
		return
	}
	rest := t.buf[t.i:t.n]
	if c.q == nil {
		c.q = newPortQueue()
	}
	c.q.prepend(rest)
	for j := range rest {
		c.qBytes += rest[j].size()
		rest[j] = inMsg{}
	}
	// (They never stopped counting as queued: see popTaken.)
	t.core, t.i, t.n = nil, 0, 0
}

// giveBack is giveBackLocked under mu.
func (c *portCore) giveBack() {
	c.mu.Lock()
	c.giveBackLocked()
	c.mu.Unlock()
}
