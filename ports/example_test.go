package ports_test

import (
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

func quietSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
}

// A context creates a channel, keeps one end and posts messages on it; the
// other end, owned by the same actor, delivers them once started.
func ExampleNewMessageChannel() {
	sys := quietSystem()
	done := make(chan struct{})
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, err := ports.NewMessageChannel(ctx)
			if err != nil {
				panic(err)
			}
			_ = ch.Port1.PostMessage(ctx, "hello")
			_ = ch.Port1.PostMessage(ctx, "world")
			_ = ch.Port2.Start(ctx) // queues start disabled, as on the web
		case *ports.MessageEvent:
			fmt.Println(m.Data)
			if m.Data == "world" {
				close(done)
			}
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware))
	pid := sys.Root.Spawn(props)
	<-done
	_ = sys.Root.PoisonFuture(pid).Wait()
	// Output:
	// hello
	// world
}

// A window hands a port to a worker; the worker answers on it. The port
// arrives already owned by the worker, in MessageEvent.Ports.
func ExamplePostTo() {
	sys := quietSystem()
	done := make(chan struct{})
	worker := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok {
			reply := m.Ports[0]
			_ = reply.PostMessage(ctx, fmt.Sprintf("%v, back", m.Data))
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware)))
	window := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, _ := ports.NewMessageChannel(ctx)
			_ = ch.Port1.Start(ctx)
			_ = ports.PostTo(ctx, worker, "hello", ch.Port2) // port2 moves to the worker
		case *ports.MessageEvent:
			fmt.Println(m.Data)
			close(done)
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware)))
	<-done
	_ = sys.Root.PoisonFuture(window).Wait()
	_ = sys.Root.PoisonFuture(worker).Wait()
	// Output:
	// hello, back
}

// Transferring an ArrayBuffer moves its bytes: the sender's buffer is
// detached, the receiver's shares the same memory.
func ExampleMessagePort_PostMessage() {
	sys := quietSystem()
	done := make(chan struct{})
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, _ := ports.NewMessageChannel(ctx)
			buf := messages.NewArrayBuffer([]byte("1 MiB of pixels, say"))
			_ = ch.Port1.PostMessage(ctx, buf, buf)
			fmt.Println("sender's buffer detached:", buf.Detached(), "length", buf.ByteLength())
			_ = ch.Port2.Start(ctx)
		case *ports.MessageEvent:
			got := m.Data.(*messages.ArrayBuffer)
			fmt.Printf("received %q\n", got.Bytes())
			close(done)
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware))
	pid := sys.Root.Spawn(props)
	<-done
	_ = sys.Root.PoisonFuture(pid).Wait()
	// Output:
	// sender's buffer detached: true length 0
	// received "1 MiB of pixels, say"
}

// Closing a port delivers what it posted, then a CloseEvent at the other
// end.
func ExampleMessagePort_Close() {
	sys := quietSystem()
	done := make(chan struct{})
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, _ := ports.NewMessageChannel(ctx)
			_ = ch.Port2.Start(ctx)
			_ = ch.Port1.PostMessage(ctx, "last words")
			_ = ch.Port1.Close(ctx)
		case *ports.MessageEvent:
			fmt.Println("message:", m.Data)
		case *ports.CloseEvent:
			fmt.Println("closed:", m.Reason)
			close(done)
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware))
	pid := sys.Root.Spawn(props)
	<-done
	_ = sys.Root.PoisonFuture(pid).Wait()
	// Output:
	// message: last words
	// closed: peer-closed
}

// OnData hands a port's messages to a function that gets the data itself,
// as Node.js's port.on('message', f) does: no MessageEvent is made, so a
// burst costs the receiver no allocation beyond the data. The close event
// still goes to Receive.
func ExampleMessagePort_OnData() {
	sys := quietSystem()
	done := make(chan struct{})
	type reading struct{ Celsius float64 }
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, _ := ports.NewMessageChannel(ctx)
			sum := 0.0
			_ = ch.Port2.OnData(ctx, func(ctx actor.Context, data any, _ []*ports.MessagePort) {
				sum += data.(*reading).Celsius
				fmt.Println("sum so far:", sum)
			})
			for _, c := range []float64{20.5, 21, 19.5} {
				_ = ch.Port1.PostMessage(ctx, &reading{Celsius: c})
			}
			_ = ch.Port1.Close(ctx)
		case *ports.CloseEvent:
			fmt.Println("closed:", m.Reason)
			close(done)
		}
	}, actor.WithReceiverMiddleware(ports.ReceiverMiddleware))
	pid := sys.Root.Spawn(props)
	<-done
	_ = sys.Root.PoisonFuture(pid).Wait()
	// Output:
	// sum so far: 20.5
	// sum so far: 41.5
	// sum so far: 61
	// closed: peer-closed
}
