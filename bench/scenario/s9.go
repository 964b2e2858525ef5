package scenario

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/actors/script"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// The rows of S9: who posts and who reads.
const (
	s9JSToJS = "throughput, {i}, JS to JS"
	s9GoToJS = "throughput, {i}, Go to JS"
	s9JSToGo = "throughput, {i}, JS to Go"
	s9Node   = "throughput, {i}"
)

// s9: contexts that run JavaScript (package actors/script): a burst of
// {i} over one channel between two script windows, from a Go window to a
// script window and back, each against Node's same-thread burst of {i}.
func s9() *Scenario {
	return &Scenario{
		ID:    "S9",
		Title: "JavaScript contexts (actors/script): a burst of {i} over one channel, counted by the receiver, which reads data.i",
		Systems: []System{
			{Entangle, s9Entangle},
			{Node, nodeScript("s9.mjs")},
		},
		Compare: []Compare{
			{Metric: s9JSToJS, Peer: Node, PeerMetric: s9Node, Goal: Goal{Text: ">= 0.15x Node's same-thread {i}", Op: ">=", Bound: 0.15}},
			{Metric: s9GoToJS, Peer: Node, PeerMetric: s9Node, Goal: Goal{Text: ">= 0.3x Node's same-thread {i}", Op: ">=", Bound: 0.3}},
			{Metric: s9JSToGo, Peer: Node, PeerMetric: s9Node},
		},
	}
}

// The script windows of S9. Each gets, in a window message, the channel's
// port and a control port: the sender bursts when told on the control
// port, the receiver says "done" on it once it has read n messages.
const (
	s9Sender = `onmessage = (e) => {
  const [port, ctl] = e.ports;
  const n = e.data.n;
  ctl.onmessage = () => { for (let i = 0; i < n; i++) port.postMessage({ i }); };
  ctl.postMessage('ready');
};`
	s9Receiver = `onmessage = (e) => {
  const [port, ctl] = e.ports;
  const n = e.data.n;
  let count = 0;
  port.onmessage = (m) => {
    if (m.data.i >= 0) count++;
    if (count === n) ctl.postMessage('done');
  };
  ctl.postMessage('ready');
};`
)

var s9Origin = origin.MustParse("https://bench.example")

func s9Entangle(cfg Config) ([]Sample, error) {
	n := cfg.pick(1_000_000, 20_000) // as many as Node's run posts (bench/node/s9.mjs)
	var out []Sample
	for _, row := range []string{s9JSToJS, s9GoToJS, s9JSToGo} {
		d, err := s9Burst(cfg, row, n)
		if err != nil {
			return nil, fmt.Errorf("S9 %s: %w", row, err)
		}
		out = append(out, rate(row, n, d))
	}
	return out, nil
}

// s9Burst sets up one row (a Go window driving one or two script windows)
// and times its burst.
func s9Burst(cfg Config, row string, n int) (time.Duration, error) {
	sys := NewSystem()
	plugin, err := actors.Register(sys)
	if err != nil {
		sys.Shutdown()
		return 0, err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = plugin.Shutdown(ctx)
		ports.Unregister(sys)
		sys.Shutdown()
	}()
	// The sender posts the whole burst in one task, as Node's script
	// does; on a slow moment of the VM that runs past the default task
	// limit (five seconds), which would interrupt it mid-burst.
	if _, err := script.Register(plugin, script.WithTaskLimit(cfg.timeout())); err != nil {
		return 0, err
	}
	g := &Ctx{sys: sys}
	g.PID = sys.Root.Spawn(actors.WindowProps(s9Origin, func() actor.Actor { return g }))

	ready := make(chan struct{}, 2)
	done := make(chan struct{})
	count := 0
	var rerr error
	// The Go window's handler: control answers, and in JS to Go the
	// messages themselves.
	var data *ports.MessagePort
	if err := g.On(func(ctx actor.Context, msg any) {
		ev, ok := msg.(*ports.MessageEvent)
		if !ok {
			return
		}
		if ev.Target == data && data != nil {
			o, ok := ev.Data.(*messages.Object)
			if !ok {
				rerr = fmt.Errorf("JS to Go: got %T", ev.Data)
			} else if v, _ := o.Get("i"); v == nil {
				rerr = errors.New("JS to Go: no i")
			}
			if count++; count == n {
				close(done)
			}
			return
		}
		switch ev.Data {
		case "ready":
			ready <- struct{}{}
		case "done":
			close(done)
		}
	}); err != nil {
		return 0, err
	}

	var start func(ctx actor.Context) // runs on the Go window at time 0
	var setupErr error
	if err := g.Do(func(ctx actor.Context) {
		setupErr = s9Setup(ctx, row, n, &data, &start)
	}); err != nil {
		return 0, err
	}
	if setupErr != nil {
		return 0, setupErr
	}
	readyWanted := 1
	if row == s9JSToJS {
		readyWanted = 2
	}
	for range readyWanted {
		select {
		case <-ready:
		case <-time.After(cfg.timeout()):
			return 0, errors.New("the script windows did not get ready")
		}
	}
	t0 := time.Now()
	g.Send(start)
	if err := wait(done, cfg.timeout(), "not every message arrived"); err != nil {
		return 0, err
	}
	d := time.Since(t0)
	return d, rerr
}

// s9Setup makes the row's script windows and channels from the Go window,
// and the function that starts the burst.
func s9Setup(ctx actor.Context, row string, n int, data **ports.MessagePort, start *func(actor.Context)) error {
	ch, err := ports.NewMessageChannel(ctx)
	if err != nil {
		return err
	}
	// hand gives a script window its end of the data channel and a
	// control port, whose other end the Go window keeps (started).
	hand := func(src string, port *ports.MessagePort) (*ports.MessagePort, error) {
		pid := ctx.ActorSystem().Root.Spawn(script.WindowProps(s9Origin, script.Code("s9.js", src)))
		ctl, err := ports.NewMessageChannel(ctx)
		if err != nil {
			return nil, err
		}
		if err := ctl.Port1.Start(ctx); err != nil {
			return nil, err
		}
		w := actors.WindowOf(pid)
		if err := w.PostMessage(ctx, map[string]any{"n": n}, "*", port, ctl.Port2); err != nil {
			return nil, err
		}
		return ctl.Port1, nil
	}
	switch row {
	case s9JSToJS:
		sender, err := hand(s9Sender, ch.Port1)
		if err != nil {
			return err
		}
		if _, err := hand(s9Receiver, ch.Port2); err != nil {
			return err
		}
		*start = func(ctx actor.Context) { _ = sender.PostMessage(ctx, "go") }
	case s9GoToJS:
		if _, err := hand(s9Receiver, ch.Port2); err != nil {
			return err
		}
		p := ch.Port1
		*start = func(ctx actor.Context) {
			for i := 0; i < n; i++ {
				_ = p.PostMessage(ctx, map[string]any{"i": i})
			}
		}
	case s9JSToGo:
		*data = ch.Port2
		if err := ch.Port2.Start(ctx); err != nil {
			return err
		}
		sender, err := hand(s9Sender, ch.Port1)
		if err != nil {
			return err
		}
		*start = func(ctx actor.Context) { _ = sender.PostMessage(ctx, "go") }
	}
	return nil
}
