package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/stackpad"
)

// NewGoroutineDispatcher returns a protoactor dispatcher that runs mailboxes
// as protoactor's default dispatcher does: each time an idle mailbox gets a
// message, a new goroutine runs it, and exits when the mailbox is empty
// again (or has processed throughput messages). The one difference is the
// new goroutine's stack: it is grown to hold an owner's whole deep path
// (middleware, the user's Receive, a post, the port actors that run on the
// same goroutine) before the mailbox runs, while the goroutine has one
// frame to copy. On protoactor's default dispatcher that growth happens
// inside ReceiverMiddleware, with protoactor's frames below it, in every
// mailbox run: measured at about a quarter of a round trip between two
// contexts.
//
// The actors package's windows and workers run on it unless their props
// options name another dispatcher. Give it to plain actors with
// ReceiverMiddleware that should keep protoactor's goroutine-per-run
// scheduling (NewDispatcher keeps a pool of goroutines instead):
//
//	props := actor.PropsFromProducer(newMyActor,
//		actor.WithReceiverMiddleware(ports.ReceiverMiddleware),
//		actor.WithDispatcher(ports.NewGoroutineDispatcher(300)))
//
// throughput is how many messages a mailbox processes before it yields;
// <= 0 means 300, protoactor's default. The dispatcher holds no state and
// no goroutine of its own: nothing outlives the mailbox runs.
func NewGoroutineDispatcher(throughput int) actor.Dispatcher {
	if throughput <= 0 {
		throughput = 300
	}
	return goroutineDispatcher(throughput)
}

type goroutineDispatcher int

// Throughput implements actor.Dispatcher.
func (d goroutineDispatcher) Throughput() int { return int(d) }

// Schedule implements actor.Dispatcher.
func (goroutineDispatcher) Schedule(fn func()) { go runPresized(fn) }

// runPresized grows the stack first, with only its own frame below.
func runPresized(fn func()) {
	stackpad.Presize()
	fn()
}
