package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/ports"
)

// startSystem makes an actor system that logs nothing and starts remote on
// a free loopback port, before any actor of ours is spawned.
func startSystem(kinds ...*remote.Kind) (*actor.ActorSystem, *remote.Remote) {
	quiet := func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }
	system := actor.NewActorSystem(actor.WithLoggerFactory(quiet))
	// Install the ports extension now rather than with the first actor that
	// owns ports: it subscribes to the system's EventStream, and protoactor's
	// EventStream races with a Publish (remote publishes there) while a
	// subscription with a predicate is being added.
	ports.Get(system)
	// RemoteReceiveLimit lets this node's gRPC server take protoactor's
	// batches whatever their size: a burst of large messages is batched
	// past gRPC's default 4 MiB, which would break the connection.
	r := remote.NewRemote(system, remote.Configure("127.0.0.1", 0, remote.WithKinds(kinds...),
		ports.RemoteReceiveLimit(0)))
	r.Start()
	return system, r
}

// stopNode stops remote, then the actor system. Remote's graceful
// Shutdown(true) races (go test -race sees it) with the other node leaving
// at the same time, so the gRPC server is just stopped: by now our actors
// are stopped and nothing is in flight.
func stopNode(system *actor.ActorSystem, r *remote.Remote) {
	r.Shutdown(false)
	system.Shutdown()
}

// runNodeB is the second process. It serves the "kitchen" kind, writes its
// address as its one line of output, and stops when its input ends.
func runNodeB(in io.Reader, out io.Writer) error {
	registerTypes()
	kitchenProps := actor.PropsFromProducer(func() actor.Actor { return &kitchen{} }, withPorts)
	system, r := startSystem(remote.NewKind("kitchen", kitchenProps))
	fmt.Fprintln(out, system.Address())
	_, _ = io.Copy(io.Discard, in) // until node A closes our stdin
	stopNode(system, r)
	return nil
}

// nodeB is node A's handle on the node B process.
type nodeB struct {
	addr  string
	close func() error
}

// startNodeB runs this program again as node B and reads its address.
func startNodeB() (*nodeB, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), nodeEnv+"=b")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err = cmd.Start(); err != nil {
		return nil, err
	}
	b := &nodeB{close: sync.OnceValue(func() error {
		_ = stdin.Close() // node B shuts down at the end of its input
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("node B: %w", err)
		}
		return nil
	})}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		_ = b.Close()
		return nil, fmt.Errorf("node B did not start: %w", io.ErrUnexpectedEOF)
	}
	b.addr = lines.Text()
	return b, nil
}

// Close stops node B and waits for it to exit; calling it again does nothing.
func (b *nodeB) Close() error { return b.close() }
