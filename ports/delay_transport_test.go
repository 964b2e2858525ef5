package ports

import (
	"container/heap"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// withTransport replaces the transport between port actors (tests only).
func withTransport(tr transport) Option {
	return func(c *config) error {
		c.transport = tr
		return nil
	}
}

// delayTransport delivers every protocol message after a random delay,
// keeping only FIFO order per lane: from one owner (an actor together with
// its port actors) to one receiver. Messages from different owners, or
// from one owner to different receivers, overtake each other freely.
//
// A lane is an owner with its port actors, not a single actor, because
// that is what protoactor gives and the protocol relies on it when an
// owner dies: in-process every send is enqueued at once and a parent's
// Terminated is sent only after its children have stopped, and over
// remote one stream per pair of nodes carries everything in order, the
// Terminated last. So a holder that learns of an owner's death has
// already received what the owner's port actors sent before it.
type delayTransport struct {
	sys      *actor.ActorSystem
	maxDelay time.Duration

	mu      sync.Mutex
	rnd     *rand.Rand
	lastDue map[string]time.Time
	q       delayQueue
	seq     uint64
	pending int
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

func newDelayTransport(seed uint64, maxDelay time.Duration) *delayTransport {
	d := &delayTransport{
		maxDelay: maxDelay,
		rnd:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		lastDue:  map[string]time.Time{},
		wake:     make(chan struct{}, 1),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	go d.run()
	return d
}

func (d *delayTransport) send(ctx actor.SenderContext, to *actor.PID, msg any) {
	from := "root"
	if self := ctx.Self(); self != nil {
		from = self.GetId()
	}
	d.mu.Lock()
	delay := time.Duration(0)
	if d.rnd.IntN(4) != 0 { // a quarter of the messages go at once
		delay = time.Duration(d.rnd.Int64N(int64(d.maxDelay) + 1))
	}
	d.push(lane(from)+"|"+to.GetId(), delay, to, msg)
}

// lane names the owner of an actor: a port actor's parent, else itself.
func lane(id string) string {
	if i := strings.LastIndex(id, "/port$"); i >= 0 {
		return id[:i]
	}
	return id
}

// behind queues msg on the lane from -> self, so it arrives after what from
// (and, for an owner, its port actors) sent before.
func (d *delayTransport) behind(ctx actor.SenderContext, from *actor.PID, msg any) {
	d.mu.Lock()
	d.push(lane(from.GetId())+"|"+ctx.Self().GetId(), 0, ctx.Self(), msg)
}

// push queues a message; it is called with d.mu held and releases it.
func (d *delayTransport) push(key string, delay time.Duration, to *actor.PID, msg any) {
	now := time.Now()
	due := now.Add(delay)
	if last := d.lastDue[key]; due.Before(last) {
		due = last
	}
	d.lastDue[key] = due
	d.seq++
	heap.Push(&d.q, &delayed{due: due, seq: d.seq, to: to, msg: msg})
	d.pending++
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *delayTransport) run() {
	defer close(d.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		d.mu.Lock()
		var ready []*delayed
		now := time.Now()
		for d.q.Len() > 0 && !d.q[0].due.After(now) {
			ready = append(ready, heap.Pop(&d.q).(*delayed))
		}
		var next time.Duration = time.Hour
		if d.q.Len() > 0 {
			next = d.q[0].due.Sub(now)
		}
		d.mu.Unlock()
		for _, m := range ready {
			d.sys.Root.Send(m.to, m.msg)
			d.mu.Lock()
			d.pending--
			d.mu.Unlock()
		}
		if len(ready) > 0 {
			continue
		}
		timer.Reset(next)
		select {
		case <-d.stop:
			return
		case <-d.wake:
		case <-timer.C:
		}
	}
}

// idle reports whether no message is waiting or being handed over.
func (d *delayTransport) idle() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pending == 0
}

func (d *delayTransport) close() {
	close(d.stop)
	<-d.done
}

type delayed struct {
	due time.Time
	seq uint64
	to  *actor.PID
	msg any
}

type delayQueue []*delayed

func (q delayQueue) Len() int { return len(q) }
func (q delayQueue) Less(i, j int) bool {
	if q[i].due.Equal(q[j].due) {
		return q[i].seq < q[j].seq
	}
	return q[i].due.Before(q[j].due)
}
func (q delayQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *delayQueue) Push(x any)   { *q = append(*q, x.(*delayed)) }
func (q *delayQueue) Pop() any {
	old := *q
	n := len(old)
	x := old[n-1]
	*q = old[:n-1]
	return x
}
