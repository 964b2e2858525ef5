package actors

import (
	"fmt"
	"sort"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
)

// TimerID names a timer of one context, as setTimeout's return value does.
type TimerID uint64

// timerFired is the task a timer enqueues on its context.
type timerFired struct {
	id TimerID
	fn func(actor.Context)
}

// pendingTimer is a timer of a context that has not run yet.
type pendingTimer struct {
	t   *time.Timer
	due time.Time // monotonic
	ev  *timerFired
}

// before orders timers as the standard runs them: by due time, and among
// equal due times by the order they were set.
func (a *pendingTimer) before(b *pendingTimer) bool {
	if !a.due.Equal(b.due) {
		return a.due.Before(b.due)
	}
	return a.ev.id < b.ev.id
}

// SetTimeout is the web's setTimeout: after d, fn runs as a task of the
// calling context, on its goroutine, queued behind the messages already in
// its mailbox (so a context busy posting to itself still runs its timers,
// and timers never jump ahead of other senders). As on the web, timers of
// one context run in the order of their due times, and timers with the
// same due time in the order they were set (so two SetTimeout calls with
// the same delay run in call order). A panic in fn is an uncaught
// exception (see ErrorEvent). A timer does not fire once its context is
// being destroyed.
//
// It returns an InvalidStateError if ctx is not a context of the plugin,
// and an error matching messages.ErrRange if the context has as many
// pending timers as WithMaxTimers allows.
func SetTimeout(ctx actor.Context, d time.Duration, fn func(actor.Context)) (TimerID, error) {
	s, err := contextOf(ctx, "SetTimeout")
	if err != nil {
		return 0, err
	}
	if fn == nil {
		return 0, newError(messages.ErrInvalidState, "SetTimeout: nil callback")
	}
	if s.closing.Load() {
		return 0, nil
	}
	if len(s.timers) >= s.plugin.cfg.maxTimers {
		return 0, newError(messages.ErrRange, fmt.Sprintf("SetTimeout: the context has %d pending timers already", len(s.timers)))
	}
	if s.timers == nil {
		s.timers = make(map[TimerID]*pendingTimer)
	}
	s.nextTimer++
	id := s.nextTimer
	root, self := ctx.ActorSystem().Root, ctx.Self()
	d = max(d, 0)
	pt := &pendingTimer{due: time.Now().Add(d), ev: &timerFired{id: id, fn: fn}}
	s.timers[id] = pt
	pt.t = time.AfterFunc(d, func() { root.Send(self, pt.ev) })
	return id, nil
}

// ClearTimeout is the web's clearTimeout: the timer id of the calling
// context will not run. Clearing an unknown or fired timer does nothing.
func ClearTimeout(ctx actor.Context, id TimerID) error {
	s, err := contextOf(ctx, "ClearTimeout")
	if err != nil {
		return err
	}
	if pt, ok := s.timers[id]; ok {
		pt.t.Stop()
		delete(s.timers, id)
	}
	return nil
}

// fire runs a timer's callback if it is still pending. Timers that are
// due before it (their own tasks may still be on their way: each
// time.AfterFunc sends from its own goroutine, in no particular order)
// run first, each as a task of its own, so that the context sees its
// timers in the standard's order.
func (s *contextState) fire(ctx actor.Context, m *timerFired) {
	pt, ok := s.timers[m.id]
	if !ok {
		return
	}
	var earlier []*pendingTimer
	for _, o := range s.timers {
		if o != pt && o.before(pt) {
			earlier = append(earlier, o)
		}
	}
	sort.Slice(earlier, func(i, j int) bool { return earlier[i].before(earlier[j]) })
	for _, o := range append(earlier, pt) {
		if s.closing.Load() {
			return
		}
		if _, still := s.timers[o.ev.id]; !still {
			continue // cleared by an earlier callback
		}
		o.t.Stop()
		delete(s.timers, o.ev.id)
		s.runTimer(ctx, o.ev)
	}
}

// runTimer runs one timer callback as a task.
func (s *contextState) runTimer(ctx actor.Context, m *timerFired) {
	s.countTask()
	s.task.begin()
	defer func() {
		if r := recover(); r != nil {
			s.uncaught(ctx, m, r)
		}
	}()
	m.fn(ctx)
}

func (s *contextState) stopTimers() {
	for id, pt := range s.timers {
		pt.t.Stop()
		delete(s.timers, id)
	}
}
