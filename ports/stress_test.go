package ports

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/require"
)

// The randomized stress test drives many contexts that create channels,
// post (with up to three ports in a message, including the doomed case of a
// port's own other end), transfer ports through chains of contexts, start,
// close, and stop their owners gracefully or hard, over a transport that
// delays every protocol message at random while keeping only per-pair FIFO
// order. After quiescence it checks the invariants of the transfer protocol
// against a model of what was posted.
//
//	go test ./ports -run TestStress                          # CI: 200 seeds x 1000 ops
//	go test ./ports -run TestStress -stress.seed=1234 -v      # replay one seed
//	go test ./ports -run TestStress -stress.soak=1000000 -timeout=2h  # long soak
var (
	stressSeeds = flag.Int("stress.seeds", 200, "number of seeds the stress test runs")
	stressOps   = flag.Int("stress.ops", 1000, "operations per seed")
	stressSeed  = flag.Uint64("stress.seed", 0, "run only this seed")
	stressSoak  = flag.Int("stress.soak", 0, "run seeds until this many operations have been done in total")
	stressDelay = flag.Duration("stress.delay", 300*time.Microsecond, "maximum random delay of a protocol message")
	stressTrace = flag.Bool("stress.trace", false, "print every message port actors handle (with -stress.seed)")
)

func TestStress(t *testing.T) {
	switch {
	case *stressSeed != 0:
		runStressSeed(t, *stressSeed, *stressOps)
	case *stressSoak > 0:
		total := 0
		for seed := uint64(1); total < *stressSoak; seed++ {
			if !t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { runStressSeed(t, seed, *stressOps) }) {
				return
			}
			total += *stressOps
		}
		t.Logf("soak: %d operations, no violation", total)
	default:
		seeds := *stressSeeds
		if testing.Short() {
			seeds = 20
		}
		for seed := uint64(1); seed <= uint64(seeds); seed++ {
			if !t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { runStressSeed(t, seed, *stressOps) }) {
				return
			}
		}
	}
}

// Seeds that are multiples of 4 run over protoactor's own delivery, with
// the fast path (fast.go) on; the others over the delaying transport,
// which turns the fast path off.
func overDelays(seed uint64) bool { return seed%4 != 0 }

func TestStressFastPathIsExercised(t *testing.T) {
	// A guard for the split above: the direct seeds must really use the
	// fast path, or the stress test would not cover it.
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, 1))
		ch.Port1.core.mu.Lock()
		fast := ch.Port1.core.fastPeer == ch.Port2.core
		ch.Port1.core.mu.Unlock()
		require.True(t, fast, "a fresh local channel posts on the fast path")
	})
	require.Equal(t, 1, a.nextMessage().Data)
}

type endKey struct {
	Ch   uint32
	Side uint8
}

func (e endKey) peer() endKey   { return endKey{e.Ch, 1 - e.Side} }
func (e endKey) String() string { return fmt.Sprintf("%d/%d", e.Ch, e.Side) }

// stressMsg is the data of every message in the stress test.
type stressMsg struct {
	From  endKey // the sending end, for messages on a channel
	Seq   int    // its number in the model, for messages on a channel
	Ends  []endKey
	Hops  []int // contexts the carried ports still go through
	Start bool  // start the carried ports on arrival
}

type delivery struct {
	clock uint64
	seq   int
}

type closeRec struct {
	clock  uint64
	reason CloseReason
	ctx    int
	port   string
}

// stressRun is the shared record of one seed.
type stressRun struct {
	t     testing.TB
	sys   *actor.ActorSystem
	tr    *delayTransport
	clock atomic.Uint64

	mu         sync.Mutex
	deliveries map[endKey][]delivery // by sending end
	closes     map[endKey][]closeRec
	errs       []string
	ctxs       []*stressCtx
}

