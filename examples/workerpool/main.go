// Command workerpool hands each of N dedicated workers a MessagePort and
// sends them jobs that carry 1 MiB ArrayBuffers in the transfer list: the
// bytes move to the worker and back without a copy. It prints the
// throughput and the proof that the buffers moved.
//
//	go run ./examples/workerpool [-workers 4] [-jobs 200]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"
	"unsafe"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

const bufSize = 1 << 20

// job goes to a worker, result comes back; both carry the buffer, which
// is in the transfer list each way.
type job struct {
	ID  int
	Buf *messages.ArrayBuffer
}

type result struct {
	ID  int
	Sum uint64
	Buf *messages.ArrayBuffer
}

func main() {
	workers := flag.Int("workers", 4, "number of dedicated workers")
	jobs := flag.Int("jobs", 200, "number of 1 MiB jobs")
	flag.Parse()
	if err := run(os.Stdout, *workers, *jobs); err != nil {
		fmt.Fprintln(os.Stderr, "workerpool:", err)
		os.Exit(1)
	}
}

// worker waits for the port its creator sends, then sums the bytes of
// every job's buffer and sends the buffer back with the result.
func worker(ctx actor.Context) {
	m, ok := ctx.Message().(*ports.MessageEvent)
	if !ok || len(m.Ports) != 1 {
		return
	}
	port := m.Ports[0]
	_ = port.OnMessage(ctx, func(ctx actor.Context, ev *ports.MessageEvent) {
		j := ev.Data.(job)
		var sum uint64
		for _, b := range j.Buf.Bytes() {
			sum += uint64(b)
		}
		_ = port.PostMessage(ctx, result{ID: j.ID, Sum: sum, Buf: j.Buf}, j.Buf)
	})
}

// address is where a buffer's bytes live: the same address after a round
// trip means they were moved, not copied.
func address(b *messages.ArrayBuffer) uintptr { return uintptr(unsafe.Pointer(&b.Bytes()[0])) }

// stats is what the window found.
type stats struct {
	done, moved, detached, wrongSums int
	elapsed                          time.Duration
}

// window starts the workers, keeps two jobs in flight per worker, checks
// every result, and reports when all jobs are done.
func window(workers, jobs int, finished chan<- stats) actor.ReceiveFunc {
	var (
		st      stats
		sent    int
		start   time.Time
		sentAt  = map[int]uintptr{} // job id -> address of its bytes
		portFor = map[*ports.MessagePort]bool{}
	)
	send := func(ctx actor.Context, p *ports.MessagePort, buf *messages.ArrayBuffer) {
		if sent == jobs {
			return
		}
		id := sent
		sent++
		for i, b := 0, buf.Bytes(); i < len(b); i += 4096 {
			b[i] = byte(id)
		}
		sentAt[id] = address(buf)
		_ = p.PostMessage(ctx, job{ID: id, Buf: buf}, buf)
		if buf.Detached() {
			st.detached++
		}
	}
	return func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			start = time.Now()
			for i := 0; i < workers; i++ {
				w, err := actors.NewWorker(ctx, actors.Func(worker), actors.WorkerOptions{})
				if err != nil {
					panic(err)
				}
				ch, _ := ports.NewMessageChannel(ctx)
				_ = ch.Port1.Start(ctx)
				portFor[ch.Port1] = true
				_ = w.PostMessage(ctx, "your port", ch.Port2)
				for k := 0; k < 2; k++ {
					send(ctx, ch.Port1, messages.NewArrayBuffer(make([]byte, bufSize)))
				}
			}
		case *ports.MessageEvent:
			if !portFor[m.Target] {
				return
			}
			r := m.Data.(result)
			if r.Sum != uint64(byte(r.ID))*(bufSize/4096) {
				st.wrongSums++
			}
			if address(r.Buf) == sentAt[r.ID] {
				st.moved++
			}
			st.done++
			if st.done == jobs {
				st.elapsed = time.Since(start)
				finished <- st
				return
			}
			send(ctx, m.Target, r.Buf) // reuse the buffer that came back
		}
	}
}

func run(out io.Writer, workers, jobs int) error {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	plugin, err := actors.Register(system)
	if err != nil {
		return err
	}
	finished := make(chan stats, 1)
	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), window(workers, jobs, finished)))
	var st stats
	select {
	case st = <-finished:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("timed out")
	}
	mib := float64(jobs) * 2 // each MiB goes there and back
	fmt.Fprintf(out, "%d workers, %d jobs of 1 MiB each, in %v\n", workers, jobs, st.elapsed.Round(time.Millisecond))
	fmt.Fprintf(out, "throughput: %.0f jobs/s, %.0f MiB/s moved between contexts\n", float64(jobs)/st.elapsed.Seconds(), mib/st.elapsed.Seconds())
	fmt.Fprintf(out, "checksums right: %d/%d\n", jobs-st.wrongSums, jobs)
	fmt.Fprintf(out, "sender's buffer detached after each post: %d/%d\n", st.detached, jobs)
	fmt.Fprintf(out, "buffers back at the same address (moved, not copied): %d/%d\n", st.moved, jobs)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := plugin.Shutdown(ctx); err != nil {
		return err
	}
	ports.Unregister(system) // Shutdown leaves the ports extension (plain actors may use it)
	if st.wrongSums != 0 || st.detached != jobs || st.moved != jobs {
		return fmt.Errorf("the proof failed: %d wrong sums, %d/%d detached, %d/%d moved", st.wrongSums, st.detached, jobs, st.moved, jobs)
	}
	return nil
}
