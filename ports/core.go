package ports

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// handleState is what the owner did with a port.
type handleState uint8

const (
	handleOpen    handleState = iota
	handleShipped             // transferred away; the port actor hands the queue on
	handleClosed              // closed by its owner, or its owner went away
)

// inMsg is one user message as it travels between port actors and waits in
// a port's queue. In-process it carries the Record itself; from another
// node it carries the record's bytes, decoded only when dispatched.
type inMsg struct {
	seq    uint64
	rec    *messages.Record
	raw    []byte
	encErr string
	tokens []*wire.Token
}

func (m *inMsg) size() int {
	if m.rec != nil {
		return m.rec.ByteSize()
	}
	return len(m.raw)
}

// portCore is the state of one port incarnation shared by its handle (used
// on the owner's goroutine) and its actor (run on whichever goroutine
// delivers to it). The queue lives here so that the owner consumes messages
// under the same lock the actor uses to hand the rest on when the port is
// shipped: a message is dispatched exactly once even when the port is
// transferred in the middle of a dispatch.
type portCore struct {
	ext      *Extension
	own      *owner     // the owning context's state
	ownerPID *actor.PID // the owning context
	pid      *actor.PID // this incarnation's actor
	key      uint64     // this incarnation's key (see wire.Ref)
	channel  uint64
	side     uint32
	epoch    uint32 // one more at every transfer of this end
	handle   *MessagePort
	note     *deliver // the notification sent to the owner, reused

	mu          sync.Mutex
	state       handleState
	enabled     bool
	q           []*inMsg
	head        int
	qBytes      int
	closeMark   bool // the channel is gone; a CloseEvent is due once the queue allows
	closeReason CloseReason
	closeFired  bool

	// The fast path (see fast.go).
	nextOut   uint64    // number of the next message posted on this end
	nextIn    uint64    // number of the next message expected from the other end
	fastPeer  *portCore // the other end's core, while posts may go straight there
	fastIn    bool      // whether the other end may append here directly
	slowPosts int       // posts sent to the actor and not yet numbered

	// handler is read and written only on the owner's goroutine.
	handler func(actor.Context, *MessageEvent)
}

// deliver tells the owner that one of its ports has something to dispatch.
// It carries no message: the owner takes the next entry of the queue, so a
// notification that finds nothing to do is simply ignored.
type deliver struct{ core *portCore }

// arriveResult says what the actor must do after offering a message.
type arriveResult uint8

const (
	arriveQueued arriveResult = iota
	arriveNotify
	arriveDropped  // the handle is closed: the actor abandons the message's ports
	arriveOverflow // the queue is full
)

// arrive appends an in-order message to the queue.
func (c *portCore) arrive(m *inMsg) arriveResult {
	size := m.size()
	c.mu.Lock()
	if c.state == handleClosed {
		c.mu.Unlock()
		return arriveDropped
	}
	if cfg := &c.ext.cfg; c.state == handleOpen && (cfg.maxMessages > 0 || cfg.maxBytes > 0) {
		// Limits apply to the owner's queue; a shipped port hands its
		// queue on as it is.
		n := len(c.q) - c.head
		if (cfg.maxMessages > 0 && n+1 > cfg.maxMessages) || (cfg.maxBytes > 0 && c.qBytes+size > cfg.maxBytes) {
			c.mu.Unlock()
			return arriveOverflow
		}
	}
	c.q = append(c.q, m)
	c.qBytes += size
	notify := c.enabled && c.state == handleOpen
	c.mu.Unlock()
	c.ext.queued.Add(1)
	if notify {
		return arriveNotify
	}
	return arriveQueued
}

// takeAll removes and returns every queued message (the port is shipped and
// its queue moves to the successor).
func (c *portCore) takeAll() (items []*inMsg, closeFired bool) {
	c.mu.Lock()
	items = c.q[c.head:]
	c.q, c.head, c.qBytes = nil, 0, 0
	closeFired = c.closeFired
	c.mu.Unlock()
	c.ext.queued.Add(-int64(len(items)))
	return items, closeFired
}

