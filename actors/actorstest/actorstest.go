package actorstest

import (
	"context"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/internal/quiet"
)

// WaitQuiet waits until the contexts of p are quiet: every context that
// was spawned has started, every live context has worked through its
// mailbox and, across a whole round of checking, no context ran a task and
// the ports' counters did not move. Tests use it to wait for "nothing more
// will happen" without sleeping. It returns ctx's error if that does not
// happen before ctx ends. Timers that are still pending do not count as
// activity until they fire.
func WaitQuiet(ctx context.Context, p *actors.Plugin) error {
	return quiet.Wait(ctx, p)
}

// Activity returns the number of tasks the contexts of p have run so far.
// Tests that span several actor systems compare it around WaitQuiet calls
// to find a moment when none of them is busy.
func Activity(p *actors.Plugin) uint64 {
	return quiet.Activity(p)
}
