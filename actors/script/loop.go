package script

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/internal/uncaught"
)

// A task is one message of the realm's mailbox (or one timer, one Eval):
// beginTask arms the watchdog, endTask disarms it, reports an interrupted
// task, and fires the unhandledrejection events the task left. Inside a
// task, every call into the runtime goes through call; a call made while
// no JavaScript runs is outermost, and goja runs the microtask checkpoint
// when it returns.

// errInterrupted is what call returns, without calling, once the current
// task was interrupted.
var errInterrupted = errors.New("script: the task was interrupted")

// call calls fn in the runtime.
func (r *realm) call(fn goja.Callable, this goja.Value, args ...goja.Value) (goja.Value, error) {
	if !r.enter() {
		return nil, errInterrupted
	}
	v, err := fn(this, args...)
	r.leave(err)
	return v, err
}

// run runs a program in the runtime, as call does.
func (r *realm) run(p *goja.Program) (goja.Value, error) {
	if !r.enter() {
		return nil, errInterrupted
	}
	v, err := r.rt.RunProgram(p)
	r.leave(err)
	return v, err
}

// enter begins a call into the runtime (false, without it, once the task
// was interrupted); an outermost one gets the kept value stack back.
func (r *realm) enter() bool {
	if r.interrupted {
		return false
	}
	if r.depth == 0 {
		r.stack.before()
	}
	r.depth++
	return true
}

// leave ends a call into the runtime that returned err: the value stack
// is kept (stack.go), and an interruption is remembered for the task.
func (r *realm) leave(err error) {
	r.depth--
	if r.depth > 0 {
		r.stack.during()
	} else {
		r.stack.after()
	}
	if err != nil {
		var ie *goja.InterruptedError
		if errors.As(err, &ie) {
			r.interrupted = true
		}
	}
}

// nested runs fn inside one outermost call into the engine (a frame of
// JavaScript), so that the calls fn makes are nested: no microtask
// checkpoint between them, one when it returns.
func (r *realm) nested(fn func()) {
	r.nestedFn = fn
	if _, err := r.call(r.js.within, goja.Undefined(), r.nestedNative); err != nil {
		r.uncaught(err)
	}
	r.nestedFn = nil
}

// callback calls a function of the page's script (a listener, a timer's
// handler) as the web calls a callback: an exception is reported.
func (r *realm) callback(fn goja.Callable, this goja.Value, args ...goja.Value) {
	if _, err := r.call(fn, this, args...); err != nil {
		r.uncaught(err)
	}
}

// beginTask starts a task: the watchdog is armed (a nested task, run
// while JavaScript runs, is part of the enclosing one).
func (r *realm) beginTask() {
	if r.depth == 0 {
		r.dog.arm()
	}
}

// endTask ends a task: an interrupted task gets its error event, then the
// promises it left rejected and unhandled get their unhandledrejection
// events, each dispatch a task of its own.
func (r *realm) endTask() {
	if r.depth > 0 {
		return
	}
	r.settle()
	if len(r.rejected.soon) == 0 {
		return
	}
	r.dog.arm()
	r.notifyRejections()
	r.settle()
}

// settle disarms the watchdog and, if it interrupted the task, clears the
// interrupt and fires the error event that says so.
func (r *realm) settle() {
	fired := r.dog.disarm()
	if !fired && !r.interrupted {
		return
	}
	r.rt.ClearInterrupt()
	wasInterrupted := r.interrupted
	r.interrupted = false
	if !wasInterrupted {
		return
	}
	r.dog.arm()
	r.report(fmt.Sprintf("Uncaught InternalError: the task exceeded its time limit of %v and was interrupted", r.host.cfg.taskLimit), position{}, goja.Null(), true)
	if r.dog.disarm() || r.interrupted {
		// The error listeners ran past the limit too: no second report.
		r.rt.ClearInterrupt()
		r.interrupted = false
	}
}

// flush ends an entry into the realm from the actors package: an error
// that a dedicated worker's script did not cancel goes on to the creator
// the actors package's way (published on the EventStream, not logged
// again: report logged it).
func (r *realm) flush() {
	if e := r.propagate; e != nil {
		r.propagate = nil
		uncaught.Forward(r.ctx, e)
	}
}
