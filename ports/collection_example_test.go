package ports_test

import (
	"fmt"
	"sort"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// A hub keeps the ports of its listeners in a PortCollection and posts each
// announcement once for all of them. A listener that closes its port
// leaves the collection by itself (its end gets the CloseEvent).
func ExamplePortCollection() {
	sys := quietSystem()
	heard := make(chan string, 8)
	listener := func(name string) *actor.PID {
		return sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
			if m, ok := ctx.Message().(*ports.MessageEvent); ok {
				if len(m.Ports) == 1 {
					_ = m.Ports[0].Start(ctx)
					return
				}
				heard <- fmt.Sprintf("%s heard %v", name, m.Data)
				if m.Data == "bye" {
					_ = m.Target.Close(ctx)
				}
			}
		}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware)))
	}
	listeners := []*actor.PID{listener("ann"), listener("bo")}
	left := make(chan int)
	hubRoom := ports.NewPortCollection() // used only inside the hub's Receive
	hub := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			for _, l := range listeners {
				ch, _ := ports.NewMessageChannel(ctx)
				_ = ch.Port1.Start(ctx) // to get its CloseEvent
				_ = hubRoom.Add(ctx, ch.Port1)
				_ = ports.PostTo(ctx, l, "join", ch.Port2)
			}
			_ = hubRoom.PostMessage(ctx, "hello")
			_ = hubRoom.PostMessage(ctx, "bye")
		case *ports.CloseEvent:
			left <- hubRoom.Len()
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware)))
	var lines []string
	for range 4 {
		lines = append(lines, <-heard)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Println("left in the room:", <-left, "then", <-left)
	_ = sys.Root.PoisonFuture(hub).Wait()
	for _, l := range listeners {
		_ = sys.Root.PoisonFuture(l).Wait()
	}
	// Output:
	// ann heard bye
	// ann heard hello
	// bo heard bye
	// bo heard hello
	// left in the room: 1 then 0
}
