package scenario

import (
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// NewSystem returns an actor system with protoactor's logging silenced.
func NewSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
}

// run is a message that runs a function on an actor's goroutine.
type run func(ctx actor.Context)

// Ctx is a context for the scenarios: an actor with the ports middleware
// whose events go to its handler, and which runs functions sent to it.
type Ctx struct {
	PID *actor.PID
	sys *actor.ActorSystem
	on  func(ctx actor.Context, msg any) // used only on the actor's goroutine
}

// SpawnCtx spawns a context in sys on dispatcher d (protoactor's default
// one when d is nil).
func SpawnCtx(sys *actor.ActorSystem, d actor.Dispatcher) *Ctx {
	c := &Ctx{sys: sys}
	opts := []actor.PropsOption{actor.WithReceiverMiddleware(ports.ReceiverMiddleware)}
	if d != nil {
		opts = append(opts, actor.WithDispatcher(d))
	}
	c.PID = sys.Root.Spawn(actor.PropsFromFunc(c.Receive, opts...))
	return c
}

// Send runs f on the context's goroutine, without waiting.
func (c *Ctx) Send(f func(ctx actor.Context)) { c.sys.Root.Send(c.PID, run(f)) }

// Do runs f on the context's goroutine and waits for it.
func (c *Ctx) Do(f func(ctx actor.Context)) error {
	done := make(chan struct{})
	c.Send(func(ctx actor.Context) { f(ctx); close(done) })
	return wait(done, time.Minute, "a context did not run its function")
}

// On sets the handler of the context's messages (from its goroutine).
func (c *Ctx) On(h func(ctx actor.Context, msg any)) error {
	return c.Do(func(actor.Context) { c.on = h })
}

// wait waits for done, or fails after d with what.
func wait(done <-chan struct{}, d time.Duration, what string) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-t.C:
		return fmt.Errorf("scenario: timeout after %v: %s", d, what)
	}
}

// Connect creates a channel in s, transfers its second port to r with
// PostTo, and starts both ports; it returns s's and r's ports.
func Connect(s, r *Ctx) (p1, p2 *ports.MessagePort, err error) { return connectVia(s, r, r.PID) }

// connectVia is Connect where s names r as to (r's PID as seen from s's
// actor system, for contexts on two nodes).
func connectVia(s, r *Ctx, to *actor.PID) (p1, p2 *ports.MessagePort, err error) {
	return connectWith(s, r, func(ctx actor.Context, port *ports.MessagePort) error {
		return ports.PostTo(ctx, to, nil, port)
	})
}

// connectWith is Connect where hand gives the second port to r.
func connectWith(s, r *Ctx, hand func(ctx actor.Context, port *ports.MessagePort) error) (p1, p2 *ports.MessagePort, err error) {
	got := make(chan *ports.MessagePort, 1)
	if err := r.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && len(ev.Ports) == 1 {
			got <- ev.Ports[0]
		}
	}); err != nil {
		return nil, nil, err
	}
	var perr error
	if err := s.Do(func(ctx actor.Context) {
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			perr = err
			return
		}
		p1 = ch.Port1
		if perr = p1.Start(ctx); perr != nil {
			return
		}
		perr = hand(ctx, ch.Port2)
	}); err != nil {
		return nil, nil, err
	}
	if perr != nil {
		return nil, nil, perr
	}
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	select {
	case p2 = <-got:
	case <-t.C:
		return nil, nil, errNoPort
	}
	// One message back before anyone measures: once it has arrived, the
	// route is direct (the successor has told p1 to bypass the old actor),
	// which is the steady state the scenarios time.
	ready := make(chan struct{})
	if err := s.On(func(ctx actor.Context, msg any) {
		if ev, ok := msg.(*ports.MessageEvent); ok && ev.Target == p1 {
			close(ready)
		}
	}); err != nil {
		return nil, nil, err
	}
	if err := r.Do(func(ctx actor.Context) {
		r.on = nil
		if perr = p2.Start(ctx); perr == nil {
			perr = p2.PostMessage(ctx, "ready")
		}
	}); err != nil {
		return nil, nil, err
	}
	if perr != nil {
		return nil, nil, perr
	}
	if err := wait(ready, time.Minute, "the first message back did not arrive"); err != nil {
		return nil, nil, err
	}
	if err := s.On(nil); err != nil {
		return nil, nil, err
	}
	return p1, p2, nil
}

// Teardown stops the contexts gracefully (their ports close), removes the
// ports extension, shuts sys down and waits a little for the goroutines of
// the run to end.
func Teardown(sys *actor.ActorSystem, cs ...*Ctx) {
	futures := make([]*actor.Future, len(cs))
	for i, c := range cs {
		futures[i] = sys.Root.PoisonFuture(c.PID)
	}
	for _, f := range futures {
		_ = f.Wait()
	}
	ports.Unregister(sys)
	sys.Shutdown()
}

// StopActors stops raw actors and waits for them, then shuts sys down.
func StopActors(sys *actor.ActorSystem, pids ...*actor.PID) {
	futures := make([]*actor.Future, len(pids))
	for i, p := range pids {
		futures[i] = sys.Root.StopFuture(p)
	}
	for _, f := range futures {
		_ = f.Wait()
	}
	sys.Shutdown()
}

// Settle waits until at most n goroutines are left, or for at most d. The
// pooled dispatcher's goroutines leave after 50 ms without work.
func Settle(n int, d time.Duration) {
	deadline := time.Now().Add(d)
	for runtime.NumGoroutine() > n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// pair spawns two contexts on one pooled dispatcher and connects them.
func pair() (sys *actor.ActorSystem, s, r *Ctx, p1, p2 *ports.MessagePort, err error) {
	sys = NewSystem()
	d := ports.NewDispatcher(300, 0)
	s, r = SpawnCtx(sys, d), SpawnCtx(sys, d)
	p1, p2, err = Connect(s, r)
	if err != nil {
		Teardown(sys, s, r)
	}
	return sys, s, r, p1, p2, err
}

// percentile50 returns the median of xs (sorting xs).
func percentile50(xs []time.Duration) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
