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
	"github.com/entangle-go/entangle/ports"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "handshake:", err)
		os.Exit(1)
	}
}

var (
	appOrigin    = actors.MustParseOrigin("https://app.example")
	widgetOrigin = actors.MustParseOrigin("https://widget.example")
)

// iframe is the widget's code. Its first window message brings a port; it
// answers every message on that port.
func iframe(out io.Writer) actor.ReceiveFunc {
	return func(ctx actor.Context) {
		m, ok := ctx.Message().(*ports.MessageEvent)
		if !ok || m.Target != nil || len(m.Ports) != 1 {
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
func window(out io.Writer, done chan<- struct{}) actor.ReceiveFunc {
	var port *ports.MessagePort
	answers := 0
	return func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			frame, err := actors.CreateIFrame(ctx, widgetOrigin, actors.Func(iframe(out)), actors.IFrameOptions{})
			if err != nil {
				panic(err)
			}
			// Wrong targetOrigin: dropped silently when it reaches the
			// iframe, as the standard says.
			_ = frame.PostMessage(ctx, "for another origin", "https://evil.example")

			ch, err := ports.NewMessageChannel(ctx)
			if err != nil {
				panic(err)
			}
			port = ch.Port1
			_ = port.Start(ctx)
			_ = frame.PostMessage(ctx, "init", widgetOrigin.String(), ch.Port2) // port2 moves to the iframe
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

func run(out io.Writer) error {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, err := actors.Register(system)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	system.Root.Spawn(actors.WindowFunc(appOrigin, window(out, done)))
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		return fmt.Errorf("timed out")
	}
	// Closes the window (and so its iframe) gracefully, within a deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := plugin.Shutdown(ctx); err != nil {
		return err
	}
	fmt.Fprintln(out, "done: every context and port shut down")
	return nil
}
