package ports

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// portMailbox is the mailbox of a port actor. It behaves like protoactor's
// default mailbox (system messages first, then user messages in FIFO
// order, one runner at a time) with one difference that the protocol needs:
// protoactor drops, without a trace, the user messages still queued when an
// actor stops, and a message that carries ports must never vanish that way
// (the ports' holders would wait forever). Once the port actor has stopped,
// every user message left in its mailbox or sent to it before it left the
// registry is handed to drop, which returns the ports it carries.
type portMailbox struct {
	mu        sync.Mutex
	user      msgRing
	sys       msgRing
	scheduled atomic.Bool
	suspended bool
	dead      atomic.Bool

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
	drop       func(msg any)
	processFn  func() // m.process, made once: a method value allocates
}

func newPortMailbox(drop func(any)) *portMailbox {
	m := &portMailbox{drop: drop}
	m.processFn = m.process
	return m
}

// PostUserMessage implements actor.Mailbox.
func (m *portMailbox) PostUserMessage(msg any) {
	if m.dead.Load() {
		m.drop(msg)
		return
	}
	m.mu.Lock()
	m.user.push(msg)
	m.mu.Unlock()
	m.schedule()
}

// PostSystemMessage implements actor.Mailbox.
func (m *portMailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.sys.push(msg)
	m.mu.Unlock()
	m.schedule()
}

// RegisterHandlers implements actor.Mailbox.
func (m *portMailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.invoker, m.dispatcher = invoker, dispatcher
}

// Start implements actor.Mailbox.
func (m *portMailbox) Start() {}

// UserMessageCount implements actor.Mailbox.
func (m *portMailbox) UserMessageCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.user.len()
}

// stopped is called by the actor when it stops: from now on user messages
// go to drop.
func (m *portMailbox) stopped() { m.dead.Store(true) }

func (m *portMailbox) schedule() {
	if m.scheduled.CompareAndSwap(false, true) {
		m.dispatcher.Schedule(m.processFn)
	}
}

func (m *portMailbox) process() {
	for {
		m.run()
		m.scheduled.Store(false)
		m.mu.Lock()
		more := m.sys.len() > 0 || (!m.suspended && m.user.len() > 0)
		m.mu.Unlock()
		if !more || !m.scheduled.CompareAndSwap(false, true) {
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
		if s, ok := m.sys.pop(); ok {
			switch s.(type) {
			case *actor.SuspendMailbox:
				m.suspended = true
				m.mu.Unlock()
				continue
			case *actor.ResumeMailbox:
				m.suspended = false
				m.mu.Unlock()
				continue
			}
			m.mu.Unlock()
			msg = s
			m.invoker.InvokeSystemMessage(s)
			continue
		}
		if m.suspended {
			m.mu.Unlock()
			return
		}
		u, ok := m.user.pop()
		m.mu.Unlock()
		if !ok {
			return
		}
		msg = u
		if m.dead.Load() {
			m.drop(u)
			continue
		}
		m.invoker.InvokeUserMessage(u)
	}
}

// msgRing is a growable FIFO ring of messages; short queues (the usual
// case: a port actor runs as soon as it is sent to) need no allocation.
type msgRing struct {
	buf        []any
	head, size int
	inline     [2]any
}

func (r *msgRing) len() int { return r.size }

func (r *msgRing) push(v any) {
	if r.buf == nil {
		r.buf = r.inline[:]
	}
	if r.size == len(r.buf) {
		n := len(r.buf) * 2
		buf := make([]any, n)
		for i := 0; i < r.size; i++ {
			buf[i] = r.buf[(r.head+i)%len(r.buf)]
		}
		r.buf, r.head = buf, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

func (r *msgRing) pop() (any, bool) {
	if r.size == 0 {
		return nil, false
	}
	v := r.buf[r.head]
	r.buf[r.head] = nil
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v, true
}
