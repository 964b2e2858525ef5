package actors

import (
	"context"
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// runReq runs a function as a task of a context (see Plugin.Run).
type runReq struct {
	fn   func(actor.Context) error
	done chan error
}

// run runs a runReq as a task, with the uncaught-exception guard.
func (s *contextState) run(ctx actor.Context, m *runReq) {
	if s.closing.Load() {
		m.done <- newError(messages.ErrInvalidState, "the context is being destroyed")
		return
	}
	s.countTask()
	s.task.begin()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.uncaught(ctx, m, r)
				err = fmt.Errorf("actors: the function panicked: %v", r)
			}
		}()
		return m.fn(ctx)
	}()
	m.done <- err
}

// Run runs fn as a task of the context pid, on its goroutine, and waits
// for it: a way in for code outside actors (tests, main, handlers) that
// must use a context's ports or call the plugin's functions as that
// context. It returns fn's error; an InvalidStateError if pid is not a
// live context of the plugin on this node (a stopped actor, an actor that
// is not a context) or if the context is destroyed before fn runs; or
// ctx's error if ctx ends first (fn may still run later). A panic in fn
// is an uncaught exception of the context and returns an error. fn must
// not block.
func (p *Plugin) Run(ctx context.Context, pid *actor.PID, fn func(actor.Context) error) error {
	if pid == nil || (pid.GetAddress() != p.system.Address() && pid.GetAddress() != unstartedAddress) {
		// A function cannot travel to another node.
		return newError(messages.ErrInvalidState, fmt.Sprintf("Run: %v is not an actor of this node", pid))
	}
	if _, ok := p.system.ProcessRegistry.Get(pid); !ok {
		return newError(messages.ErrInvalidState, fmt.Sprintf("Run: %v is not a live actor", pid))
	}
	m := &runReq{fn: fn, done: make(chan error, 1)}
	p.system.Root.Send(pid, m)
	seen := false // the context was seen live since the send
	for {
		p.mu.Lock()
		s, live := p.contexts[pid.GetId()]
		live = live && s.self.GetAddress() == pid.GetAddress()
		changed := p.changed
		p.mu.Unlock()
		if live {
			seen = true
		} else if seen {
			// It stopped; fn ran before that, or never will.
			select {
			case err := <-m.done:
				return err
			default:
				return newError(messages.ErrInvalidState, fmt.Sprintf("Run: the context %v stopped before the function ran", pid))
			}
		}
		select {
		case err := <-m.done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// unstartedAddress is the address protoactor gives actors spawned before
// remote started ("nonhost"); they are local too.
const unstartedAddress = wire.UnstartedAddress

// GetAutoResponse implements actor.AutoRespond: protoactor calls it only
// when a runReq reached an actor's own Receive, that is, an actor that is
// not a context of the plugin (a context's middleware consumes it).
func (m *runReq) GetAutoResponse(ctx actor.Context) any {
	select {
	case m.done <- newError(messages.ErrInvalidState, fmt.Sprintf("Run: %s is not a context of the entangle plugin", ctx.Self())):
	default:
	}
	return runRefused{}
}

// runRefused is the auto-response to a runReq that reached a plain actor.
type runRefused struct{}

func (runRefused) IgnoreDeadLetterLogging() {}
