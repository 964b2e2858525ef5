package scenario

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// onGoroutine marks raw protoactor figures on the users' contexts'
// dispatcher, ports.NewGoroutineDispatcher (onPooled, in s1.go, those on
// ports.NewDispatcher).
const onGoroutine = " (ports.NewGoroutineDispatcher)"

// rawDispatcher is a dispatcher the raw protoactor baselines run on.
type rawDispatcher struct {
	suffix string                  // of the metric
	make   func() actor.Dispatcher // nil: protoactor's default
}

// rawDispatchers: protoactor's default (an extra row), the users'
// contexts' own (their like-for-like baseline) and ports.NewDispatcher (the
// plain actors' baseline).
var rawDispatchers = []rawDispatcher{
	{"", nil},
	rawOnContexts,
	{onPooled, func() actor.Dispatcher { return ports.NewDispatcher(300, 0) }},
}

// rawOnContexts is the users' contexts' dispatcher.
var rawOnContexts = rawDispatcher{onGoroutine, func() actor.Dispatcher { return ports.NewGoroutineDispatcher(300) }}

// opts returns the props options that put an actor on r.
func (r rawDispatcher) opts() []actor.PropsOption {
	if r.make == nil {
		return nil
	}
	return []actor.PropsOption{actor.WithDispatcher(r.make())}
}
