// Command remote spreads a web app over two OS processes joined by
// protoactor remote: a window in this process, a worker in a second one
// (started by this command), and a MessagePort transferred between them.
//
//	go run ./examples/remote
//
// The first process starts the second (the same program with
// ENTANGLE_REMOTE_ROLE=node-b), which prints its address. The window then
// spawns a "host" context on node B through a protoactor remote kind,
// creates a MessageChannel and posts port2 to it across the network; the
// host starts a dedicated worker and hands the port on; the worker answers
// on the port, from the other process.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
)

const roleEnv = "ENTANGLE_REMOTE_ROLE"

func main() {
	var err error
	if os.Getenv(roleEnv) == "node-b" {
		err = nodeB(os.Stdin, os.Stdout)
	} else {
		err = run(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "remote:", err)
		os.Exit(1)
	}
}

// newNode starts an actor system with remote on a free loopback port and
// the entangle plugin. Remote starts first: contexts spawned before it
// could not be answered from the other node.
func newNode(kinds ...*remote.Kind) (*actor.ActorSystem, *remote.Remote, *actors.Plugin, error) {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	// RemoteReceiveLimit lets this node's gRPC server take protoactor's
	// batches whatever their size: a burst of large messages is batched
	// past gRPC's default 4 MiB, which would break the connection.
	r := remote.NewRemote(system, remote.Configure("127.0.0.1", 0, remote.WithKinds(kinds...),
		ports.RemoteReceiveLimit(0)))
	r.Start()
	plugin, err := actors.Register(system)
	return system, r, plugin, err
}

// worker answers every message on the port it is given, saying which
// process it runs in.
func worker(ctx actor.Context) {
	m, ok := ctx.Message().(*ports.MessageEvent)
	if !ok || len(m.Ports) != 1 {
		return
	}
	port := m.Ports[0]
	_ = port.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
		_ = port.PostMessage(ctx, fmt.Sprintf("worker on node B got %q", ev.Data))
	})
}

// host is node B's context that the window spawns remotely: it starts a
// dedicated worker and hands it the port that came from node A.
func host(ctx actor.Context) {
	m, ok := ctx.Message().(*ports.MessageEvent)
	if !ok || len(m.Ports) != 1 {
		return
	}
	w, err := actors.NewWorker(ctx, actors.Func(worker), actors.WorkerOptions{})
	if err != nil {
		return
	}
	_ = w.PostMessage(ctx, "your port", m.Ports[0])
}

// nodeB is the second process: it serves the "host" kind, prints its
// address, and runs until its stdin closes (when node A is done).
func nodeB(in io.Reader, out io.Writer) error {
	kind := remote.NewKind("host", actors.WindowFunc(origin.MustParse("https://worker.example"), host))
	system, r, plugin, err := newNode(kind)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, system.Address())
	_, _ = io.Copy(io.Discard, in) // node A closes our stdin when it is done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = plugin.Shutdown(ctx)
	ports.Unregister(system) // Shutdown leaves the ports extension (plain actors may use it)
	r.Shutdown(false)
	system.Shutdown()
	return err
}

// run is node A: it starts node B, then runs the window.
func run(out io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	child := exec.Command(self)
	child.Env = append(os.Environ(), roleEnv+"=node-b")
	child.Stderr = os.Stderr
	stdin, err := child.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		return err
	}
	if err := child.Start(); err != nil {
		return err
	}
	waited := false
	stopB := func() error { // node B shuts down when its stdin closes
		if waited {
			return nil
		}
		waited = true
		_ = stdin.Close()
		if err := child.Wait(); err != nil {
			return fmt.Errorf("node B: %w", err)
		}
		return nil
	}
	defer func() { _ = stopB() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("node B did not start: %w", err)
	}
	addrB := strings.TrimSpace(line)
	fmt.Fprintln(out, "node B is a separate process, listening on 127.0.0.1")

	system, r, plugin, err := newNode()
	if err != nil {
		return err
	}
	defer func() {
		ports.Unregister(system) // Shutdown leaves the ports extension (plain actors may use it)
		r.Shutdown(false)
		system.Shutdown()
	}()
	res, err := r.SpawnNamed(addrB, "host", "host", 5*time.Second)
	if err != nil {
		return fmt.Errorf("spawning the host on node B: %w", err)
	}
	hostPID := res.Pid

	done := make(chan struct{})
	answers := 0
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ch, _ := ports.NewMessageChannel(ctx)
			_ = ch.Port1.Start(ctx)
			// port2 crosses to the other process, then on to the worker.
			_ = actors.WindowOf(hostPID).PostMessage(ctx, "a port for your worker", "https://worker.example", ch.Port2)
			for _, s := range []string{"hello", "how are you?", "bye"} {
				_ = ch.Port1.PostMessage(ctx, s)
			}
			fmt.Fprintln(out, "window on node A posted port2 to node B and 3 messages on port1")
		case *ports.MessageEvent:
			fmt.Fprintln(out, "window on node A:", m.Data)
			if answers++; answers == 3 {
				close(done)
			}
		}
	}))
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		return errors.New("no answer from node B")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := plugin.Shutdown(ctx); err != nil {
		return err
	}
	if err := stopB(); err != nil {
		return err
	}
	fmt.Fprintln(out, "both nodes shut down")
	return nil
}
