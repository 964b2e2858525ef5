package ports

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/mailq"
	"github.com/entangle-go/entangle/internal/wire"
)

// portMailbox is the mailbox of a port actor. It behaves like protoactor's
// default mailbox (system messages first, then user messages in FIFO
// order, one runner at a time, run on the goroutine of whoever sent the
// message that found it idle: a port actor's work is short and never
// blocks) with one difference that the protocol needs:
// protoactor drops, without a trace, the user messages still queued when an
// actor stops, and a message that carries ports must never vanish that way
// (the ports' holders would wait forever). Once the port actor has stopped,
// every user message left in its mailbox or sent to it before it left the
// registry is handed to drop, which returns the ports it carries.
type portMailbox struct {
	mu        sync.Mutex
	q         mailq.Queues
	flags     atomic.Uint32 // mailboxScheduled, mailboxDead
	suspended bool

	invoker actor.MessageInvoker
	core    *portCore // the port's; its extension takes what a stopped actor leaves
}

func newPortMailbox(core *portCore) *portMailbox {
	return &portMailbox{core: core}
}

// PostUserMessage implements actor.Mailbox.
func (m *portMailbox) PostUserMessage(msg any) {
	if m.flags.Load()&mailboxDead != 0 {
		m.core.own.ext.undelivered(msg)
		return
	}
	switch w := msg.(type) {
	case *wire.Msg:
		if m.acceptFar(w) {
			return
		}
	case *wire.Run:
		m.acceptRun(w)
		return
	}
	m.mu.Lock()
	m.q.User.Push(msg)
	m.mu.Unlock()
	m.schedule()
}

// acceptFar is the fast path for a message from another node in the steady
// state: while the actor is idle with nothing queued, and its core takes
// the message as the next in order (see acceptFast), it goes straight to
// the owner's queue, as the actor would have put it there. It reports
// false when the actor must see the message.
func (m *portMailbox) acceptFar(w *wire.Msg) bool {
	c := m.core
	if !c.own.ext.fast || w.GetKey() != c.key || len(w.GetTokens()) > 0 {
		return false
	}
	m.mu.Lock()
	if !m.idleLocked() {
		m.mu.Unlock()
		return false // the actor is running or has work queued: keep the order
	}
	res, note := c.acceptFast(&inMsg{seq: w.GetSeq(), val: w}, w.GetFrom(), false, c.own.queued)
	m.mu.Unlock()
	if res == fastFallback {
		return false
	}
	c.tookFar(res, note, 1)
	return true
}

// idleLocked reports whether the actor is neither running nor has work
// queued, so that a message may pass it without changing the order; m.mu
// is held.
func (m *portMailbox) idleLocked() bool {
	return m.flags.Load()&mailboxScheduled == 0 && m.q.User.Len() == 0 && !m.q.HasSystem()
}

// tookFar does what is due once the fast path took n messages from another
// node: notify the owner, or count and report them dropped.
func (c *portCore) tookFar(res fastResult, note *deliver, n int) {
	switch res {
	case fastNotify:
		c.own.ext.system.Root.Send(c.own.self, note)
	case fastDropped:
		c.own.ext.dropped.Add(int64(n))
		c.own.ext.reportDrop(c.pid, "the receiving port was closed", n, 0)
	}
}

// PostSystemMessage implements actor.Mailbox.
func (m *portMailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.q.PushSystem(msg)
	m.mu.Unlock()
	m.schedule()
}

// RegisterHandlers implements actor.Mailbox. The dispatcher is the port
// props' syncDispatcher, and the mailbox does what it would do itself (see
// schedule).
func (m *portMailbox) RegisterHandlers(invoker actor.MessageInvoker, _ actor.Dispatcher) {
	m.invoker = invoker
}

// Start implements actor.Mailbox.
func (m *portMailbox) Start() {}

// UserMessageCount implements actor.Mailbox.
func (m *portMailbox) UserMessageCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.q.User.Len()
}

// stopped is called by the actor when it stops: from now on user messages
// go to drop.
func (m *portMailbox) stopped() { m.flags.Or(mailboxDead) }

// The mailbox's flags: one word, so that the mailbox stays within its
// size class.
const (
	mailboxScheduled uint32 = 1 << iota // a runner is on its way or running
	mailboxDead                         // the actor stopped: user messages go to drop
)

// trySchedule sets mailboxScheduled and reports whether it was clear.
func (m *portMailbox) trySchedule() bool {
	for {
		old := m.flags.Load()
		if old&mailboxScheduled != 0 {
			return false
		}
		if m.flags.CompareAndSwap(old, old|mailboxScheduled) {
			return true
		}
	}
}

func (m *portMailbox) schedule() {
	if !m.trySchedule() {
		return
	}
	// What syncDispatcher.Schedule would do, without a method value (which
	// allocates) kept per mailbox.
	m.process()
}

func (m *portMailbox) process() {
	for {
		m.run()
		m.flags.And(^mailboxScheduled)
		m.mu.Lock()
		more := m.q.Pending(m.suspended)
		m.mu.Unlock()
		if !more || !m.trySchedule() {
			return
		}
	}
}

func (m *portMailbox) run() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
		}
	}()
	for {
		m.mu.Lock()
		next, system, ok := m.q.Next(&m.suspended)
		m.mu.Unlock()
		if !ok {
			return
		}
		msg = next
		switch {
		case system:
			m.invoker.InvokeSystemMessage(next)
		case m.flags.Load()&mailboxDead != 0:
			m.core.own.ext.undelivered(next)
		default:
			m.invoker.InvokeUserMessage(next)
		}
	}
}
