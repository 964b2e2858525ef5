package actors_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// quietSystem is an actor system whose logs go nowhere.
func quietSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
}

// The MDN handshake: a window embeds a cross-origin iframe, hands it a
// port, and the iframe answers on that port.
func Example() {
	system := quietSystem()
	plugin, _ := actors.Register(system)
	done := make(chan struct{})

	widget := actors.Func(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
			fmt.Printf("iframe got %q from %s\n", m.Data, m.Origin)
			_ = m.Ports[0].PostMessage(ctx, "hello, parent")
		}
	})
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			frame, _ := actors.CreateIFrame(ctx, origin.MustParse("https://widget.example"), widget, actors.IFrameOptions{})
			ch, _ := ports.NewMessageChannel(ctx)
			_ = ch.Port1.Start(ctx)
			_ = frame.PostMessage(ctx, "init", "https://widget.example", ch.Port2)
		case *ports.MessageEvent:
			fmt.Printf("window got %q on its port\n", m.Data)
			close(done)
		}
	}))

	<-done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = plugin.Shutdown(ctx)
	// Output:
	// iframe got "init" from https://app.example
	// window got "hello, parent" on its port
}

// A dedicated worker gets a 1 MiB buffer by transfer: the bytes move, the
// window's buffer is detached.
func ExampleNewWorker() {
	system := quietSystem()
	plugin, _ := actors.Register(system)
	done := make(chan struct{})

	sum := actors.Func(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok {
			buf := m.Data.(*messages.ArrayBuffer)
			total := 0
			for _, b := range buf.Bytes() {
				total += int(b)
			}
			_ = actors.WorkerPostMessage(ctx, total)
		}
	})
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			w, _ := actors.NewWorker(ctx, sum, actors.WorkerOptions{})
			data := make([]byte, 1<<20)
			for i := range data {
				data[i] = 1
			}
			buf := messages.NewArrayBuffer(data)
			_ = w.PostMessage(ctx, buf, buf)
			fmt.Println("window's buffer detached:", buf.Detached())
		case *ports.MessageEvent:
			fmt.Println("worker summed", m.Data)
			close(done)
		}
	}))

	<-done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = plugin.Shutdown(ctx)
	// Output:
	// window's buffer detached: true
	// worker summed 1048576
}

// Code outside actors talks to a window through a Bridge: request/reply
// over a port.
func ExampleBridge() {
	system := quietSystem()
	plugin, _ := actors.Register(system)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	window := system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
			p := m.Ports[0]
			_ = p.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
				_ = p.PostMessage(ctx, fmt.Sprintf("%v squared is %d", ev.Data, ev.Data.(int)*ev.Data.(int)))
			})
		}
	}))
	bridge, _ := plugin.NewBridge(origin.MustParse("https://main.example"))
	local, remote, _ := bridge.NewChannel(ctx)
	_ = bridge.PostMessage(ctx, actors.WindowOf(window), nil, "https://app.example", remote)
	for i := 2; i <= 4; i++ {
		reply, _ := local.Request(ctx, i)
		fmt.Println(reply.Data)
	}
	_ = plugin.Shutdown(ctx)
	// Output:
	// 2 squared is 4
	// 3 squared is 9
	// 4 squared is 16
}

// A shared worker counts the windows that connect to it.
func ExampleNewSharedWorker() {
	system := quietSystem()
	plugin, _ := actors.Register(system)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	bridge, _ := plugin.NewBridge(origin.MustParse("https://app.example"))

	counter := func() actor.Actor {
		n := 0
		return actor.ReceiveFunc(func(ctx actor.Context) {
			if m, ok := ctx.Message().(*actors.ConnectEvent); ok {
				n++
				_ = m.Port.PostMessage(ctx, n)
			}
		})
	}
	for i := 0; i < 3; i++ {
		var w *actors.SharedWorker
		_ = bridge.Do(ctx, func(ctx actor.Context) (err error) {
			w, err = actors.NewSharedWorker(ctx, "counter.js", "", counter)
			return err
		})
		p, _ := bridge.Wrap(ctx, w.Port)
		ev, _ := p.Receive(ctx)
		fmt.Println("connection", ev.Data)
	}
	_ = plugin.Shutdown(ctx)
	// Output:
	// connection 1
	// connection 2
	// connection 3
}
