// Command pipeline hands one end of a MessageChannel along a chain of
// workers while the other end keeps posting: every hand-over re-parents
// the port (a new port actor under the next worker), and the sequence
// check shows that no message was lost, duplicated or reordered.
//
//	go run ./examples/pipeline [-stages 4] [-messages 10000]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

func main() {
	stages := flag.Int("stages", 4, "workers the port passes through")
	total := flag.Int("messages", 10000, "messages posted while it moves")
	flag.Parse()
	if err := run(os.Stdout, *stages, *total); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		os.Exit(1)
	}
}

// report is what a stage tells the window when it hands the port on.
type report struct {
	Stage       int
	First, Last int // the numbers it received (-1 if none)
	InOrder     bool
	PortActor   string
}

// stage takes quota messages from the port it is given, checking that each
// is one more than the last, then passes the port on to next (or, as the
// last stage, keeps it until total messages have come).
func stage(n, quota, total int, next *actor.PID) actor.Producer {
	return actors.Func(func(ctx actor.Context) {
		m, ok := ctx.Message().(*ports.MessageEvent)
		if !ok || len(m.Ports) != 1 {
			return
		}
		port := m.Ports[0]
		r := report{Stage: n, First: -1, Last: -1, InOrder: true, PortActor: port.PID().GetId()}
		_ = port.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
			i := ev.Data.(int)
			if r.First < 0 {
				r.First = i
			} else if i != r.Last+1 {
				r.InOrder = false
			}
			r.Last = i
			count := r.Last - r.First + 1
			if (next != nil && count == quota) || i == total-1 {
				_ = actors.WorkerPostMessage(ctx, r)
				if next != nil {
					// Hand the port on from inside its own handler:
					// what is still on its way follows it.
					_ = ports.PostTo(ctx, next, "your turn", port)
				}
			}
		})
	})
}

func run(out io.Writer, stages, total int) error {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, err := actors.Register(system)
	if err != nil {
		return err
	}
	quota := total / stages
	reports := make(chan report, stages)
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			// Build the chain from its end, so each stage knows the next.
			var next *actor.PID
			var first *actors.Worker
			for n := stages; n >= 1; n-- {
				w, err := actors.NewWorker(ctx, stage(n, quota, total, next), actors.WorkerOptions{Name: fmt.Sprintf("stage-%d", n)})
				if err != nil {
					panic(err)
				}
				next, first = w.PID(), w
			}
			ch, _ := ports.NewMessageChannel(ctx)
			_ = first.PostMessage(ctx, "your turn", ch.Port2)
			// The producer keeps posting in batches from a timer, so the
			// port moves while messages are in flight.
			sent := 0
			var produce func(ctx actor.Context)
			produce = func(ctx actor.Context) {
				for k := 0; k < 250 && sent < total; k++ {
					_ = ch.Port1.PostMessage(ctx, sent)
					sent++
				}
				if sent < total {
					_, _ = actors.SetTimeout(ctx, 100*time.Microsecond, produce)
				}
			}
			produce(ctx)
		case *ports.MessageEvent:
			if r, ok := m.Data.(report); ok {
				reports <- r
			}
		}
	}))

	got := make([]report, stages+1)
	for i := 0; i < stages; i++ {
		select {
		case r := <-reports:
			got[r.Stage] = r
		case <-time.After(30 * time.Second):
			return fmt.Errorf("timed out waiting for the stages")
		}
	}
	fmt.Fprintf(out, "posted %d messages while port2 moved through %d workers\n", total, stages)
	expect, ok := 0, true
	for n := 1; n <= stages; n++ {
		r := got[n]
		fmt.Fprintf(out, "stage %d: messages %d-%d, in order: %v (port actor %s)\n", n, r.First, r.Last, r.InOrder, r.PortActor)
		ok = ok && r.InOrder && r.First == expect
		expect = r.Last + 1
	}
	ok = ok && expect == total
	fmt.Fprintf(out, "sequence check: %d messages, in order, none lost, none duplicated, across %d owners: %v\n", total, stages, ok)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := plugin.Shutdown(ctx); err != nil {
		return err
	}
	ports.Unregister(system) // Shutdown leaves the ports extension (plain actors may use it)
	if !ok {
		return fmt.Errorf("the sequence check failed")
	}
	return nil
}
