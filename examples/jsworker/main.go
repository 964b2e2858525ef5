// Command jsworker is a Go page that hands a MessagePort to a dedicated
// worker written in JavaScript (worker.js, run by the script host in a
// goja realm of its own) and asks it for the statistics of a few texts.
// The worker answers on the port; the page prints the answers, then
// everything shuts down.
//
//	go run ./examples/jsworker
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/actors/script"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

//go:embed worker.js
var web embed.FS

// request is what the page posts: the worker sees {ID, Text}.
type request struct {
	ID   int
	Text string
}

var texts = []string{
	"The quick brown fox jumps over the lazy dog. The dog sleeps.",
	"It was the best of times, it was the worst of times.",
	"To be, or not to be, that is the question.",
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "jsworker:", err)
		os.Exit(1)
	}
}

// page is the Go window: it creates the worker, hands it a port and sends
// one request per text, printing each answer.
func page(out io.Writer, done chan<- error) actor.ReceiveFunc {
	answered := 0
	return func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); !ok {
			return
		}
		finish := func(err error) { done <- err } // nil: every text was answered
		w, err := script.NewWorker(ctx, actors.WorkerOptions{Name: "analyzer"}, script.File("worker.js"))
		if err != nil {
			finish(err)
			return
		}
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil {
			finish(err)
			return
		}
		port := ch.Port1
		err = port.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
			o, ok := ev.Data.(*messages.Object)
			if !ok {
				finish(fmt.Errorf("the worker answered %T", ev.Data))
				return
			}
			if name, ok := o.Get("ready"); ok {
				fmt.Fprintf(out, "worker %q is ready\n", name)
				for i, text := range texts {
					_ = port.PostMessage(ctx, &request{ID: i + 1, Text: text})
				}
				return
			}
			fmt.Fprintln(out, describe(o))
			if answered++; answered == len(texts) {
				_ = port.Close(ctx)
				finish(nil)
			}
		})
		if err != nil {
			finish(err)
			return
		}
		if err := w.PostMessage(ctx, "here is your port", ch.Port2); err != nil {
			finish(err)
		}
	}
}

// describe prints one answer of the worker, a plain JavaScript object.
func describe(o *messages.Object) string {
	get := func(k string) any { v, _ := o.Get(k); return v }
	var top []string
	if pairs, ok := get("top").([]any); ok {
		for _, p := range pairs {
			if kv, ok := p.([]any); ok && len(kv) == 2 {
				top = append(top, fmt.Sprintf("%v x%v", kv[0], kv[1]))
			}
		}
	}
	return fmt.Sprintf("text %v: %v words, %v different, longest %q, most used: %s",
		get("id"), get("words"), get("unique"), get("longest"), strings.Join(top, ", "))
}

func run(out io.Writer) error {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer system.Shutdown()
	plugin, err := actors.Register(system)
	if err != nil {
		return err
	}
	defer ports.Unregister(system)
	if _, err := script.Register(plugin, script.WithFS(web)); err != nil {
		return err
	}
	done := make(chan error, 1)
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), page(out, done)))
	var runErr error
	select {
	case runErr = <-done:
	case <-time.After(30 * time.Second):
		runErr = fmt.Errorf("the worker did not answer in time")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := plugin.Shutdown(ctx); err != nil && runErr == nil {
		runErr = err
	}
	if runErr == nil {
		fmt.Fprintln(out, "done: the page, the worker and their ports shut down")
	}
	return runErr
}
