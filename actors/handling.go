package actors

import (
	"go/token"
	"reflect"
	"strings"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// taskNote follows what the user's code of a context is handling in the
// current task, so that an ErrorEvent names the message the user's code
// received rather than the plumbing it came in (a port's notification, a
// message of the plugin's). It is touched only on the context's goroutine.
//
// The task layer calls begin at the start of every task; the event layer
// (after the ports middleware) calls handle around each message it hands
// to the user's code, so that a panic there leaves that message noted.
type taskNote struct {
	// now is the message the user's code is handling, nil between them.
	now any
	// layered is set once the event layer has run in this task: the
	// envelope the task started with may then hold another message than
	// the one that panicked (the first of a batch of port events).
	layered bool
}

// begin starts a task.
func (n *taskNote) begin() { *n = taskNote{} }

// handle runs the user's code (next) for env, noting its message.
func (n *taskNote) handle(next actor.ReceiverFunc, rc actor.ReceiverContext, env *actor.MessageEnvelope) {
	n.now = env.Message
	next(rc, env)
	n.now = nil
}

// noting returns next, noting each message it hands on.
func (n *taskNote) noting(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(rc actor.ReceiverContext, env *actor.MessageEnvelope) { n.handle(next, rc, env) }
}

// current returns the message the user's code is handling now, given raw,
// the message the task's envelope holds, and inHandler, whether the task
// panicked out of a port's OnMessage or OnData handler: the ports package
// put what the handler got in the envelope, its event or its data, which
// is the user's whatever its type (see message).
func (n *taskNote) current(raw any, inHandler bool) any {
	switch {
	case n.now != nil:
		return n.now
	case inHandler:
		return raw
	case !userVisible(raw):
		return nil // the task's message is the plumbing's
	case n.layered:
		// The panic came from outside the event layer and outside a
		// port's handler (the batch's own work): an event in the
		// envelope is the last one the batch put there, the closest the
		// task has. Anything else is the plumbing's.
		if _, ok := raw.(*ports.MessageEvent); ok {
			return raw
		}
		return nil
	}
	return raw
}

// message returns what an ErrorEvent names as the message of a task that
// panicked with raw in its envelope (inHandler: out of a port's handler),
// and forgets the task.
func (n *taskNote) message(raw any, inHandler bool) any {
	m := n.current(raw, inHandler)
	*n = taskNote{}
	return m
}

// userVisible reports whether msg is of a type the user's code could
// receive: not nil, and not an unexported type or a type of an internal
// package (after any pointers). Predeclared types (string, int...) and
// unnamed ones (slices, maps...) are visible.
func userVisible(msg any) bool {
	if msg == nil {
		return false
	}
	t := reflect.TypeOf(msg)
	for t.Name() == "" && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	path := t.PkgPath()
	if path == "" {
		return true // unnamed, or predeclared (string, int, error...)
	}
	if !token.IsExported(t.Name()) {
		return false
	}
	return !(strings.HasPrefix(path, "internal/") || strings.Contains(path, "/internal/") || strings.HasSuffix(path, "/internal"))
}
