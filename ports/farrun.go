package ports

import (
	"encoding/binary"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Runs: posts on the fast path to the other end of a channel on another
// node, gathered per turn of the owner. The first such post on a port in a
// turn goes at once, as a wire.Msg, so a reply or a lone message waits for
// nothing. Each later one in the same turn joins a wire.Run for that port,
// which leaves when the turn ends (ReceiverMiddleware calls flushFar), when
// it holds runMaxBytes bytes, before the owner sends its port actor
// anything (portCore.tell: close, transfer, a slow-path post), or
// at most runDelay after it began if the turn is still going. (protoactor
// runs a ReenterAfter continuation past the middleware: the actors
// package ends the turn after it through contextmsg.EndTurn; elsewhere its
// runs wait for the timer or the next turn's end.) A burst then costs
// protoactor remote one envelope per run instead of one per message; the
// receiving mailbox takes the whole run into the queue at once (see
// acceptRun in farrun_accept.go).
//
// A run's messages are numbered like any others, and the receiving port
// actor sorts what arrives by number, so a run that leaves after something
// the port actor sent (its Closed, say) is still delivered in order, as a
// message overtaken on the wire would be.

// A run holds at most runMaxBytes bytes of records and error texts (4 more
// when its last message could not be encoded, and one error text more),
// unless one message alone is longer. An entry takes at least 4 bytes, so
// a run holds at most 513 messages; the receiver refuses longer runs
// (splitRun). The byte bound matters:
// protoactor remote puts up to 1,000 envelopes (EndpointWriterBatchSize)
// in one gRPC message, and gRPC refuses one over 4 MiB by default, losing
// the whole batch. Runs of at most 2 KiB keep such a batch near 2 MiB,
// and never make it longer than the same messages sent one by one unless
// they are shorter than 2 KiB each.
const (
	runMaxBytes = 2 << 10
	runDelay    = 250 * time.Microsecond
)

// farRuns is an owner's gathering state. The owner's goroutine adds to it;
// the timer's goroutine may send what waits, so both hold mu.
type farRuns struct {
	mu      sync.Mutex
	ports   []farPort // the ports that posted to another node this turn
	timer   *time.Timer
	armed   bool
	touched bool          // ports is not empty; read and written on the owner's goroutine only
	delay   time.Duration // runDelay unless a test sets another
}

// farPort is one port that posted to another node in the current turn,
// and its run, if one waits.
type farPort struct {
	core *portCore
	to   *actor.PID
	run  *wire.Run
	buf  []byte
	errs int // bytes of the run's error texts, counted against runMaxBytes
}

// postFar sends m (numbered, without ports) from c to the other end on
// another node, or adds it to c's run.
func (o *owner) postFar(ctx actor.SenderContext, c *portCore, far *wire.Ref, m *inMsg) {
	e := o.ext
	r := &o.far
	r.mu.Lock()
	p := r.find(c)
	if p == nil {
		// The first this turn: at once.
		r.ports = append(r.ports, farPort{core: c, to: far.GetPid()})
		r.touched = true
		r.mu.Unlock()
		e.tr.send(ctx, far.GetPid(), e.encodeMsg(far.GetKey(), c.key, m))
		m.record().Release()
		if c.leftFar(1) {
			c.wakeActor()
		}
		return
	}
	var wake bool
	if p.run != nil && (!p.to.Equal(far.GetPid()) || p.run.GetKey() != far.GetKey()) {
		// The other end moved on since the run began: what waits goes
		// where it was numbered for.
		wake = o.sendRun(ctx, p)
	}
	if p.run == nil {
		o.startRun(p, c, far, m.seq)
	}
	at, nerr := len(p.buf), len(p.run.Errors)
	p.buf = appendRunEntry(p.buf, p.run, m)
	m.record().Release() // the fast path carries no ports: the record is this message's alone
	if len(p.run.Errors) > nerr {
		p.errs += len(p.run.Errors[nerr].GetText())
	}
	if len(p.buf) > runMaxBytes && at > 0 && len(p.buf)-at > 4 {
		// This message would make the run too long: the run leaves
		// without it, and it begins the next. (A message that could
		// not be encoded has an empty entry and stays.)
		entry := p.buf[at:]
		p.buf = p.buf[:at]
		wake = o.sendRun(ctx, p) || wake
		o.startRun(p, c, far, m.seq)
		p.buf = append(p.buf, entry...)
	}
	p.run.Count++
	if len(p.buf)+p.errs >= runMaxBytes {
		wake = o.sendRun(ctx, p) || wake
	}
	r.mu.Unlock()
	if wake {
		c.wakeActor()
	}
}

// startRun begins p's run with the message numbered seq, to the other end
// far, and arms the timer if it is not armed; r.mu is held. The buffer has
// room for runMaxBytes and the entry that fills it, so that a run rarely
// grows it.
func (o *owner) startRun(p *farPort, c *portCore, far *wire.Ref, seq uint64) {
	r := &o.far
	p.to = far.GetPid()
	p.run = &wire.Run{Key: far.GetKey(), From: c.key, Seq: seq}
	p.buf = make([]byte, 0, runMaxBytes+runMaxBytes/4)
	if r.armed {
		return
	}
	r.armed = true
	d := r.delay
	if d == 0 {
		d = runDelay
	}
	if r.timer == nil {
		r.timer = time.AfterFunc(d, o.runTimeout)
	} else {
		r.timer.Reset(d)
	}
}

// find returns c's entry; r.mu is held.
func (r *farRuns) find(c *portCore) *farPort {
	for i := range r.ports {
		if r.ports[i].core == c {
			return &r.ports[i]
		}
	}
	return nil
}

// sendRun sends p's run, if one waits; the owner's far.mu is held. It
// reports whether p's port actor waits to be woken now that the run has
// left (see farwait.go): the caller wakes it once it has let go of far.mu.
func (o *owner) sendRun(ctx actor.SenderContext, p *farPort) (wake bool) {
	if p.run == nil {
		return false
	}
	w := p.run
	w.Records = p.buf
	p.run, p.buf, p.errs = nil, nil, 0
	o.ext.runsSent.Add(1)
	o.ext.tr.send(ctx, p.to, w)
	return p.core.leftFar(int32(w.GetCount()))
}

// tell sends msg from c's owner to c's port actor. The runs the owner has
// gathered leave first: the actor may send c's other end something of its
// own (a Closed, a transfer, a slow-path post), and the messages posted
// before it must not wait behind it in a run.
func (c *portCore) tell(ctx actor.SenderContext, msg any) {
	c.own.flushFar(ctx)
	ctx.Send(c.pid, msg)
}

// flushFar sends every run that waits and starts a new turn: the next
// post to another node on each port goes at once again. It runs on the
// owner's goroutine: at the end of each turn (ReceiverMiddleware, and
// contextmsg.EndTurn after a continuation) and before the owner sends a
// port actor anything (tell).
func (o *owner) flushFar(ctx actor.SenderContext) {
	r := &o.far
	if !r.touched {
		return
	}
	var woken []*portCore
	r.mu.Lock()
	for i := range r.ports {
		if o.sendRun(ctx, &r.ports[i]) {
			woken = append(woken, r.ports[i].core)
		}
		r.ports[i] = farPort{}
	}
	r.ports = r.ports[:0]
	r.touched = false
	r.mu.Unlock()
	wakeActors(woken)
}

// runTimeout sends the runs of a turn that has lasted runDelay since its
// first run began; the turn goes on, and later posts start new runs.
func (o *owner) runTimeout() {
	r := &o.far
	var woken []*portCore
	r.mu.Lock()
	r.armed = false
	for i := range r.ports {
		if o.sendRun(o.ext.system.Root, &r.ports[i]) {
			woken = append(woken, r.ports[i].core)
		}
	}
	r.mu.Unlock()
	wakeActors(woken)
}

// appendRunEntry appends m's record to buf as one entry of w: 4 bytes of
// length (little-endian) and the bytes. A message that cannot be encoded
// gets an empty entry and its reason in w.Errors; the receiver raises a
// messageerror in its place.
func appendRunEntry(buf []byte, w *wire.Run, m *inMsg) []byte {
	at := len(buf)
	buf, reason := appendData(append(buf, 0, 0, 0, 0), m)
	if reason != "" {
		w.Errors = append(w.Errors, &wire.RunError{Index: w.Count, Text: reason})
	}
	binary.LittleEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
	return buf
}
