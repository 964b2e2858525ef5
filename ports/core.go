package ports

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// handleState is what the owner did with a port.
type handleState uint8

const (
	handleOpen    handleState = iota
	handleShipped             // transferred away; the port actor hands the queue on
	handleClosed              // closed by its owner, or its owner went away
)

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
	fastIn  bool // the fast path (see fast.go): whether the other end may append here directly
	live    bool // the actor has started and not begun to stop: coreOf finds it (see registry.go)
	// q is made with the first message (see push), so an idle port has
	// none; a queued message costs no allocation of its own.
	q      *segQueue[inMsg]
	qBytes int

	batchNote *batchNote // made on first use, under mu; never replaced

	// The fast path (see fast.go).
	nextOut   uint64    // number of the next message posted on this end
	nextIn    uint64    // number of the next message expected from the other end
	fastPeer  *portCore // the other end's core, while posts may go straight there
	fastFar   *wire.Ref // the other end on another node, while posts may go straight there
	fastFrom  [2]uint64 // keys of the neighbours whose messages may come straight in
	slowPosts int32     // posts sent to the actor and not yet numbered
	// farPending counts posts numbered for the other end on another node
	// and not yet sent (see farwait.go), with farWakeWanted set while the
	// actor waits for them.
	farPending atomic.Int32

	// handler takes the port's messages instead of the owner's Receive
	// (OnMessage, OnData); read and written only on the owner's goroutine.
	handler *portHandler

	// watchedBy lists the port actors of this process that watch this
	// one (see localwatch.go); nil while nobody has, stoppedWatchList
	// once the actor stopped unwatched.
	watchedBy *watchList
}

// ship marks the handle shipped. It returns false if it was not open. The
// messages the owner has taken and not dispatched go back to the queue,
// which the actor hands to the successor. Owner's goroutine only.
func (c *portCore) ship() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != handleOpen {
		return false
	}
	c.giveBackLocked()
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
	c.own.queued.Add(-int64(len(dropped)))
	return dropped, true
}

// push queues a message, making the queue on first use. Called under mu.
func (c *portCore) push(m *inMsg) {
	if c.q == nil {
		c.q = newPortQueue()
	}
	if !c.enabled && c.q.len() == 0 {
		c.own.ext.noteUnstarted(c) // the PortNotStarted scan looks at it (watchdiag.go)
	}
	c.q.push(*m)
}

// portSegments are the emptied full-size segments of the ports' queues
// (see segQueue), shared by every port of the process.
var portSegments sync.Pool

// newPortQueue makes a port's queue, which shares portSegments.
func newPortQueue() *segQueue[inMsg] { return &segQueue[inMsg]{pool: &portSegments} }

// isLive reports whether the port actor has started and not begun to stop.
func (c *portCore) isLive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// setLive records that the port actor started (true) or began to stop
// (false), and reports whether that changed anything.
func (c *portCore) setLive(live bool) (changed bool) {
	c.mu.Lock()
	changed = c.live != live
	c.live = live
	c.mu.Unlock()
	return changed
}

func (c *portCore) currentState() handleState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

func (c *portCore) ref() *wire.Ref {
	return &wire.Ref{Pid: c.pid, Key: c.key, Side: c.side, Epoch: c.epoch}
}
