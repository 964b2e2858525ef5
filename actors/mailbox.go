package actors

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/mailq"
)

// contextMailbox is the mailbox of every context (window, iframe, worker,
// shared worker, bridge) unless its props options name another with
// actor.WithMailbox. It behaves as protoactor's default unbounded mailbox
// does: system messages first, then user messages in the order they were
// posted; SuspendMailbox and ResumeMailbox hold and release the user
// messages; a run processes as many messages as the dispatcher's
// Throughput before it yields the processor (runtime.Gosched) and goes on;
// a panic out of the context is handed to the invoker's EscalateFailure
// with the message, and the messages behind it are still processed; an
// actor.MessageBatch, bare or in an envelope, is posted as each of its
// messages and then as itself.
//
// It differs in what a message costs: it hands the dispatcher the same run
// function every time it schedules (the default mailbox makes a method
// value, one allocation, each time, which is every message of a round trip
// between two contexts), keeps both queues under one lock, and has no
// mailbox middleware (props that need mailbox statistics name their own
// mailbox: actor.WithMailbox(actor.Unbounded(stats...))).
//
// After the context has stopped, what is still queued is handed to
// protoactor's context as the default mailbox would hand it, which drops
// user messages; messages sent to a stopped context go to dead letters
// before they reach any mailbox.
type contextMailbox struct {
	mu        sync.Mutex
	q         mailq.Queues
	suspended bool
	scheduled atomic.Bool // a run is on its way or running

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
	run        func() // m.process, made once
	yield      func() // runtime.Gosched; the tests' own records the yields
}

// newContextMailbox is the contexts' actor.MailboxProducer.
func newContextMailbox() actor.Mailbox { return &contextMailbox{yield: runtime.Gosched} }

// PostUserMessage implements actor.Mailbox.
func (m *contextMailbox) PostUserMessage(msg any) {
	switch v := msg.(type) {
	case *actor.MessageEnvelope:
		if b, ok := v.Message.(actor.MessageBatch); ok {
			m.postAll(b.GetMessages())
		}
	case actor.MessageBatch:
		m.postAll(v.GetMessages())
	}
	m.mu.Lock()
	m.q.User.Push(msg)
	m.mu.Unlock()
	m.schedule()
}

// postAll posts the messages of a batch, each as a message of its own.
func (m *contextMailbox) postAll(msgs []any) {
	for _, msg := range msgs {
		m.PostUserMessage(msg)
	}
}

// PostSystemMessage implements actor.Mailbox.
func (m *contextMailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.q.PushSystem(msg)
	m.mu.Unlock()
	m.schedule()
}

// RegisterHandlers implements actor.Mailbox.
func (m *contextMailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.invoker, m.dispatcher = invoker, dispatcher
	m.run = m.process
}

// Start implements actor.Mailbox.
func (m *contextMailbox) Start() {}

// UserMessageCount implements actor.Mailbox: the user messages queued and
// not yet handed to the context.
func (m *contextMailbox) UserMessageCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.q.User.Len()
}

// schedule hands the run to the dispatcher unless one is on its way or
// running (which will see the message).
func (m *contextMailbox) schedule() {
	if m.scheduled.CompareAndSwap(false, true) {
		m.dispatcher.Schedule(m.run)
	}
}

// process runs the mailbox until it is empty (or suspended with only user
// messages left), then marks it idle; a message posted between the last
// look and the mark finds it idle and schedules a run, unless this run
// sees the message and takes the mark back first.
func (m *contextMailbox) process() {
	for {
		m.drain()
		m.scheduled.Store(false)
		m.mu.Lock()
		more := m.q.Pending(m.suspended)
		m.mu.Unlock()
		if !more || !m.scheduled.CompareAndSwap(false, true) {
			return
		}
	}
}

// drain hands the queued messages to the invoker, system messages first,
// until there is none it may hand; a panic ends it early (process then
// looks again).
func (m *contextMailbox) drain() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
		}
	}()
	limit := m.dispatcher.Throughput()
	for n := 0; ; n++ {
		if n > limit {
			n = 0
			m.yield()
		}
		m.mu.Lock()
		next, system, ok := m.q.Next(&m.suspended)
		m.mu.Unlock()
		if !ok {
			return
		}
		msg = next
		if system {
			m.invoker.InvokeSystemMessage(next)
		} else {
			m.invoker.InvokeUserMessage(next)
		}
	}
}