// markClosed records that the channel is gone. It reports whether the owner
// should be notified.
func (c *portCore) markClosed(reason CloseReason) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closeMark || c.closeFired {
		return false
	}
	c.closeMark = true
	c.closeReason = reason
	return c.state == handleOpen
}

// next is what the owner does with a notification.
type nextStep uint8

const (
	stepNothing nextStep = iota
	stepMessage
	stepClose
)

// next takes the next thing to dispatch, if any.
func (c *portCore) next() (nextStep, *inMsg, CloseReason) {
	c.mu.Lock()
	if c.state != handleOpen {
		c.mu.Unlock()
		return stepNothing, nil, 0
	}
	if c.enabled && c.head < len(c.q) {
		m := c.popLocked()
		c.mu.Unlock()
		c.ext.queued.Add(-1)
		return stepMessage, m, 0
	}
	if c.closeMark && !c.closeFired && c.ext.cfg.closeEvents != CloseEventsNone && c.head == len(c.q) {
		c.closeFired = true
		r := c.closeReason
		c.mu.Unlock()
		return stepClose, nil, r
	}
	c.mu.Unlock()
	return stepNothing, nil, 0
}

// tryPop takes the next queued message whether or not the queue is enabled
// (TryReceive). closeDue reports that the queue is now empty and a close
// event waits for that.
func (c *portCore) tryPop() (m *inMsg, closeDue bool) {
	c.mu.Lock()
	if c.state != handleOpen || c.head == len(c.q) {
		c.mu.Unlock()
		return nil, false
	}
	m = c.popLocked()
	closeDue = c.closeMark && !c.closeFired && c.head == len(c.q)
	c.mu.Unlock()
	c.ext.queued.Add(-1)
	return m, closeDue
}

func (c *portCore) popLocked() *inMsg {
	m := c.q[c.head]
	c.q[c.head] = nil
	c.head++
	c.qBytes -= m.size()
	if c.head == len(c.q) {
		c.q, c.head = c.q[:0], 0
	} else if c.head > 64 && c.head*2 > len(c.q) {
		n := copy(c.q, c.q[c.head:])
		clear(c.q[n:])
		c.q, c.head = c.q[:n], 0
	}
	return m
}

// enable starts the queue and returns how many notifications the owner must
// send itself for the messages already waiting.
func (c *portCore) enable() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != handleOpen || c.enabled {
		return 0
	}
	c.enabled = true
	n := len(c.q) - c.head
	if c.closeMark && !c.closeFired {
		n++
	}
	return n
}

// ship marks the handle shipped. It returns false if it was not open.
func (c *portCore) ship() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != handleOpen {
		return false
	}
	c.state = handleShipped
	c.ext.openHandles.Add(-1)
	return true
}

// closeHandle marks the handle closed and returns the messages it will never
// dispatch (their ports must be abandoned). ok is false if it was not open.
func (c *portCore) closeHandle() (dropped []*inMsg, ok bool) {
	c.mu.Lock()
	if c.state != handleOpen {
		c.mu.Unlock()
		return nil, false
	}
	c.state = handleClosed
	dropped = c.q[c.head:]
	c.q, c.head, c.qBytes = nil, 0, 0
	c.mu.Unlock()
	c.ext.openHandles.Add(-1)
	c.ext.queued.Add(-int64(len(dropped)))
	return dropped, true
}

func (c *portCore) currentState() handleState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

func (c *portCore) ref() *wire.Ref {
	return &wire.Ref{Pid: c.pid, Key: c.key, Side: c.side, Epoch: c.epoch}
}

// markCloseFired records that the close event of this end already fired at
// a previous owner, so this incarnation must not fire it again.
func (c *portCore) markCloseFired() {
	c.mu.Lock()
	c.closeFired = true
	c.mu.Unlock()
}

func (c *portCore) closeWasFired() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeFired
}
