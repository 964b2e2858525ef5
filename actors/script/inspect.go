package script

import (
	"github.com/asynkron/protoactor-go/actor"
)

// What the conformance runner (a test of this package) reads of a realm,
// from inside one of its tasks (actors.Plugin.Run).

// realmOf returns the realm of ctx's context, or nil.
func realmOf(ctx actor.Context) *realm {
	r, _ := ctx.Actor().(*realm)
	return r
}

// pendingTimers returns the number of the realm's timers that have not
// run yet (intervals count until cleared).
func (r *realm) pendingTimers() int { return len(r.timers.pending) }

// busy reports whether the realm has work of its own queued: pending
// timers, or rejections not yet notified. Messages in its ports' queues
// and its mailbox are the actors package's (actorstest.WaitQuiet).
func (r *realm) busy() bool { return len(r.timers.pending) > 0 || len(r.rejected.soon) > 0 }

// errorReports returns the realm's error events so far: uncaught
// exceptions and unhandled rejections, canceled or not.
func (r *realm) errorReports() []errorReport {
	return append([]errorReport(nil), r.reports...)
}

// load runs more sources in the realm as a task of their own, as the
// realm's first task runs its sources (for the runner's scripts that come
// after the page's). Call it from a task of the realm's context.
func (r *realm) load(sources ...Source) {
	if r.ready() && r.depth == 0 {
		r.runSources(sources)
		r.flush()
	}
}