func (r *stressRun) fail(format string, args ...any) {
	r.mu.Lock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// stressCtx is one context of the test: it records what it receives and
// keeps the ports it owns.
type stressCtx struct {
	run   *stressRun
	id    int
	pid   *actor.PID
	alive bool // as far as the driver knows

	// touched only on the context's goroutine
	owned  map[endKey]*MessagePort
	keyOf  map[*MessagePort]endKey
	closed map[endKey]bool // closed by its owner here
}

func (r *stressRun) spawnCtx() *stressCtx {
	c := &stressCtx{run: r, id: r.count(), alive: true,
		owned: map[endKey]*MessagePort{}, keyOf: map[*MessagePort]endKey{}, closed: map[endKey]bool{}}
	props := actor.PropsFromFunc(c.receive, actor.WithReceiverMiddleware(ReceiverMiddleware))
	c.pid = r.sys.Root.Spawn(props)
	r.mu.Lock()
	r.ctxs = append(r.ctxs, c)
	r.mu.Unlock()
	return c
}

func (r *stressRun) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ctxs)
}

// ctxAt returns context i, or nil (contexts read it from their goroutines
// while the driver adds new ones).
func (r *stressRun) ctxAt(i int) *stressCtx {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i < 0 || i >= len(r.ctxs) {
		return nil
	}
	return r.ctxs[i]
}

func (c *stressCtx) receive(ctx actor.Context) {
	r := c.run
	switch m := ctx.Message().(type) {
	case *runOn:
		m.f(ctx)
		close(m.done)
	case *MessageEvent:
		d, ok := m.Data.(*stressMsg)
		if !ok {
			r.fail("ctx %d: unexpected data %T", c.id, m.Data)
			return
		}
		if m.Target != nil {
			to, known := c.keyOf[m.Target]
			if !known || to != d.From.peer() {
				r.fail("ctx %d: message from %v arrived on %v (known %v)", c.id, d.From, to, known)
			}
			if c.closed[to] {
				r.fail("ctx %d: message dispatched on %v after it was closed", c.id, to)
			}
			clock := r.clock.Add(1)
			r.mu.Lock()
			r.deliveries[d.From] = append(r.deliveries[d.From], delivery{clock: clock, seq: d.Seq})
			r.mu.Unlock()
		}
		if len(m.Ports) != len(d.Ends) {
			r.fail("ctx %d: %d ports for %d ends", c.id, len(m.Ports), len(d.Ends))
			return
		}
		if len(d.Hops) > 0 && r.ctxAt(d.Hops[0]) != nil {
			next := r.ctxAt(d.Hops[0])
			ts := make([]messages.Transferable, len(m.Ports))
			for i, p := range m.Ports {
				ts[i] = p
			}
			if err := PostTo(ctx, next.pid, &stressMsg{Ends: d.Ends, Hops: d.Hops[1:], Start: d.Start}, ts...); err != nil {
				r.fail("ctx %d: forwarding ports: %v", c.id, err)
			}
			return
		}
		for i, p := range m.Ports {
			k := d.Ends[i]
			if old, dup := c.owned[k]; dup && !old.Detached() {
				r.fail("ctx %d: end %v adopted twice", c.id, k)
			}
			c.owned[k] = p
			c.keyOf[p] = k
			if d.Start {
				if err := p.Start(ctx); err != nil {
					r.fail("ctx %d: start: %v", c.id, err)
				}
			}
		}
	case *CloseEvent:
		k, known := c.keyOf[m.Target]
		if !known {
			r.fail("ctx %d: close event for an unknown port", c.id)
			return
		}
		if c.closed[k] {
			r.fail("ctx %d: close event on %v, which its owner closed", c.id, k)
		}
		clock := r.clock.Add(1)
		r.mu.Lock()
		r.closes[k] = append(r.closes[k], closeRec{clock: clock, reason: m.Reason, ctx: c.id, port: m.Target.PID().GetId()})
		r.mu.Unlock()
	case *MessageErrorEvent:
		r.fail("ctx %d: message error: %v", c.id, m.Err)
	}
}

// do runs f on the context's goroutine and waits; false if it is gone.
func (c *stressCtx) do(f func(ctx actor.Context)) bool {
	done := make(chan struct{})
	c.run.sys.Root.Send(c.pid, &runOn{f: f, done: done})
	select {
	case <-done:
		return true
	case <-time.After(200 * time.Millisecond):
		if _, alive := c.run.sys.ProcessRegistry.Get(c.pid); alive {
			// Slow, not gone: wait properly.
			select {
			case <-done:
				return true
			case <-time.After(waitFor):
				c.run.fail("ctx %d: does not answer", c.id)
			}
		}
		return false
	}
}

