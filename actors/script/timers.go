package script

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/actors"
)

// Timers: setTimeout and setInterval run on the actors package's timers
// (actors.SetTimeout), so each callback enters through the context's
// mailbox as a task, in the order of due times. An interval is set again
// after each run.

// jsTimer is one pending timer of the realm.
type jsTimer struct {
	id     int64
	fn     goja.Callable
	args   []goja.Value
	delay  time.Duration
	repeat bool
	handle actors.TimerID
}

type timerTable struct {
	next    int64
	pending map[int64]*jsTimer
}

func (t *timerTable) init()  { t.pending = make(map[int64]*jsTimer) }
func (t *timerTable) clear() { clear(t.pending) }

// nativeSetTimer is setTimeout and setInterval: (handler, ms, args,
// repeat); it returns the timer's id (> 0).
func (r *realm) nativeSetTimer(c goja.FunctionCall) goja.Value {
	fn, ok := goja.AssertFunction(c.Argument(0))
	if !ok {
		r.throwType("the timer's handler is not a function")
	}
	if len(r.timers.pending) >= r.host.cfg.maxTimers {
		r.throwRange(fmt.Sprintf("the realm has %d pending timers, its limit (WithMaxTimers)", len(r.timers.pending)))
	}
	t := &jsTimer{
		fn:     fn,
		args:   r.transferArray(c.Argument(2)),
		delay:  time.Duration(c.Argument(1).ToInteger()) * time.Millisecond,
		repeat: c.Argument(3).ToBoolean(),
	}
	if err := r.armTimer(t); err != nil {
		r.throw(err)
	}
	r.timers.next++
	t.id = r.timers.next
	r.timers.pending[t.id] = t
	return r.rt.ToValue(t.id)
}

// armTimer sets the actors package's timer for t.
func (r *realm) armTimer(t *jsTimer) error {
	h, err := actors.SetTimeout(r.ctx, t.delay, func(ctx actor.Context) { r.fireTimer(ctx, t) })
	if err != nil {
		return err
	}
	t.handle = h
	return nil
}

// nativeClearTimer is clearTimeout and clearInterval.
func (r *realm) nativeClearTimer(c goja.FunctionCall) goja.Value {
	id := c.Argument(0).ToInteger()
	if t, ok := r.timers.pending[id]; ok {
		delete(r.timers.pending, id)
		_ = actors.ClearTimeout(r.ctx, t.handle)
	}
	return goja.Undefined()
}

// fireTimer runs a timer's handler as a task.
func (r *realm) fireTimer(ctx actor.Context, t *jsTimer) {
	r.ctx = ctx
	if r.timers.pending[t.id] != t || !r.ready() {
		return
	}
	if !t.repeat {
		delete(r.timers.pending, t.id)
	}
	r.beginTask()
	r.callback(t.fn, r.global, t.args...)
	if t.repeat && r.timers.pending[t.id] == t {
		if err := r.armTimer(t); err != nil {
			delete(r.timers.pending, t.id)
		}
	}
	r.endTask()
	r.flush()
}
