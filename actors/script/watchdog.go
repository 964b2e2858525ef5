package script

import (
	"sync"
	"time"

	"github.com/dop251/goja"
)

// watchdog interrupts a realm's task that runs longer than the limit. It
// keeps one timer, reset for each task; its callback, on the timer's
// goroutine, interrupts the runtime only if the task it was armed for is
// still running (the only thing of a runtime that may be touched from
// another goroutine is Interrupt).
type watchdog struct {
	rt    *goja.Runtime
	limit time.Duration

	mu    sync.Mutex
	cur   *dogTimer // nil when a new timer is needed
	armed bool
	fired bool
}

// dogTimer is one timer of the watchdog; a callback acts only for the
// current one.
type dogTimer struct{ t *time.Timer }

// errTaskLimit is the value a task is interrupted with.
type errTaskLimit struct{}

func (errTaskLimit) Error() string { return "script: the task exceeded its time limit" }

func newWatchdog(rt *goja.Runtime, limit time.Duration) *watchdog {
	return &watchdog{rt: rt, limit: limit}
}

// arm starts the limit of a task.
func (w *watchdog) arm() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.armed, w.fired = true, false
	if w.cur != nil {
		w.cur.t.Reset(w.limit)
		return
	}
	dt := &dogTimer{}
	dt.t = time.AfterFunc(w.limit, func() { w.bark(dt) })
	w.cur = dt
}

// bark interrupts the task if dt is the timer of the running task.
func (w *watchdog) bark(dt *dogTimer) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur != dt || !w.armed {
		return
	}
	w.fired = true
	w.rt.Interrupt(errTaskLimit{})
}

// disarm ends the limit of a task and reports whether the watchdog
// interrupted the runtime (then the caller clears the interrupt).
func (w *watchdog) disarm() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	fired := w.fired
	w.armed, w.fired = false, false
	if w.cur != nil && !w.cur.t.Stop() {
		// The callback has run or is about to: it finds w.cur changed.
		w.cur = nil
	}
	return fired
}

// stop stops the timer for good.
func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.armed = false
	if w.cur != nil {
		w.cur.t.Stop()
		w.cur = nil
	}
}
