package ports

import (
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// NewDispatcher returns a protoactor dispatcher for actors that own ports.
//
// protoactor's default dispatcher starts a new goroutine every time an idle
// mailbox gets a message. Port actors run on the goroutine of whoever sends
// to them, so the Receive of a context that posts goes deep, and on a fresh
// goroutine that depth is paid again and again as stack growth (profiles of
// a round trip between two contexts spend over half their time copying
// stacks). This dispatcher keeps a pool of goroutines instead: a mailbox
// that becomes busy is run by an idle pooled goroutine, whose stack has
// already grown; a goroutine idle for longer than idle exits. It is safe
// for any actor.
//
// Nothing uses it unless asked: the actors package's contexts run on
// NewGoroutineDispatcher (protoactor's scheduling, with the stack grown at
// the goroutine's start), and take this one only when it is passed among
// their props options (actor.WithDispatcher), as the plain actors of the
// benchmarks in bench/ do. Give it to owners that post to each other at a
// high rate:
//
//	props := actor.PropsFromProducer(newMyActor,
//		actor.WithReceiverMiddleware(ports.ReceiverMiddleware),
//		actor.WithDispatcher(ports.NewDispatcher(300, 0)))
//
// throughput is how many messages a mailbox processes before it yields
// (protoactor's default is 300); idle <= 0 means 50 ms.
func NewDispatcher(throughput int, idle time.Duration) actor.Dispatcher {
	if throughput <= 0 {
		throughput = 300
	}
	if idle <= 0 {
		idle = 50 * time.Millisecond
	}
	return &poolDispatcher{throughput: throughput, idle: idle}
}

type poolDispatcher struct {
	throughput int
	idle       time.Duration

	mu      sync.Mutex
	waiting []*poolWorker // idle workers, most recently used last
}

type poolWorker struct {
	work chan func()
}

// Throughput implements actor.Dispatcher.
func (d *poolDispatcher) Throughput() int { return d.throughput }

// Schedule implements actor.Dispatcher.
func (d *poolDispatcher) Schedule(fn func()) {
	d.mu.Lock()
	if n := len(d.waiting); n > 0 {
		w := d.waiting[n-1]
		d.waiting[n-1] = nil
		d.waiting = d.waiting[:n-1]
		d.mu.Unlock()
		w.work <- fn
		return
	}
	d.mu.Unlock()
	w := &poolWorker{work: make(chan func(), 1)}
	go d.loop(w, fn)
}

func (d *poolDispatcher) loop(w *poolWorker, fn func()) {
	timer := time.NewTimer(d.idle)
	defer timer.Stop()
	for {
		fn()
		d.mu.Lock()
		d.waiting = append(d.waiting, w)
		d.mu.Unlock()
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(d.idle)
		select {
		case fn = <-w.work:
		case <-timer.C:
			// Leave, unless a Schedule picked this worker meanwhile.
			d.mu.Lock()
			for i, x := range d.waiting {
				if x == w {
					d.waiting = append(d.waiting[:i], d.waiting[i+1:]...)
					d.mu.Unlock()
					return
				}
			}
			d.mu.Unlock()
			fn = <-w.work
		}
	}
}
