// Command plainactors shows MessagePorts between plain protoactor actors:
// your own actor types, your own message structs, no windows or workers.
//
//	go run ./examples/plainactors
//
// A "front" actor creates a MessageChannel, keeps port1 and hands port2 to
// a "router" actor with ports.PostTo; the router hands it on to a "kitchen"
// actor that runs in a second OS process (node B, this same program started
// again), joined by protoactor remote. The front posts Orders on port1
// before and during the two hand-offs; the kitchen gets them all, in order,
// as Orders, and answers each with a Receipt on the same port, which the
// front matches to its order by ID.
//
// Read main.go (node A), shop.go (the three actors), then nodes.go.
package main

// What to register, so that a plain actor can use ports across nodes:
//
//   - messages.Register("shop.Order", Order{}) and
//     messages.Register("shop.Receipt", Receipt{}) on BOTH nodes, for every
//     struct type that crosses (registerTypes below; the same name on both
//     sides, the Go types may differ). An unregistered type arrives as a
//     *ports.MessageErrorEvent instead of a *ports.MessageEvent.
//   - remote.Start before spawning the actors that own ports: a PID spawned
//     earlier has the address "nonhost" and cannot be answered. And
//     ports.Get(system) before remote.Start (startSystem says why).
//   - A remote kind (remote.NewKind, remote.WithKinds) for each actor that
//     the other node spawns across (here the kitchen, served by node B).
//   - ports.ReceiverMiddleware on every actor that creates or receives ports
//     (actor.WithReceiverMiddleware in its props): front, router, kitchen.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// Order is what the front asks the kitchen for.
type Order struct {
	ID   int
	Item string
	Qty  int
}

// Receipt is the kitchen's answer to the Order with the same ID.
type Receipt struct {
	OrderID int
	Cents   int
	Note    string
}

// registerTypes names the structs that cross nodes. Both nodes call it.
func registerTypes() {
	messages.Register("shop.Order", Order{})
	messages.Register("shop.Receipt", Receipt{})
}

// nodeEnv set to "b" makes this program node B (see nodes.go).
const nodeEnv = "PLAINACTORS_NODE"

func main() {
	run := runNodeA
	if os.Getenv(nodeEnv) == "b" {
		run = runNodeB
	}
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "plainactors:", err)
		os.Exit(1)
	}
}

// withPorts is the props option that lets an actor own MessagePorts.
var withPorts = actor.WithReceiverMiddleware(ports.ReceiverMiddleware)

// runNodeA starts node B, spawns the kitchen there and the front and the
// router here, waits for every receipt, then shuts everything down.
func runNodeA(_ io.Reader, out io.Writer) error {
	registerTypes()
	b, err := startNodeB()
	if err != nil {
		return err
	}
	defer func() { _ = b.Close() }()
	system, r := startSystem()
	fmt.Fprintln(out, "node B runs in its own process")

	spawned, err := r.SpawnNamed(b.addr, "kitchen", "kitchen", 5*time.Second)
	if err != nil {
		stopNode(system, r)
		return fmt.Errorf("spawning the kitchen on node B: %w", err)
	}
	kitchenPID := spawned.Pid
	routerPID := system.Root.Spawn(actor.PropsFromFunc(router(kitchenPID), withPorts))
	done := make(chan struct{})
	frontPID := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return newFront(out, routerPID, done)
	}, withPorts))

	select {
	case <-done:
	case <-time.After(10 * time.Second):
		err = errors.New("timed out waiting for the receipts")
	}
	// A graceful stop closes the actor's ports; the kitchen, across the
	// network, is poisoned like a local actor.
	for _, pid := range []*actor.PID{frontPID, routerPID, kitchenPID} {
		_ = system.Root.PoisonFuture(pid).Wait()
	}
	ports.Unregister(system) // the extension's subscriptions and helper actor
	stopNode(system, r)
	if err := errors.Join(err, b.Close()); err != nil {
		return err
	}
	fmt.Fprintln(out, "front, router, kitchen, node A and node B all shut down")
	return nil
}
