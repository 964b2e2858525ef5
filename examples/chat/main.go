// Command chat connects several windows to one shared worker that relays
// their messages; when a window leaves, the others see it go.
//
//	go run ./examples/chat
//
// The shared worker (actors.NewSharedWorker with the same script and name
// from every window) gets a connect event per window, with that
// connection's port. It learns each window's name from its first message,
// relays what it says to every window (the speaker's own copy confirms it),
// and when a connection's port gets its close event (the window went away)
// it tells the rest.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "chat:", err)
		os.Exit(1)
	}
}

// room is the shared worker's code: one instance serves every window. The
// connections whose window has said its name are in members, a
// ports.PortCollection: one PostMessage reaches them all, and a port whose
// window went away (its CloseEvent) has left the collection by itself.
func room() actor.Actor {
	names := map[*ports.MessagePort]string{}
	members := ports.NewPortCollection()
	return actor.ReceiveFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actors.ConnectEvent:
			_ = m.Port.Start(ctx) // a member once its first message names it
		case *ports.MessageEvent:
			text := m.Data.(string)
			name, named := names[m.Target]
			if !named {
				names[m.Target] = text
				_ = members.PostMessage(ctx, text+" joined")
				_ = members.Add(ctx, m.Target)
				_ = m.Target.PostMessage(ctx, fmt.Sprintf("welcome, %s: %d in the room", text, members.Len()))
				return
			}
			// To every member, the speaker too: its copy says the
			// room heard it.
			_ = members.PostMessage(ctx, name+": "+text)
		case *ports.CloseEvent:
			// m.Target has left members already.
			who := names[m.Target]
			delete(names, m.Target)
			_ = members.PostMessage(ctx, who+" left")
		}
	})
}

// chatWindow connects to the room and prints what it hears to heard.
type chatWindow struct {
	name  string
	port  *ports.MessagePort
	heard chan<- string
}

func (w *chatWindow) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		sw, err := actors.NewSharedWorker(ctx, "chat.js", "lobby", room)
		if err != nil {
			panic(err)
		}
		w.port = sw.Port
		_ = w.port.Start(ctx)
		_ = w.port.PostMessage(ctx, w.name)
	case *ports.MessageEvent:
		w.heard <- fmt.Sprintf("  %-6s sees %q", w.name, m.Data)
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	heard := make(chan string, 64)
	// expect waits for n lines and prints them sorted: the windows run at
	// the same time, so the order among them is free.
	expect := func(step string, n int) error {
		fmt.Fprintln(out, step)
		var lines []string
		for len(lines) < n {
			select {
			case l := <-heard:
				lines = append(lines, l)
			case <-ctx.Done():
				return fmt.Errorf("%s: got %d of %d lines", step, len(lines), n)
			}
		}
		sort.Strings(lines)
		fmt.Fprintln(out, strings.Join(lines, "\n"))
		return nil
	}
	windows := map[string]*actor.PID{}
	open := func(name string) {
		w := &chatWindow{name: name, heard: heard}
		windows[name] = system.Root.Spawn(actors.WindowProps(origin.MustParse("https://chat.example"), func() actor.Actor { return w }))
	}
	say := func(name, text string) error {
		return plugin.Run(ctx, windows[name], func(c actor.Context) error {
			return c.Actor().(*chatWindow).port.PostMessage(c, text)
		})
	}

	open("alice")
	if err := expect("alice opens the chat", 1); err != nil {
		return err
	}
	open("bob")
	if err := expect("bob opens the chat", 2); err != nil {
		return err
	}
	open("carol")
	if err := expect("carol opens the chat", 3); err != nil {
		return err
	}
	if err := say("alice", "hi all"); err != nil {
		return err
	}
	if err := expect("alice says hi", 3); err != nil {
		return err
	}
	plugin.Destroy(system.Root, windows["bob"]) // bob closes his window
	if err := expect("bob closes his window", 2); err != nil {
		return err
	}
	if err := say("carol", "bye"); err != nil {
		return err
	}
	if err := expect("carol says bye", 2); err != nil {
		return err
	}
	if err := plugin.Shutdown(ctx); err != nil {
		return err
	}
	ports.Unregister(system) // Shutdown leaves the ports extension (plain actors may use it)
	fmt.Fprintln(out, "shut down: the windows, the shared worker and their ports")
	return nil
}
