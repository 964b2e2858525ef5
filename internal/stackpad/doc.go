// Package stackpad grows a goroutine's stack once, early, for the deep
// path of a task: the actors package's contexts and the ports package's
// deliveries call Presize at their start, and ports.NewGoroutineDispatcher
// at the start of each goroutine it runs a mailbox on, where it is cheapest
// (one frame to copy; the contexts' own calls then cost a function call).
//
// On protoactor's default dispatcher every mailbox run starts a new
// goroutine, with the runtime's small starting stack. A context's task is
// deep (the task layer, its guard, the ports middleware, the event layer,
// the user's Receive, then a post), so the stack grew twice in every task
// of a round trip, the second time with some twenty frames to copy and
// adjust: measured at about half the CPU time of a window-worker round
// trip; a port transfer round grew it a third time. Presize grows the
// stack once at the start of the task, while only a few frames are on it,
// to a size that holds the whole path, but the frames below it
// (protoactor's mailbox run, the middleware chain) are still copied and
// adjusted each time: at the start of the goroutine there are none. On a
// goroutine whose stack is
// already that large (a pooled dispatcher, the second message of a run) it
// costs a function call. A plain protoactor actor with the ports
// middleware has the same deep path when a port's messages are delivered.
package stackpad
