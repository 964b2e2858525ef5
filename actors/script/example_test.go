package script_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/actors/script"
	"github.com/entangle-go/entangle/ports"
)

// A Go window hands a port to a dedicated worker written in JavaScript,
// which answers each number with its square.
func Example() {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, _ := actors.Register(system)
	_, _ = script.Register(plugin)

	answers := make(chan any, 3)
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, _ := script.NewWorker(ctx, actors.WorkerOptions{}, script.Code("square.js", `
				onmessage = (ev) => {
					const port = ev.ports[0];
					port.onmessage = (m) => port.postMessage(m.data * m.data);
				};
			`))
			ch, _ := ports.NewMessageChannel(ctx)
			_ = ch.Port1.Start(ctx)
			_ = w.PostMessage(ctx, "your port", ch.Port2)
			for i := 1; i <= 3; i++ {
				_ = ch.Port1.PostMessage(ctx, i)
			}
		case *ports.MessageEvent:
			answers <- m.Data
		}
	}))
	for range 3 {
		fmt.Println(<-answers)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = plugin.Shutdown(ctx)
	ports.Unregister(system)
	system.Shutdown()
	// Output:
	// 1
	// 4
	// 9
}

// Eval runs code in a realm from Go, inside one of the context's tasks,
// and returns its completion value as a Go value.
func ExampleEval() {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, _ := actors.Register(system)
	_, _ = script.Register(plugin, script.WithConsole(func(_ actor.Context, _ slog.Level, msg string) {
		fmt.Println("console:", msg)
	}))
	pid := system.Root.Spawn(script.WindowProps(origin.MustParse("https://app.example"),
		script.Code("main.js", `const greet = (who) => "hello, " + who; console.log(location.href);`)))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = plugin.Run(ctx, pid, func(ctx actor.Context) error {
		v, err := script.Eval(ctx, `greet("Go")`)
		fmt.Println(v, err)
		return nil
	})

	_ = plugin.Shutdown(ctx)
	ports.Unregister(system)
	system.Shutdown()
	// Output:
	// console: https://app.example/
	// hello, Go <nil>
}
