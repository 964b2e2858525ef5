// Command handshake is the MDN classic of the Channel Messaging API: a
// window embeds a cross-origin iframe, creates a MessageChannel, and
// posts port2 to the iframe with a targetOrigin; the iframe answers on the
// port and the window prints the answers. A post with the wrong
// targetOrigin shows the standard's silent drop. Then everything shuts
// down cleanly.
//
//	go run ./examples/handshake
package main

import (
	"context"
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
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "handshake:", err)
		os.Exit(1)
	}
}

var (
	appOrigin    = origin.MustParse("https://app.example")
	widgetOrigin = origin.MustParse("https://widget.example")
)

// iframe is the widget's code. It prints every window message it gets (so
// a message that was not dropped would show); the one that brings a port
// sets it up, and it answers every message on that port.
func iframe(out io.Writer) actor.ReceiveFunc {
	return func(ctx actor.Context) {
		m, ok := ctx.Message().(*ports.MessageEvent)
		if !ok || m.Target != nil {
			return
		}
		if len(m.Ports) != 1 {
			fmt.Fprintf(out, "iframe: %q from %s\n", m.Data, m.Origin)
			return
		}
		fmt.Fprintf(out, "iframe: %q from %s, with a port\n", m.Data, m.Origin)
		port := m.Ports[0]
		// OnMessage is port.onmessage = ...: it also starts the port.
		_ = port.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
			_ = port.PostMessage(ctx, fmt.Sprintf("the iframe got %q", ev.Data))
		})
		_ = port.PostMessage(ctx, "iframe ready")
	}
}

// window is the page: it embeds the iframe and talks to it over a port.
// It sends nil to done after the third answer, or the first error.
func window(out io.Writer, done chan<- error) actor.ReceiveFunc {
	var port *ports.MessagePort
	answers := 0
	return func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			if err := start(ctx, out, &port); err != nil {
				done <- err
			}
		case *ports.MessageEvent:
			fmt.Fprintln(out, "window:", m.Data)
			if answers++; answers == 3 {
				_ = port.Close(ctx)
				done <- nil
			}
		}
	}
}

// start embeds the iframe and hands it port2 of a new channel; port1 is
// the window's.
func start(ctx actor.Context, out io.Writer, port **ports.MessagePort) error {
	frame, err := actors.CreateIFrame(ctx, widgetOrigin, actors.Func(iframe(out)), actors.IFrameOptions{})
	if err != nil {
		return err
	}
	// Wrong targetOrigin: dropped silently when it reaches the iframe, as
	// the standard says (the iframe never prints it).
	if err := frame.PostMessage(ctx, "for another origin", "https://evil.example"); err != nil {
		return err
	}
	ch, err := ports.NewMessageChannel(ctx)
	if err != nil {
		return err
	}
	*port = ch.Port1
	if err := ch.Port1.Start(ctx); err != nil {
		return err
	}
	// port2 moves to the iframe.
	if err := frame.PostMessage(ctx, "init", widgetOrigin.String(), ch.Port2); err != nil {
		return err
	}
	if err := ch.Port1.PostMessage(ctx, "hello"); err != nil {
		return err
	}
	return ch.Port1.PostMessage(ctx, "how are you?")
}

func run(out io.Writer) error {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, err := actors.Register(system)
	if err != nil {
		return err
	}
	done := make(chan error, 2)
	system.Root.Spawn(actors.WindowFunc(appOrigin, window(out, done)))
	var failed error
	select {
	case failed = <-done:
	case <-time.After(5 * time.Second):
		failed = fmt.Errorf("timed out")
	}
	// Closes the window (and so its iframe) gracefully, within a deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := plugin.Shutdown(ctx); err != nil {
		return err
	}
	ports.Unregister(system) // Shutdown leaves the ports extension (plain actors may use it)
	if failed != nil {
		return failed
	}
	fmt.Fprintln(out, "done: every context and port shut down")
	return nil
}
