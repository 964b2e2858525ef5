package mailq

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/fifo"
)

// Queues are the messages of a mailbox that behaves as protoactor's
// default one: system messages, handed on first, and user messages, in
// the order they were posted. It is not safe for concurrent use: the
// mailbox holds its own lock around every call. Whether the mailbox is
// suspended is the mailbox's own field, passed in (a field here would pad
// the mailbox of every port into a larger size class).
//
// System messages are rare and come one at a time nearly always: the
// oldest waiting one is kept in a field, any behind it in a queue made
// when needed and dropped when empty, so that an idle mailbox holds no
// queue for them. A nil system message is not kept (protoactor sends
// none).
type Queues struct {
	User    fifo.Queue[any]
	sys     any
	sysMore *fifo.Queue[any]
}

// PushSystem adds a system message behind those waiting.
func (q *Queues) PushSystem(msg any) {
	switch {
	case q.sys == nil:
		q.sys = msg
	case q.sysMore == nil:
		q.sysMore = &fifo.Queue[any]{}
		fallthrough
	default:
		q.sysMore.Push(msg)
	}
}

// HasSystem reports whether a system message is waiting.
func (q *Queues) HasSystem() bool { return q.sys != nil }

// Pending reports whether Next would hand on a message: a system message
// waits, or a user message does and the mailbox is not suspended.
func (q *Queues) Pending(suspended bool) bool {
	return q.sys != nil || (!suspended && q.User.Len() > 0)
}

// Next removes and returns the message to hand on next, and whether it is
// a system message: the oldest system message, else, unless *suspended,
// the oldest user message; ok is false when there is none. SuspendMailbox
// and ResumeMailbox set and clear *suspended and are not handed on.
func (q *Queues) Next(suspended *bool) (msg any, system, ok bool) {
	for q.sys != nil {
		s := q.sys
		q.sys = nil
		if q.sysMore != nil {
			q.sys, _ = q.sysMore.Pop()
			if q.sysMore.Len() == 0 {
				q.sysMore = nil
			}
		}
		switch s.(type) {
		case *actor.SuspendMailbox:
			*suspended = true
		case *actor.ResumeMailbox:
			*suspended = false
		default:
			return s, true, true
		}
	}
	if *suspended {
		return nil, false, false
	}
	msg, ok = q.User.Pop()
	return msg, false, ok
}
