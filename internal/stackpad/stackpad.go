package stackpad

// stackPad is the frame Presize takes: with the few frames below it, the
// runtime grows a small stack to 16 KiB in one copy (the largest size the
// runtime keeps in its per-processor cache). 8 KiB holds a plain post; a
// task that transfers a port runs port actors on its goroutine (their
// dispatcher is synchronous) and needed more.
const stackPad = 12 << 10

// Presize makes sure the goroutine's stack has room for a task. The
// runtime sizes the stack for Presize's whole frame on entry; the frame is
// only reserved, never written (padUsed is always false), so on a stack
// that is already large enough Presize costs a call.
//
//go:noinline
func Presize() {
	if padUsed {
		var pad [stackPad]byte
		keepPad(&pad)
	}
}

// padUsed is never set: it keeps the compiler from dropping Presize's frame
// while sparing the clearing of it.
var padUsed bool

// keepPad keeps Presize's frame from being optimized away.
//
//go:noinline
func keepPad(*[stackPad]byte) {}
