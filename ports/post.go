package ports

import (
	"fmt"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/internal/flatrec"
	"github.com/entangle-go/entangle/internal/rawmsg"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// The post path, sending side. PostMessage and PostTo run post: it checks
// the transfer list, clones the data and ships the listed ports
// (transfer.go), then hands the message on in one of three ways:
//
//   - the fast path, in the steady state of a channel: tryFastPost numbers
//     the message in the sending core and appends it to the receiving
//     core's queue itself (acceptFast), or, if it carries no ports, sends
//     it straight to the receiving port on another node; fast.go says when
//     the port actors allow it;
//   - the slow path: a postReq to the sending port actor, which numbers it
//     and sends it along the route (sequence.go), where the receiving port
//     actor puts it in number order and appends it to the queue (arrive);
//   - PostTo: a localDirect (wire.Direct to another node) in the target
//     actor's own mailbox.
//
// The queue (queue.go) notifies the receiving owner, whose middleware
// dispatches the event (deliver.go).

// PostMessage posts a structured clone of data to the other end of the
// channel, transferring the objects in transfer: ArrayBuffers (detached
// here, their bytes move) and MessagePorts (they leave this actor and are
// adopted by whoever receives the message). Errors are synchronous and
// typed; a failed post detaches and transfers nothing:
//
//   - messages.ErrInvalidState: ctx is not this port's owner;
//   - messages.ErrDataClone: data cannot be cloned (the error says where),
//     or the transfer list is wrong: this port itself, a duplicate, a port
//     or buffer already transferred or closed, a port owned by another
//     actor, a value that is not transferable.
//
// Listing the other end of this same channel is not an error: as the
// standard says, the message is dropped and the channel is doomed (this
// end gets a CloseEvent). Posting on a port that was closed or transferred,
// or whose other end has closed, is a silent no-op (after the transfer);
// with WithPostErrors(true) a post on a port closed or transferred here,
// or one that dooms its channel, returns ErrPortClosed or ErrDetached
// (after the transfer all the same). A post dropped later, because the
// other end closed meanwhile, is not an error: MessageDropped reports it.
// Messages arrive in the order posted, exactly once, whatever happens to
// either end in between.
func (p *MessagePort) PostMessage(ctx actor.Context, data any, transfer ...messages.Transferable) error {
	if p == nil || p.core == nil {
		return newError(messages.ErrInvalidState, "PostMessage on a nil MessagePort")
	}
	if err := p.core.checkOwner(ctx); err != nil {
		return err
	}
	return post(ctx, p.core, nil, data, nil, transfer)
}

// PostTo posts a structured clone of data straight to another actor, with
// the objects in transfer (ArrayBuffers and MessagePorts owned by the
// caller). It is the first link between two actors: the receiver gets a
// *MessageEvent with no Target, and the ports in it are already its own.
// Errors are those of MessagePort.PostMessage; a failed post transfers
// nothing.
//
// The receiver should use ReceiverMiddleware. If it does not, it still gets
// a *MessageEvent with the data when nothing was transferred; if ports
// were transferred it gets a *MessageErrorEvent instead and the ports are
// closed (their peers get a CloseEvent): never leaked, never hung.
// Messages from one actor to another arrive in the order posted.
func PostTo(ctx actor.Context, to *actor.PID, data any, transfer ...messages.Transferable) error {
	return postTo(ctx, to, data, contextmsg.Options{}, transfer)
}

// postTo is PostTo with the fields of a context message (the actors
// package's window and worker messaging reaches it through
// contextmsg.PostTo).
func postTo(ctx actor.Context, to *actor.PID, data any, opts contextmsg.Options, transfer []messages.Transferable) error {
	if ctx == nil || ctx.Self() == nil {
		return newError(messages.ErrInvalidState, "PostTo is called from inside an actor's Receive")
	}
	if to == nil {
		return newError(messages.ErrInvalidState, "PostTo needs a target PID")
	}
	return post(ctx, nil, to, data, &opts, transfer)
}

// post runs the standard's post-message steps for a port (source) or for a
// message posted straight to an actor (to): check the transfer list,
// serialize with transfer (buffers are detached only if everything
// succeeded), ship the listed ports, then deliver or, for a closed or
// transferred source or a doomed channel, drop.
//
// A post on a port with an empty transfer list needs no record: the data
// is cloned here, into the Go value the receiver's deserialization would
// make (messages.StructuredClone; a primitive is its own clone; a flat map
// is copied whole, or its entries are, for the receiver to build the map:
// flatmap.go), and the message carries that value (postPlain). Should it
// leave the process later (its receiving end moved to another node),
// encodeMsg serializes it for the trip.
func post(ctx actor.Context, source *portCore, to *actor.PID, data any, opts *contextmsg.Options, transfer []messages.Transferable) error {
	if p, ok := data.(*rawmsg.Prepared); ok {
		return postPrepared(ctx, source, to, p.Record, opts, transfer)
	}
	if source != nil && len(transfer) == 0 {
		if messages.IsPrimitive(data) {
			// The commonest message: nothing to check, clone or transfer.
			return postPlain(ctx, source, data)
		}
		if source.own.ext.cfg.maxBytes == 0 && (!source.sendsFar() || flatrec.Flat(data)) {
			if f, ok := snapshotFlatMap(data); ok {
				// Copied whole, or built by the receiver (flatmap.go).
				return postPlain(ctx, source, f)
			}
			if v, err := messages.StructuredClone(data); err == nil {
				return postPlain(ctx, source, v)
			}
			// On failure the record path runs: it returns Serialize's
			// error, or, when the value serializes but cannot be rebuilt,
			// posts the record, and the receiver gets a MessageErrorEvent.
		}
		// Under a queue byte limit the record stays: its ByteSize is what
		// the limit counts. So it does when the fast path sends to
		// another node (the record is what goes there), except for a flat
		// struct: its copy is made here, one small allocation, and its
		// bytes are written straight from the copy when it leaves
		// (appendData, flatrec).
	}
	if source == nil && len(transfer) == 0 {
		// A message posted straight to an actor in this process needs no
		// record either: the receiver gets the copy as its event's data.
		e := Get(ctx.ActorSystem())
		if e.isLocal(to) {
			if v, err := messages.StructuredClone(data); err == nil {
				sendDirectValue(ctx, e, to, v, opts)
				return nil
			}
		} else if b, ok := flatrec.Append(nil, data); ok {
			// A flat struct to another node: its record's bytes are
			// written now, straight from the value.
			sendFarDirect(ctx, e, to, b, "", nil, opts)
			return nil
		}
	}
	cores, doomed, err := checkTransfer(ctx, source, transfer)
	if err != nil {
		return err
	}
	rec, err := messages.Serialize(data, transfer...)
	if err != nil {
		return err
	}
	return shipRecord(ctx, source, to, rec, cores, doomed, opts, false)
}

// shipRecord ends a post whose record is made and whose transfer list is
// checked: it ships the listed ports, then delivers or drops. A prepared
// record (a script realm's) sent straight to an actor of this process is
// rebuilt by the receiver's middleware, never by the sender (see
// sendDirect).
func shipRecord(ctx actor.Context, source *portCore, to *actor.PID, rec *messages.Record, cores []*portCore, doomed bool, opts *contextmsg.Options, prepared bool) error {
	tokens := shipAll(ctx, cores, to)
	if source != nil {
		ext := source.own.ext
		if doomed || source.currentState() != handleOpen {
			abandonTokens(ext, ctx, tokens)
			size := rec.ByteSize()
			rec.Release()
			return dropPost(source, doomed, size)
		}
		if ext.fast && source.tryFastPost(ctx, recordMsg(rec, tokens)) {
			return nil
		}
		source.slowPost()
		source.tell(ctx, &postReq{recordMsg(rec, tokens)})
		return nil
	}
	return sendDirect(ctx, Get(ctx.ActorSystem()), to, rec, tokens, opts, prepared)
}

// postPlain posts the clone v of a message with an empty transfer list (a
// primitive is its own clone): it travels as it is, without a record.
func postPlain(ctx actor.Context, source *portCore, v any) error {
	return postReady(ctx, source, inMsg{val: v, plain: true})
}

// postReady posts m, a message without ports whose data is ready as it is
// (a plain value, or bytes shared by a broadcast's far ports), on source:
// the fast path, else the slow path, or a drop if source cannot send. Its
// error is dropPost's (nil unless WithPostErrors is on).
func postReady(ctx actor.Context, source *portCore, m inMsg) error {
	if source.own.ext.fast && source.tryFastPost(ctx, m) {
		return nil // the fast path checked that the port is open
	}
	if source.currentState() != handleOpen {
		return dropPost(source, false, 0)
	}
	source.slowPost()
	source.tell(ctx, &postReq{m})
	return nil
}

// dropPost counts and reports a message posted on a port that cannot send
// it (closed, transferred, or doomed by this very post) and returns what
// PostMessage returns: nil, or with WithPostErrors the reason as an error.
func dropPost(source *portCore, doomed bool, bytes int) error {
	e := source.own.ext
	shipped := !doomed && source.currentState() == handleShipped
	reason := "the port was closed"
	switch {
	case doomed:
		reason = "the message transferred the port's own other end: the channel is doomed"
	case shipped:
		reason = "the port was transferred"
	}
	e.dropped.Add(1)
	e.reportDrop(source.pid, reason, 1, int64(bytes))
	switch {
	case !e.cfg.postErrors:
		return nil
	case doomed:
		return fmt.Errorf("%w (the transfer list held the port's own other end: the channel is doomed)", ErrPortClosed)
	case shipped:
		return ErrDetached
	}
	return ErrPortClosed
}

// tryFastPost numbers and hands over m (whose seq it sets), if the fast
// path is open. It reports false when the caller must take the slow path,
// as a message that carries ports must when the other end is on another
// node.
func (c *portCore) tryFastPost(ctx actor.SenderContext, m inMsg) bool {
	c.mu.Lock()
	peer, far := c.fastPeer, c.fastFar
	if (peer == nil && far == nil) || c.slowPosts > 0 || c.state != handleOpen || (far != nil && len(m.tokens()) > 0) {
		c.mu.Unlock()
		return false
	}
	m.seq = c.nextOut
	c.nextOut++
	if far != nil {
		c.numberedFar()
	}
	c.mu.Unlock()
	if far != nil {
		// The other end is on another node: the message goes to it as
		// the port actor would send it. Whatever the actor sends next
		// (a Closed with its last number, say) may overtake it; the
		// other end orders by number, as for any two messages.
		c.own.postFar(ctx, c, far, &m)
		return true
	}
	c.handOverFast(ctx, peer, &m)
	return true
}

// sendsFar reports whether the fast path sends to the other end on another
// node just now: a post then serializes its data for the trip, and a clone
// would be work thrown away (a broadcast encodes its data once for all such
// ports: collection.go). Until a port of this system has sent that way
// (farSeen, set before any core's fastFar), no core's has: the answer is
// false without the core's lock, which a post of a struct or a map would
// otherwise take twice. (Either way the answer may be out of date once
// given; the post that follows copes with both.)
func (c *portCore) sendsFar() bool {
	if !c.own.ext.farSeen.Load() {
		return false
	}
	c.mu.Lock()
	far := c.fastFar != nil
	c.mu.Unlock()
	return far
}

// handOverFast gives the next message to the other end's core in this
// process. The holders of the ports it carries hear first who has it now,
// as they would from the port actors (sendMsg, inOrder): the receiving
// owner, whose queue it goes into, or the receiving actor if the fast path
// turns it away.
func (c *portCore) handOverFast(ctx actor.SenderContext, peer *portCore, m *inMsg) {
	tokens := m.tokens()
	if len(tokens) > 0 {
		handOver(c.own.ext, ctx, tokens, peer.own.self)
	}
	switch res, note := peer.acceptFast(m, c.key, peer.own == c.own, c.own.queued); res {
	case fastNotify:
		peer.notifyOwner(ctx, note)
	case fastDropped:
		c.own.ext.dropped.Add(1)
		c.own.ext.reportDrop(peer.pid, "the receiving port was closed", 1, int64(m.size()))
		abandonTokens(c.own.ext, ctx, tokens)
	case fastFallback:
		if len(tokens) > 0 {
			handOver(c.own.ext, ctx, tokens, peer.pid)
		}
		ctx.Send(peer.pid, &userMsg{key: peer.key, from: c.key, inMsg: *m})
	}
}

// fastResult says what became of a message offered on the fast path.
type fastResult uint8

const (
	fastQueued   fastResult = iota // appended, nobody to notify
	fastNotify                     // appended: notify the owner
	fastDropped                    // the receiving handle is closed
	fastFallback                   // not taken: send it to the receiving actor
)

// acceptFast appends the next message to the queue if the actor allows it
// and from is the key of one of the actor's neighbours (see resumeFast),
// and returns the notification to send the owner, if one is due (see
// noteLocked).
//
// counter is the stripe of the queued count the caller adds to (its own
// owner's: the stripe stays on the caller's core, see stripe).
func (c *portCore) acceptFast(m *inMsg, from uint64, fromOwner bool, counter *atomic.Int64) (fastResult, *deliver) {
	c.mu.Lock()
	if !c.fastOpenLocked(m.seq, from) {
		c.mu.Unlock()
		return fastFallback, nil
	}
	if c.state == handleClosed {
		c.nextIn++
		c.mu.Unlock()
		return fastDropped, nil
	}
	if !c.queueLocked(m) {
		c.mu.Unlock()
		return fastFallback, nil // the actor applies the overflow policy
	}
	note := c.noteLocked(fromOwner)
	c.mu.Unlock()
	counter.Add(1)
	if note != nil {
		return fastNotify, note
	}
	return fastQueued, nil
}

// fastOpenLocked reports whether the message numbered seq from the
// neighbour keyed from may come straight in: the actor allows it (fastIn),
// it is the next in order, and from is one of the keys resumeFast set.
func (c *portCore) fastOpenLocked(seq, from uint64) bool {
	return c.fastIn && seq == c.nextIn && (from == c.fastFrom[0] || from == c.fastFrom[1])
}

// queueLocked appends m, the next message in order, to the queue, unless
// the queue limits refuse it (then it reports false and changes nothing).
func (c *portCore) queueLocked(m *inMsg) bool {
	size := m.size()
	if c.fullLocked(size) {
		return false
	}
	c.nextIn++
	c.push(m)
	c.qBytes += size
	return true
}

// slowPost counts a post sent to the actor: until the actor has numbered
// it, later posts must not overtake it on the fast path.
func (c *portCore) slowPost() {
	c.mu.Lock()
	c.slowPosts++
	c.mu.Unlock()
}

// slowPosted is called by the actor for each post it takes from the slow
// path (numbered, or dropped).
func (c *portCore) slowPosted() {
	c.mu.Lock()
	c.slowPosts--
	c.mu.Unlock()
}

// localDirect is the in-process form of wire.Direct, for a message that
// carries ports: it travels inside the MessageErrorEvent that sendDirect
// puts in the target's mailbox (see MessageErrorEvent.direct).
type localDirect struct {
	rec    *messages.Record
	tokens []*wire.Token
	opts   contextmsg.Options
}

// sendDirect puts a PostTo message in the target's mailbox. To another node
// it goes as a wire.Direct. In this process the mailbox gets what the
// user's code receives, whether or not the target has ReceiverMiddleware
// (the sender cannot know): a message without ports is rebuilt here and
// sent as the *MessageEvent itself (a *MessageErrorEvent if it cannot be
// rebuilt); a message with ports is sent as a *MessageErrorEvent holding
// the message, which the middleware turns into the MessageEvent after
// adopting the ports, and which an actor without the middleware receives
// as it is (the ports are then closed, see GetAutoResponse). Events go
// out with the sink as their sender, where GetAutoResponse's answer is
// discarded.
func sendDirect(ctx actor.Context, e *Extension, to *actor.PID, rec *messages.Record, tokens []*wire.Token, opts *contextmsg.Options, prepared bool) error {
	if !e.isLocal(to) {
		b, err := rec.MarshalBinary()
		if err != nil {
			sendFarDirect(ctx, e, to, nil, err.Error(), tokens, opts)
		} else {
			sendFarDirect(ctx, e, to, b, "", tokens, opts)
		}
		return nil
	}
	var msg any
	if len(tokens) > 0 || prepared {
		msg = &MessageErrorEvent{
			Err:    errNoMiddleware,
			Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta),
			direct: &localDirect{rec: rec, tokens: tokens, opts: *opts},
		}
	} else {
		// A message that transferred only buffers, or whose value
		// StructuredClone could not copy (see post): Deserialize gives
		// that one's error, as a messageerror.
		data, err := messages.Deserialize(rec)
		rec.Release()
		if err != nil {
			msg = &MessageErrorEvent{Err: err, Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta)}
		} else {
			msg = &MessageEvent{Data: data, Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta)}
		}
	}
	e.tr.send(ctx, to, &actor.MessageEnvelope{Message: msg, Sender: e.sink})
	return nil
}

// sendFarDirect sends a message posted straight to an actor on another
// node: the record's bytes, or the reason the sender could not encode them.
func sendFarDirect(ctx actor.Context, e *Extension, to *actor.PID, record []byte, encodeErr string, tokens []*wire.Token, opts *contextmsg.Options) {
	e.tr.send(ctx, to, &wire.Direct{
		Tokens: tokens, Origin: opts.Origin, TargetOrigin: opts.TargetOrigin, Kind: opts.Kind, Source: opts.Source, Version: ProtocolVersion,
		Record: record, EncodeError: encodeErr,
	})
}

// sendDirectValue sends to an actor in this process the event of a message
// posted straight to it without ports, whose data v is already the
// receiver's own copy. It goes into the mailbox as the *MessageEvent itself,
// so an actor without ReceiverMiddleware gets it as it is, in mailbox order.
func sendDirectValue(ctx actor.Context, e *Extension, to *actor.PID, v any, opts *contextmsg.Options) {
	ev := &MessageEvent{Data: v, Origin: opts.Origin, Source: opts.Source, meta: metaPtr(opts.Meta)}
	e.tr.send(ctx, to, &actor.MessageEnvelope{Message: ev, Sender: e.sink})
}
