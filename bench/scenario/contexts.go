package scenario

import (
	"context"
	"errors"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

// How the two contexts of a scenario are made.
type kind int

const (
	// users: a window (actors.WindowProps) and the dedicated worker it
	// creates (actors.NewWorker), both on their default dispatcher
	// (ports.NewGoroutineDispatcher), as an application spawns them; the
	// channel's second port goes to the worker over its implicit channel.
	users kind = iota
	// pooled: two plain actors with the ports middleware on one
	// ports.NewDispatcher; the second port goes over PostTo.
	pooled
)

// contextsNote names the pairs in the metrics: the users' pair is the
// main row, the pooled pair an extra one.
func (k kind) suffix() string {
	if k == pooled {
		return " (plain actors, ports.NewDispatcher)"
	}
	return ""
}

// contexts spawns two connected contexts of kind k and returns them with a
// function that tears everything down.
func contexts(k kind) (s, r *Ctx, p1, p2 *ports.MessagePort, stop func(), err error) {
	if k == pooled {
		sys, s, r, p1, p2, err := pair()
		if err != nil {
			return nil, nil, nil, nil, nil, err
		}
		return s, r, p1, p2, func() { Teardown(sys, s, r) }, nil
	}
	return usersPair()
}

// usersPair spawns a window that creates a dedicated worker and connects
// them with a new channel.
func usersPair() (s, r *Ctx, p1, p2 *ports.MessagePort, stop func(), err error) {
	sys := NewSystem()
	plugin, err := actors.Register(sys)
	if err != nil {
		sys.Shutdown()
		return nil, nil, nil, nil, nil, err
	}
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = plugin.Shutdown(ctx)
		ports.Unregister(sys)
		sys.Shutdown()
	}
	s = &Ctx{sys: sys}
	r = &Ctx{sys: sys}
	s.PID = sys.Root.Spawn(actors.WindowProps(origin.MustParse("https://bench.example"), func() actor.Actor { return s }))
	var w *actors.Worker
	var werr error
	if err := s.Do(func(ctx actor.Context) {
		w, werr = actors.NewWorker(ctx, func() actor.Actor { return r }, actors.WorkerOptions{})
	}); err != nil {
		stop()
		return nil, nil, nil, nil, nil, err
	}
	if werr != nil {
		stop()
		return nil, nil, nil, nil, nil, werr
	}
	r.PID = w.PID()
	p1, p2, err = connectWith(s, r, func(ctx actor.Context, port *ports.MessagePort) error {
		return w.PostMessage(ctx, nil, port)
	})
	if err != nil {
		stop()
		return nil, nil, nil, nil, nil, err
	}
	return s, r, p1, p2, stop, nil
}

// Receive makes a Ctx the actor of a window or worker: it runs the
// functions sent to it and passes the rest to its handler.
func (c *Ctx) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case run:
		m(ctx)
	default:
		if c.on != nil {
			c.on(ctx, m)
		}
	}
}

var errNoPort = errors.New("scenario: the port did not reach the other context")
