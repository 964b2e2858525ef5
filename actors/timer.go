package actors

import (
	"fmt"
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

// SetTimeout is the web's setTimeout: after d, fn runs as a task of the
// calling context, on its goroutine, queued behind the messages already in
// its mailbox (so a context busy posting to itself still runs its timers,
// and timers never jump ahead of other senders). A panic in fn is an
// uncaught exception (see ErrorEvent). A timer does not fire once its
// context is being destroyed.
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
		s.timers = make(map[TimerID]*time.Timer)
	}
	s.nextTimer++
	id := s.nextTimer
	root, self := ctx.ActorSystem().Root, ctx.Self()
	ev := &timerFired{id: id, fn: fn}
	s.timers[id] = time.AfterFunc(max(d, 0), func() { root.Send(self, ev) })
	return id, nil
}

// ClearTimeout is the web's clearTimeout: the timer id of the calling
// context will not run. Clearing an unknown or fired timer does nothing.
func ClearTimeout(ctx actor.Context, id TimerID) error {
	s, err := contextOf(ctx, "ClearTimeout")
	if err != nil {
		return err
	}
	if t, ok := s.timers[id]; ok {
		t.Stop()
		delete(s.timers, id)
	}
	return nil
}

// fire runs a timer's callback if it is still pending.
func (s *scope) fire(ctx actor.Context, m *timerFired) {
	if _, ok := s.timers[m.id]; !ok {
		return
	}
	delete(s.timers, m.id)
	s.plugin.tasks.Add(1)
	defer func() {
		if r := recover(); r != nil {
			s.uncaught(ctx, m, r)
		}
	}()
	m.fn(ctx)
}

func (s *scope) stopTimers() {
	for id, t := range s.timers {
		t.Stop()
		delete(s.timers, id)
	}
}
