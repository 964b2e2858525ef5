package ports

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/primrec"
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
// a port's queue. In-process it carries the Record itself, or, for a
// primitive (messages.IsPrimitive: its own clone), the value with no
// record at all; from another node it carries the record's bytes, decoded
// only when dispatched.
type inMsg struct {
	seq uint64
	// val is the data: the primitive itself when prim; otherwise the
	// *messages.Record (in-process) or the farData it came in (from
	// another node), or nil. One field for the three keeps a queued
	// message at 56 bytes.
	val    any
	prim   bool // val is the data; tokens are unset
	tokens []*wire.Token
}

// record returns the message's Record, if it carries one.
func (m *inMsg) record() *messages.Record {
	if m.prim {
		return nil
	}
	r, _ := m.val.(*messages.Record)
	return r
}

// farData returns the protobuf message a message from another node came
// in, if it did.
func (m *inMsg) farData() farData {
	if m.prim {
		return nil
	}
	f, _ := m.val.(farData)
	return f
}

// farData is what a message from another node carries in place of a
// Record: the record's bytes, or the sender's reason for having none
// (wire.Msg and wire.Direct).
type farData interface {
	GetRecord() []byte
	GetEncodeError() string
}

// decodeFar rebuilds the data of a message from another node: a primitive
// directly (when no ports travel with it), anything else as a Record.
func decodeFar(f farData, withPorts bool, cfg *config) (rec *messages.Record, prim any, err error) {
	var raw []byte
	if f != nil {
		if e := f.GetEncodeError(); e != "" {
			return nil, nil, &messages.DataCloneError{Reason: "the sender could not encode the message for the trip: " + e}
		}
		raw = f.GetRecord()
	}
	if !withPorts {
		if v, ok := primrec.Decode(raw, cfg.decodeMaxBytes); ok {
			return nil, v, nil
		}
	}
	rec, err = messages.DecodeRecord(raw, cfg.decodeOptions...)
	return rec, nil, err
}

func (m *inMsg) size() int {
	switch {
	case m.prim:
		return primSize(m.val)
	}
	switch v := m.val.(type) {
	case *messages.Record:
		if v != nil {
			return v.ByteSize()
		}
	case farData:
		return len(v.GetRecord())
	}
	return 0
}

// primSize is what a primitive counts against queue limits: its string
// bytes plus a node, like its record would.
func primSize(v any) int {
	if s, ok := v.(string); ok {
		return len(s) + 8
	}
	return 8
}

// portCore is the state of one port incarnation shared by its handle (used
// on the owner's goroutine) and its actor (run on whichever goroutine
// delivers to it). The queue lives here so that the owner consumes messages
// under the same lock the actor uses to hand the rest on when the port is
// shipped: a message is dispatched exactly once even when the port is
// transferred in the middle of a dispatch.
type portCore struct {
	own     *owner     // the owning context's state: own.self is its PID, own.ext the extension
	pid     *actor.PID // this incarnation's actor
	key     uint64     // this incarnation's key (see wire.Ref)
	channel uint64
	side    uint32
	epoch   uint32      // one more at every transfer of this end
	handle  MessagePort // the owner's handle (&handle)
	note    deliver     // the notification sent to the owner (&note), reused

	mu          sync.Mutex
	state       handleState
	enabled     bool
	closeMark   bool // the channel is gone; a CloseEvent is due once the queue allows
	closeReason CloseReason
	closeFired  bool
	// batched: a batch notification (batchNote) is in the owner's mailbox,
	// or being handled, and will take the messages appended behind it.
	batched bool
	fastIn  bool            // the fast path (see fast.go): whether the other end may append here directly
	q       segQueue[inMsg] // by value: a queued message costs no allocation of its own
	qBytes  int

	batchNote *deliver // made on first use

	// The fast path (see fast.go).
	nextOut   uint64    // number of the next message posted on this end
	nextIn    uint64    // number of the next message expected from the other end
	fastPeer  *portCore // the other end's core, while posts may go straight there
	fastFar   *wire.Ref // the other end on another node, while posts may go straight there
	fastFrom  [2]uint64 // keys of the neighbours whose messages may come straight in
	slowPosts int       // posts sent to the actor and not yet numbered

	// handler is read and written only on the owner's goroutine.
	handler func(actor.Context, *MessageEvent)
}

// deliver tells the owner that one of its ports has something to dispatch.
// It carries no message: the owner takes the next entry of the queue, so a
// notification that finds nothing to do is simply ignored.
//
// A plain notification dispatches one event. A batch notification (batch
// set; each core has one, sent while batched is false) dispatches up to
// batchBudget events, each in a Receive of its own, and sends itself
// again if more are waiting, so a burst from another actor costs one
// mailbox message per batch while the owner's other messages (timers,
// other senders) still get their turn between batches.
type deliver struct {
	core  *portCore
	batch bool
}

// batchBudget is how many events a batch notification dispatches before
// the owner's mailbox gets its turn again.
const batchBudget = 64

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
	c.q.push(*m)
	c.qBytes += size
	note := c.noteLocked(fromOwner)
	c.mu.Unlock()
	c.own.ext.queued.Add(1)
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
	c.own.ext.queued.Add(-int64(len(items)))
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

// next takes the next thing to dispatch, if any. For a batch notification
// (endBatch), finding nothing also ends the batch, in the same critical
// section, so the next message appended sends a new one.
//
// With stepMessage it fills m, and left is how many messages stay queued.
func (c *portCore) next(endBatch bool, m *inMsg) (step nextStep, reason CloseReason, left int) {
	c.mu.Lock()
	if c.state != handleOpen {
		if endBatch {
			c.batched = false
		}
		c.mu.Unlock()
		return stepNothing, 0, 0
	}
	if c.enabled && c.q.len() > 0 {
		*m = c.popLocked()
		left = c.q.len()
		c.mu.Unlock()
		c.own.ext.queued.Add(-1)
		return stepMessage, 0, left
	}
	if c.closeMark && !c.closeFired && c.own.ext.cfg.closeEvents != CloseEventsNone && c.q.len() == 0 {
		c.closeFired = true
		r := c.closeReason
		c.mu.Unlock()
		return stepClose, r, 0
	}
	if endBatch {
		c.batched = false
	}
	c.mu.Unlock()
	return stepNothing, 0, 0
}

// tryPop takes the next queued message into m whether or not the queue is
// enabled (TryReceive); ok is false if there is none. closeDue reports that
// the queue is now empty and a close event waits for that.
func (c *portCore) tryPop(m *inMsg) (ok, closeDue bool) {
	c.mu.Lock()
	if c.state != handleOpen || c.q.len() == 0 {
		c.mu.Unlock()
		return false, false
	}
	*m = c.popLocked()
	closeDue = c.closeMark && !c.closeFired && c.q.len() == 0
	c.mu.Unlock()
	c.own.ext.queued.Add(-1)
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
	if c.batchNote == nil {
		c.batchNote = &deliver{core: c, batch: true}
	}
	return c.batchNote
}

// ship marks the handle shipped. It returns false if it was not open.
func (c *portCore) ship() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != handleOpen {
		return false
	}
	c.state = handleShipped
	c.own.ext.openHandles.Add(-1)
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
	dropped = pointers(c.q.drain())
	c.qBytes = 0
	c.mu.Unlock()
	c.own.ext.openHandles.Add(-1)
	c.own.ext.queued.Add(-int64(len(dropped)))
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
