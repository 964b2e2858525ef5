package actors

// Stack pre-sizing for tasks on fresh goroutines.
//
// On protoactor's default dispatcher every mailbox run starts a new
// goroutine, with the runtime's small starting stack. A context's task is
// deep (the task layer, its guard, the ports middleware, the event layer,
// the user's Receive, then a post), so the stack grew twice in every task
// of a round trip, the second time with some twenty frames to copy and
// adjust: measured at about half the CPU time of a window-worker round
// trip; a port transfer round grew it a third time. presize grows the stack once at the start of the task, while only a
// few frames are on it, to a size that holds the whole path. On a
// goroutine whose stack is already that large (a pooled dispatcher, the
// second message of a run) it costs the clearing of its frame only.

// stackPad is the frame presize takes: with the few frames below it, the
// runtime grows a small stack to 8 KiB in one copy.
const stackPad = 12 << 10

// presize makes sure the goroutine's stack has room for a task.
//
//go:noinline
func presize() {
	var pad [stackPad]byte
	keepPad(&pad)
}

// keepPad keeps presize's frame from being optimized away.
//
//go:noinline
func keepPad(*[stackPad]byte) {}
