// Command handshake is the classic MessageChannel handshake: a "window"
// creates a channel, keeps one port and hands the other to an "iframe",
// which answers on it. Both are plain protoactor actors that own ports
// through ports.ReceiverMiddleware.
//
//	go run ./examples/handshake
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// iframe answers every message that arrives on the port it was given.
func iframe(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *ports.MessageEvent:
		if len(m.Ports) == 1 { // the port from the window
			port := m.Ports[0]
			_ = port.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
				_ = port.PostMessage(ctx, fmt.Sprintf("iframe got %q", ev.Data))
			})
			_ = port.PostMessage(ctx, "iframe ready")
		}
	}
}

// window creates the channel, sends port2 to the iframe and prints answers.
func window(out io.Writer, frame *actor.PID, done chan<- struct{}) actor.ReceiveFunc {
	var port *ports.MessagePort
	answers := 0
	return func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, err := ports.NewMessageChannel(ctx)
			if err != nil {
				panic(err)
			}
			port = ch.Port1
			_ = port.Start(ctx)
			_ = ports.PostTo(ctx, frame, "here is your port", ch.Port2)
			_ = port.PostMessage(ctx, "hello")
			_ = port.PostMessage(ctx, "how are you?")
		case *ports.MessageEvent:
			fmt.Fprintln(out, "window:", m.Data)
			if answers++; answers == 3 {
				_ = port.Close(ctx)
				close(done)
			}
		}
	}
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "handshake:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}))
	withPorts := actor.WithReceiverMiddleware(ports.ReceiverMiddleware)
	frame := system.Root.Spawn(actor.PropsFromFunc(iframe, withPorts))
	done := make(chan struct{})
	win := system.Root.Spawn(actor.PropsFromFunc(window(out, frame, done), withPorts))
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		return fmt.Errorf("timed out")
	}
	// Graceful stops: each waits until its ports are done.
	_ = system.Root.PoisonFuture(win).Wait()
	_ = system.Root.PoisonFuture(frame).Wait()
	fmt.Fprintln(out, "done")
	return nil
}