// openEnds returns the ends the context owns with an open handle.
func (c *stressCtx) openEnds() []endKey {
	var out []endKey
	c.do(func(ctx actor.Context) {
		for k, p := range c.owned {
			if !p.Detached() {
				out = append(out, k)
			}
		}
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Ch != out[j].Ch {
			return out[i].Ch < out[j].Ch
		}
		return out[i].Side < out[j].Side
	})
	return out
}

type stressDriver struct {
	run    *stressRun
	rnd    *rand.Rand
	nextCh uint32
	owner  map[endKey]int // model: which context owns an end (refreshed at syncs)
	posted map[endKey]int // model: messages posted by each end
	hard   int            // hard stops so far: a route through a killed context may be lost
	log    []string
	chans  map[uint64]uint32 // the ports package's channel ids -> the test's
	frozen map[endKey]bool   // ends stuck in transit inside each other's queues
}

func runStressSeed(t *testing.T, seed uint64, ops int) {
	if *stressTrace {
		type entry struct {
			self, peer string
			role       role
			msg        any
		}
		var mu sync.Mutex
		var log []entry
		traceHook = func(self *actor.PID, a *portActor, msg any) {
			e := entry{self: self.GetId(), peer: refID(a.peer), role: a.role, msg: msg}
			mu.Lock()
			log = append(log, e)
			mu.Unlock()
		}
		defer func() {
			traceHook = nil
			if t.Failed() {
				for _, e := range log {
					fmt.Printf("TRACE %s [%s peer=%s] %T %v\n", e.self, e.role, e.peer, e.msg, e.msg)
				}
			}
		}()
	}
	tr := newDelayTransport(seed, *stressDelay)
	defer tr.close()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	tr.sys = sys
	var opts []Option
	if overDelays(seed) {
		opts = append(opts, withTransport(tr))
	}
	_, err := Register(sys, opts...)
	require.NoError(t, err)
	defer Unregister(sys)
	run := &stressRun{t: t, sys: sys, tr: tr, deliveries: map[endKey][]delivery{}, closes: map[endKey][]closeRec{}}
	sub := sys.EventStream.Subscribe(func(evt any) {
		if r, ok := evt.(*ProtocolRejected); ok {
			run.fail("protocol message rejected: %+v", *r)
		}
	})
	defer sys.EventStream.Unsubscribe(sub)
	d := &stressDriver{run: run, rnd: rand.New(rand.NewPCG(seed, 7)), owner: map[endKey]int{}, posted: map[endKey]int{},
		chans: map[uint64]uint32{}, frozen: map[endKey]bool{}}
	for i := 0; i < 5; i++ {
		run.spawnCtx()
	}
	defer func() {
		for _, c := range run.ctxs {
			_ = sys.Root.StopFuture(c.pid).Wait()
		}
	}()
	for i := 0; i < ops; i++ {
		d.step()
	}
	d.settle()
	d.check()
	if len(run.errs) > 0 {
		tail := d.log
		if len(tail) > 400 {
			tail = tail[len(tail)-400:]
		}
		t.Fatalf("seed %d: %d violations:\n  %s\nlast operations:\n  %s", seed, len(run.errs),
			strings.Join(first(run.errs, 200), "\n  "), strings.Join(tail, "\n  "))
	}
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (d *stressDriver) logf(format string, args ...any) {
	d.log = append(d.log, fmt.Sprintf(format, args...))
}

func (d *stressDriver) liveCtxs() []*stressCtx {
	var out []*stressCtx
	for _, c := range d.run.ctxs {
		if c.alive {
			out = append(out, c)
		}
	}
	return out
}

// ownedBy returns the model's ends of context c, in a stable order.
func (d *stressDriver) ownedBy(c int) []endKey {
	var out []endKey
	for k, o := range d.owner {
		if o == c {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Ch != out[j].Ch {
			return out[i].Ch < out[j].Ch
		}
		return out[i].Side < out[j].Side
	})
	return out
}

func (d *stressDriver) pickCtx() *stressCtx {
	live := d.liveCtxs()
	return live[d.rnd.IntN(len(live))]
}

// pickEnd picks a context and one of the ends the model thinks it owns.
func (d *stressDriver) pickEnd() (*stressCtx, endKey, bool) {
	for try := 0; try < 4; try++ {
		c := d.pickCtx()
		ends := d.ownedBy(c.id)
		if len(ends) > 0 {
			return c, ends[d.rnd.IntN(len(ends))], true
		}
	}
	return nil, endKey{}, false
}

func (d *stressDriver) step() {
	switch n := d.rnd.IntN(100); {
	case n < 10:
		d.create()
	case n < 50:
		d.post()
	case n < 65:
		d.transfer()
	case n < 72:
		d.start()
	case n < 77:
		d.closeEnd()
	case n < 79:
		d.crossing()
	case n < 80:
		d.stopCtx(d.rnd.IntN(2) == 0)
	default:
		if n < 90 {
			d.sync()
		} else {
			d.post()
		}
	}
}

func (d *stressDriver) create() {
	if len(d.owner) > 60 {
		return
	}
	c := d.pickCtx()
	d.nextCh++
	ch := d.nextCh
	ok := c.do(func(ctx actor.Context) {
		mc, err := NewMessageChannel(ctx)
		if err != nil {
			d.run.fail("create in ctx %d: %v", c.id, err)
			return
		}
		d.chans[mc.Port1.core.channel] = ch
		for side, p := range []*MessagePort{mc.Port1, mc.Port2} {
			k := endKey{ch, uint8(side)}
			c.owned[k], c.keyOf[p] = p, k
			if d.rnd.IntN(2) == 0 {
				_ = p.Start(ctx)
			}
		}
	})
	if ok {
		d.owner[endKey{ch, 0}], d.owner[endKey{ch, 1}] = c.id, c.id
		d.logf("create %d in ctx %d", ch, c.id)
	}
}

// carried picks up to n other ends of context c to send along.
func (d *stressDriver) carried(c *stressCtx, not endKey, n int) []endKey {
	var out []endKey
	for _, k := range d.ownedBy(c.id) {
		if k != not && len(out) < n && d.rnd.IntN(3) == 0 {
			out = append(out, k)
		}
	}
	return out
}

func (d *stressDriver) post() {
	c, e, ok := d.pickEnd()
	if !ok {
		return
	}
	ends := d.carried(c, e, d.rnd.IntN(4))
	selfInList := d.rnd.IntN(50) == 0
	doomed := false
	for _, k := range ends {
		if k == e.peer() {
			doomed = true
		}
	}
	var posted, shipped bool
	c.do(func(ctx actor.Context) {
		p := c.owned[e]
		if p == nil || p.Detached() {
			return
		}
		var ts []messages.Transferable
		var sent []endKey
		for _, k := range ends {
			if q := c.owned[k]; q != nil && !q.Detached() {
				ts = append(ts, q)
				sent = append(sent, k)
			}
		}
		if selfInList {
			err := p.PostMessage(ctx, &stressMsg{From: e}, append(ts, p)...)
			if !errors.Is(err, messages.ErrDataClone) {
				d.run.fail("posting a port through itself: want DataCloneError, got %v", err)
			}
			for _, q := range ts {
				if q.(*MessagePort).Detached() {
					d.run.fail("a failed post shipped a port")
				}
			}
			return
		}
		msg := &stressMsg{From: e, Seq: d.posted[e] + 1, Ends: sent, Start: d.rnd.IntN(2) == 0}
		if err := p.PostMessage(ctx, msg, ts...); err != nil {
			d.run.fail("post on %v: %v", e, err)
			return
		}
		posted = true
		shipped = len(sent) > 0
		for _, k := range sent {
			delete(c.owned, k)
		}
		ends = sent
	})
	if !posted {
		return
	}
	doomed = false
	for _, k := range ends {
		delete(d.owner, k)
		if k == e.peer() {
			doomed = true
		}
	}
	if !doomed {
		d.posted[e]++
	}
	d.logf("post on %v seq %d carrying %v doomed=%v shipped=%v", e, d.posted[e], ends, doomed, shipped)
}

func (d *stressDriver) transfer() {
	c, e, ok := d.pickEnd()
	if !ok {
		return
	}
	ends := append([]endKey{e}, d.carried(c, e, 1)...)
	var hops []int
	for n := d.rnd.IntN(3); n > 0; n-- {
		hops = append(hops, d.pickCtx().id)
	}
	target := d.pickCtx()
	start := d.rnd.IntN(2) == 0
	var sent []endKey
	c.do(func(ctx actor.Context) {
		var ts []messages.Transferable
		for _, k := range ends {
			if q := c.owned[k]; q != nil && !q.Detached() {
				ts = append(ts, q)
				sent = append(sent, k)
			}
		}
		if len(ts) == 0 {
			return
		}
		if err := PostTo(ctx, target.pid, &stressMsg{Ends: sent, Hops: hops, Start: start}, ts...); err != nil {
			d.run.fail("transfer of %v: %v", sent, err)
			sent = nil
			return
		}
		for _, k := range sent {
			delete(c.owned, k)
		}
	})
	for _, k := range sent {
		delete(d.owner, k)
	}
	d.logf("transfer %v from ctx %d to ctx %d via %v", sent, c.id, target.id, hops)
}

// crossing moves both ends of one channel at once, from their two owners.
func (d *stressDriver) crossing() {
	c, e, ok := d.pickEnd()
	if !ok {
		return
	}
	o, has := d.owner[e.peer()]
	if !has {
		return
	}
	other := d.run.ctxs[o]
	for _, pair := range []struct {
		c *stressCtx
		k endKey
	}{{c, e}, {other, e.peer()}} {
		target := d.pickCtx()
		var sent bool
		pair.c.do(func(ctx actor.Context) {
			q := pair.c.owned[pair.k]
			if q == nil || q.Detached() {
				return
			}
			if err := PostTo(ctx, target.pid, &stressMsg{Ends: []endKey{pair.k}, Start: true}, q); err != nil {
				d.run.fail("crossing transfer of %v: %v", pair.k, err)
				return
			}
			delete(pair.c.owned, pair.k)
			sent = true
		})
		if sent {
			delete(d.owner, pair.k)
		}
	}
	d.logf("crossing transfer of channel %d", e.Ch)
}

func (d *stressDriver) start() {
	c, e, ok := d.pickEnd()
	if !ok {
		return
	}
	c.do(func(ctx actor.Context) {
		if p := c.owned[e]; p != nil {
			if err := p.Start(ctx); err != nil {
				d.run.fail("start %v: %v", e, err)
			}
		}
	})
	d.logf("start %v", e)
}

func (d *stressDriver) closeEnd() {
	c, e, ok := d.pickEnd()
	if !ok {
		return
	}
	c.do(func(ctx actor.Context) {
		if p := c.owned[e]; p != nil && !p.Detached() {
			if err := p.Close(ctx); err != nil {
				d.run.fail("close %v: %v", e, err)
			}
			c.closed[e] = true
		}
	})
	delete(d.owner, e)
	d.logf("close %v", e)
}

func (d *stressDriver) stopCtx(graceful bool) {
	if len(d.liveCtxs()) < 3 {
		return
	}
	c := d.pickCtx()
	c.alive = false
	if graceful {
		d.run.sys.Root.Poison(c.pid)
	} else {
		d.hard++
		d.run.sys.Root.Stop(c.pid)
	}
	for k, o := range d.owner {
		if o == c.id {
			delete(d.owner, k)
		}
	}
	n := d.run.spawnCtx()
	d.logf("stop ctx %d (graceful=%v), new ctx %d", c.id, graceful, n.id)
}

// sync refreshes the model's view of who owns which end.
func (d *stressDriver) sync() {
	d.owner = map[endKey]int{}
	for _, c := range d.liveCtxs() {
		for _, k := range c.openEnds() {
			if o, dup := d.owner[k]; dup {
				d.run.fail("end %v is open in ctx %d and ctx %d", k, o, c.id)
			}
			d.owner[k] = c.id
		}
	}
	d.logf("sync: %d ends owned", len(d.owner))
}

// settle starts every port, and waits until nothing moves any more: no
// message in the transport, no proxy, nothing queued, the same ends owned
// twice in a row, and every port actor either behind an open handle or
// frozen. A port is frozen when it is in transit inside the queue of
// another port in transit whose own carrier is, in turn, inside such a
// queue: nobody can ever receive them (browsers garbage-collect such
// cycles; see the package doc).
func (d *stressDriver) settle() {
	ext := Get(d.run.sys)
	deadline := time.Now().Add(20 * time.Second)
	prev := ""
	for {
		var b strings.Builder
		for _, c := range d.liveCtxs() {
			c.do(func(ctx actor.Context) {
				for _, p := range c.owned {
					_ = p.Start(ctx)
				}
			})
			fmt.Fprintf(&b, "%d:%v;", c.id, c.openEnds())
		}
		s := ext.Stats()
		state := b.String()
		if d.run.tr.idle() && s.QueuedMessages == 0 && state == prev {
			frozen, waiting, proxies := d.frozenPorts()
			if s.Proxies == int64(proxies) && s.PortActors == s.OpenPorts+int64(waiting) {
				for _, k := range frozen {
					d.frozen[k] = true
				}
				return
			}
		}
		prev = state
		if time.Now().After(deadline) {
			d.run.fail("no quiescence: stats %+v, transport idle %v", s, d.run.tr.idle())
			d.dumpPorts()
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// snapshots returns the state of every live port actor.
func (d *stressDriver) snapshots() map[string]*portSnapshot {
	var pids []*actor.PID
	Get(d.run.sys).rangeCores(func(c *portCore) bool {
		pids = append(pids, c.pid)
		return true
	})
	out := map[string]*portSnapshot{}
	for _, pid := range pids {
		res, err := d.run.sys.Root.RequestFuture(pid, &inspect{}, time.Second).Result()
		if err != nil {
			out[pid.GetId()] = &portSnapshot{role: roleDone, text: "no answer: " + err.Error()}
			continue
		}
		out[pid.GetId()] = res.(*portSnapshot)
	}
	return out
}

// frozenPorts finds the shipping port actors whose carrier is held by
// another such actor, transitively: the garbage cycles. It returns their
// ends, how many port actors (of any role but open) belong to channels
// with a frozen end — they wait for it forever: the frozen holders, the
// proxies whose bypass requests the frozen holders keep — and how many of
// those are proxies.
func (d *stressDriver) frozenPorts() (ends []endKey, waiting, proxies int) {
	all := d.snapshots()
	set := map[string]*portSnapshot{}
	for id, s := range all {
		if s.role == roleShipping {
			set[id] = s
		}
	}
	for changed := true; changed; {
		changed = false
		for id, s := range set {
			held := false
			for oid, o := range set {
				if oid == id {
					continue
				}
				for _, n := range o.carried {
					if n == s.shipNonce {
						held = true
					}
				}
			}
			if !held {
				delete(set, id)
				changed = true
			}
		}
	}
	channels := map[uint64]bool{}
	for _, s := range set {
		ends = append(ends, endKey{d.chans[s.channel], uint8(s.side)})
		channels[s.channel] = true
	}
	for _, s := range all {
		if s.role != roleOpen && channels[s.channel] {
			waiting++
			if s.role == roleProxy {
				proxies++
			}
		}
	}
	return ends, waiting, proxies
}

// dumpPorts lists the port actors that are alive, for a failure report.
func (d *stressDriver) dumpPorts() {
	for id, s := range d.snapshots() {
		d.run.fail("port actor %s (%v): %s ship=%d carried=%v", id, endKey{d.chans[s.channel], uint8(s.side)}, s.text, s.shipNonce%10000, mod(s.carried))
	}
}

// repeatAllowed: an end gets one close event, except that a port whose
// holder was killed in transit arrives closed (lost) even if an earlier
// owner had seen the close already; each handle still gets at most one.
func (d *stressDriver) repeatAllowed(closes []closeRec) bool {
	ports := map[string]bool{}
	for i, c := range closes {
		if ports[c.port] || (i > 0 && (c.reason != CloseLost || d.hard == 0)) {
			return false
		}
		ports[c.port] = true
	}
	return true
}

// check verifies the invariants after quiescence.
func (d *stressDriver) check() {
	r := d.run
	ext := Get(r.sys)
	if s := ext.Stats(); s.ProtocolErrors != 0 {
		r.fail("%d protocol errors", s.ProtocolErrors)
	}
	// Who owns what at the end, as the contexts see it.
	alive := map[endKey]bool{}
	alivePID := map[endKey]*actor.PID{}
	closedBy := map[endKey]bool{}
	for _, c := range r.ctxs {
		if !c.alive {
			continue
		}
		c.do(func(ctx actor.Context) {
			for k, p := range c.owned {
				if !p.Detached() {
					alive[k] = true
					alivePID[k] = p.PID()
				}
			}
			for k := range c.closed {
				closedBy[k] = true
			}
		})
	}
	// Deliveries: per direction an in-order prefix, complete when the
	// receiver is alive and its channel was not lost.
	for ch := uint32(1); ch <= d.nextCh; ch++ {
		for side := uint8(0); side < 2; side++ {
			from := endKey{ch, side}
			to := from.peer()
			ds := append([]delivery(nil), r.deliveries[from]...)
			sort.Slice(ds, func(i, j int) bool { return ds[i].clock < ds[j].clock })
			for i, dl := range ds {
				if dl.seq != i+1 {
					r.fail("channel %d, %v -> %v: delivery %d has number %d (want %d)", ch, from, to, i, dl.seq, i+1)
					break
				}
			}
			closes := r.closes[to]
			if len(closes) > 1 && !d.repeatAllowed(closes) {
				r.fail("end %v got %d close events: %+v", to, len(closes), closes)
			}
			if !alive[to] || d.frozen[from] {
				// A frozen end never sends, closes or is lost.
				continue
			}
			switch {
			case alive[from] && len(closes) > 0 && (closes[0].reason != CloseLost || d.hard == 0):
				// Only a hard stop somewhere on the route may break a
				// channel whose two ends are alive.
				r.fail("end %v got a close event (%v) although %v is alive: %+v", to, closes[0].reason, from, closes)
			case !alive[from] && len(closes) == 0:
				r.fail("end %v is alive but got no close event although %v is gone; its actor %s: %s", to, from, alivePID[to].GetId(), d.describePID(alivePID[to]))
			}
			lost := false
			for _, c := range closes {
				lost = lost || c.reason == CloseLost
			}
			if !lost && len(ds) != d.posted[from] {
				r.fail("channel %d, %v -> %v: %d of %d messages delivered (closes %v)", ch, from, to, len(ds), d.posted[from], closes)
			}
			if len(closes) == 1 && len(ds) > 0 && ds[len(ds)-1].clock > closes[0].clock {
				r.fail("end %v: a message was dispatched after its close event", to)
			}
		}
	}
	s := ext.Stats()
	if s.OpenPorts != int64(len(alive)) {
		r.fail("at quiescence: %d open handles, %d ends alive", s.OpenPorts, len(alive))
	}
	// Every message a port actor held back because its sender was not
	// yet a neighbour was released once the sender was announced.
	for id, snap := range d.snapshots() {
		if snap.strangers > 0 {
			r.fail("at quiescence: port actor %s still holds %d messages from senders it does not know: %s", id, snap.strangers, snap.text)
		}
	}
}

func mod(ns []uint64) []uint64 {
	out := make([]uint64, len(ns))
	for i, n := range ns {
		out[i] = n % 10000
	}
	return out
}

func (d *stressDriver) describePID(pid *actor.PID) string {
	res, err := d.run.sys.Root.RequestFuture(pid, &inspect{}, time.Second).Result()
	if err != nil {
		return err.Error()
	}
	return res.(*portSnapshot).text
}
