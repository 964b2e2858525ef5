package ports

import (
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Drops are reported in aggregate: one MessageDropped per port and reason
// per interval (WithDropReports), never one per message. The first drop of
// a port is published at once (Count 1); the drops that follow within the
// interval are added up and published when it ends, which starts the next
// interval; an interval without drops ends the episode. When the port
// actor stops, what is pending is published at once with Final set.
// Stats().Dropped counts every message as it is dropped, whatever is
// published.

// dropKey names one aggregate: a port and a reason.
type dropKey struct {
	port   string // the port actor's PID id
	reason string
}

// dropAgg is the aggregate of one port and reason: pending holds the drops
// not yet published (Count 0 if none), timer ends the current interval.
type dropAgg struct {
	pending MessageDropped
	timer   *time.Timer
}

// drops holds the aggregates of an extension.
type drops struct {
	mu   sync.Mutex
	aggs map[dropKey]*dropAgg
}

// reportDrop reports n messages of bytes bytes in all (0 if unknown)
// dropped at port for reason. It does not count them in Stats: the callers
// do, as they drop.
func (e *Extension) reportDrop(port *actor.PID, reason string, n int, bytes int64) {
	if !e.cfg.diagnostics || n <= 0 || port == nil {
		return
	}
	now := time.Now()
	k := dropKey{port: port.GetId(), reason: reason}
	d := &e.drops
	d.mu.Lock()
	if d.aggs == nil {
		d.aggs = map[dropKey]*dropAgg{}
	}
	if agg, ok := d.aggs[k]; ok {
		p := &agg.pending
		if p.Count == 0 {
			p.First = now
		}
		p.Count += n
		p.Bytes += bytes
		p.Last = now
		d.mu.Unlock()
		return
	}
	agg := &dropAgg{pending: MessageDropped{Port: port, Reason: reason}}
	d.aggs[k] = agg
	agg.timer = time.AfterFunc(e.cfg.dropInterval, func() { e.endDropInterval(k, agg) })
	d.mu.Unlock()
	e.publish(&MessageDropped{Port: port, Reason: reason, Count: n, Bytes: bytes, First: now, Last: now})
}

// endDropInterval publishes what was dropped in the interval that ends,
// and ends the episode if nothing was.
func (e *Extension) endDropInterval(k dropKey, agg *dropAgg) {
	d := &e.drops
	d.mu.Lock()
	if d.aggs[k] != agg {
		d.mu.Unlock()
		return // flushed by portGone
	}
	ev := agg.pending
	if ev.Count == 0 {
		delete(d.aggs, k)
		d.mu.Unlock()
		return
	}
	agg.pending = MessageDropped{Port: ev.Port, Reason: ev.Reason}
	agg.timer.Reset(e.cfg.dropInterval)
	d.mu.Unlock()
	e.publish(&ev)
}

// flushDrops publishes, with Final set, the drops of port not yet
// published, and forgets the port's aggregates.
func (e *Extension) flushDrops(port *actor.PID) {
	id := port.GetId()
	var out []*MessageDropped
	d := &e.drops
	d.mu.Lock()
	for k, agg := range d.aggs {
		if k.port != id {
			continue
		}
		agg.timer.Stop()
		delete(d.aggs, k)
		if agg.pending.Count > 0 {
			ev := agg.pending
			ev.Final = true
			out = append(out, &ev)
		}
	}
	d.mu.Unlock()
	for _, ev := range out {
		e.publish(ev)
	}
}

// stopDrops stops the interval timers (the extension is closing).
func (e *Extension) stopDrops() {
	d := &e.drops
	d.mu.Lock()
	for k, agg := range d.aggs {
		agg.timer.Stop()
		delete(d.aggs, k)
	}
	d.mu.Unlock()
}

// portGone is called as a port actor stops: its pending drop report goes
// out (Final), and its other per-port diagnostics are forgotten.
func (e *Extension) portGone(port *actor.PID, c *portCore) {
	e.flushDrops(port)
	e.stray.ports.Delete(c)
	e.forgetUnstarted(c)
}
