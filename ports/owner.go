package ports

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/ctxext"
	"github.com/entangle-go/entangle/messages"
)

var ownerExtID = ctxext.NextContextExtensionID()

// owner is the ports state of one actor that uses ReceiverMiddleware: the
// ports it owns and the port actors it parents. It is touched only on that
// actor's goroutine.
type owner struct {
	ext             *Extension
	self            *actor.PID
	cores           map[*portCore]struct{} // open handles owned here
	queued          *atomic.Int64          // this owner's stripe of the extension's queued count (see stripe)
	children        int                    // live port actors spawned here (see isPortChild)
	props           *actor.Props           // for its port actors (see spawnPort)
	spawning        *portActor
	spawningMailbox *portMailbox
	draining        bool        // graceful stop: user code no longer runs
	poisoned        bool        // the PoisonPill is held back until the port actors are gone
	stopping        bool        // hard stop or restart under way
	addressChecked  bool        // checkAddress is done (watchdiag.go)
	raw             bool        // a script realm's owner: data is delivered as *rawmsg.Raw (raw.go)
	far             farRuns     // posts to other nodes gathered this turn (farrun.go)
	taken           takenBatch  // what the running batch has taken from a port's queue (taken.go)
	watchers        *ownerWatch // the port actors that watch this actor (localwatch.go); made at its first start
	inHandler       bool        // a port's handler runs, or panicked out (contextmsg.PanickedInHandler)

	// produceMu is held by spawnPort until its call of the producer, and
	// by a port actor's restart from its Restarting to the producer's
	// call (see restarting).
	produceMu   sync.Mutex
	restartNext bool // under produceMu: the next produce is a restart's
}

// ExtensionID implements ctxext.ContextExtension.
func (*owner) ExtensionID() ctxext.ContextExtensionID { return ownerExtID }

// ownerOf returns the ports state of the actor behind c, or nil if the
// actor does not use ReceiverMiddleware.
func ownerOf(c interface {
	Get(ctxext.ContextExtensionID) ctxext.ContextExtension
}) (o *owner) {
	defer func() {
		// protoactor's context extensions index a slice without a
		// bounds check; an actor that never set ours may not have the
		// slot at all.
		if recover() != nil {
			o = nil
		}
	}()
	o, _ = c.Get(ownerExtID).(*owner)
	return o
}

// ownerFor returns the ports state of the calling actor, or an
// InvalidStateError if it cannot own ports.
func ownerFor(ctx actor.Context) (*owner, error) {
	if ctx == nil || ctx.Self() == nil {
		return nil, newError(messages.ErrInvalidState, "ports are owned by actors: call this from inside an actor's Receive")
	}
	o := ownerOf(ctx)
	if o == nil {
		return nil, newError(messages.ErrInvalidState, fmt.Sprintf("actor %s cannot own ports: add ports.ReceiverMiddleware to its props (actor.WithReceiverMiddleware(ports.ReceiverMiddleware))", ctx.Self()))
	}
	if o.draining || o.stopping {
		return nil, newError(messages.ErrInvalidState, fmt.Sprintf("actor %s is stopping and cannot take new ports", ctx.Self()))
	}
	return o, nil
}

func newOwner(ext *Extension, self *actor.PID) *owner {
	return &owner{ext: ext, self: self, cores: map[*portCore]struct{}{}, queued: ext.queued.Slot()}
}

// newCore creates the handle-side state of a port owned here.
func (o *owner) newCore(channel uint64, side, epoch uint32) *portCore {
	c := &portCore{
		own:     o,
		key:     randomKey(),
		channel: channel,
		side:    side,
		epoch:   epoch,
		nextOut: 1,
		nextIn:  1,
	}
	c.note.core = c
	c.handle.core = c
	o.cores[c] = struct{}{}
	o.ext.openHandles.Add(1)
	return c
}

// spawn starts the actor of a port owned here and returns it.
func (o *owner) spawn(ctx actor.Context, init portInit) *portActor {
	// The actor sets core.pid itself when it starts, which happens
	// inside this call: it runs on this goroutine (see spawnPort).
	a := o.spawnPort(ctx, init)
	o.children++
	return a
}

// forget drops a handle that is no longer open (shipped or closed).
func (o *owner) forget(c *portCore) { delete(o.cores, c) }

// closeAll closes every open port of this actor, as its owner going away
// does on the web: the peers get their CloseEvent after what was posted.
func (o *owner) closeAll(ctx actor.Context) {
	for c := range o.cores {
		o.closePort(ctx, c)
	}
}

// closePort closes one port owned here. The messages a batch has taken
// from it and not dispatched are dropped with the rest of its queue.
func (o *owner) closePort(ctx actor.Context, c *portCore) bool {
	c.giveBack()
	dropped, ok := c.closeHandle()
	if !ok {
		return false
	}
	o.forget(c)
	for _, m := range dropped {
		abandonTokens(o.ext, ctx, m.tokens())
	}
	o.ext.droppedUndispatched(c.pid, len(dropped), "the port was closed before it dispatched the message")
	c.tell(ctx, &closeReq{})
	return true
}

// randomKey returns an unguessable 64-bit value for route keys, nonces and
// channel ids.
func randomKey() uint64 {
	var b [8]byte
	for {
		_, _ = crand.Read(b[:])
		// 0 is no one's key (an unset field).
		if k := binary.LittleEndian.Uint64(b[:]); k != 0 {
			return k
		}
	}
}

// OpenPorts returns how many ports the calling actor owns that are neither
// closed nor transferred (0 for an actor without ReceiverMiddleware). Use it
// to find ports you forgot to close.
func OpenPorts(ctx actor.Context) int {
	o := ownerOf(ctx)
	if o == nil {
		return 0
	}
	return len(o.cores)
}

var syncDispatcher = actor.NewSynchronizedDispatcher(300)

// portPrefix starts the name of every port actor under its owner
// ("owner/port$12").
const portPrefix = "port"

// isPortChild reports whether who, an actor that has stopped, was one of
// this owner's port actors. Without a set of their PIDs (an idle channel
// would pay for two entries all its life): a port actor leaves its id in
// the extension's gone set as it stops, and the owner takes it from there
// when protoactor tells it the child is gone; the name check keeps
// another actor's Terminated from taking it.
func (o *owner) isPortChild(who *actor.PID) bool {
	id, self := who.GetId(), o.self.GetId()
	named := len(id) > len(self)+1+len(portPrefix) && id[len(self)] == '/' &&
		id[:len(self)] == self && id[len(self)+1:len(self)+1+len(portPrefix)] == portPrefix &&
		id[len(self)+1+len(portPrefix)] == '$' && who.GetAddress() == o.self.GetAddress()
	return named && o.ext.gone.Take(id)
}

// spawnPort starts a port actor as a child of parent and returns it. Port
// actors never block, so they run on the goroutine of whoever sends to them
// (a synchronized dispatcher), which keeps a message between two contexts
// to one goroutine hop; their mailbox returns the ports inside messages it
// could not deliver (see portMailbox).
//
// The owner keeps one Props for all its ports: protoactor calls the
// producers synchronously inside the spawn, on the owner's goroutine, so
// they hand over the actor and mailbox prepared just before. A restart of
// one of the owner's port actors (its strategy restarts all its children,
// say) calls the producer too, on whatever goroutine runs that actor's
// mailbox, maybe while the owner is inside spawnPort: produceMu keeps the
// two apart (see restarting). spawnPort holds it only until its own call
// of the producer, before anything of the new actor runs.
func (o *owner) spawnPort(parent actor.Context, init portInit) *portActor {
	mb := newPortMailbox(init.core)
	a := newPortActor(init)
	a.mailbox = mb
	if o.props == nil {
		o.props = actor.PropsFromProducer(o.produce,
			actor.WithDispatcher(syncDispatcher),
			actor.WithMailbox(o.produceMailbox))
	}
	o.produceMu.Lock() // produce gives it back as it hands over a
	o.spawning, o.spawningMailbox = a, mb
	defer func() {
		if o.spawning != nil {
			// Not asked for a (protoactor asks first thing in every
			// spawn), or the spawn panicked before it asked.
			o.spawning = nil
			o.produceMu.Unlock()
		}
		o.spawningMailbox = nil
	}()
	parent.SpawnPrefix(o.props, portPrefix)
	return a
}

// restarting is called by an incarnation of one of the owner's port actors
// as protoactor restarts it (its Restarting), on the goroutine that calls
// produce next, within the same restart: it takes produceMu, which produce
// gives back with the stopper it hands that restart. A port spawned at the
// same time on the owner's goroutine keeps its own actor.
func (o *owner) restarting() {
	o.produceMu.Lock()
	o.restartNext = true
}

func (o *owner) produce() actor.Actor {
	if o.restartNext {
		o.restartNext = false
		o.produceMu.Unlock()
		return o.stopper()
	}
	if a := o.spawning; a != nil {
		// spawnPort's call, which holds produceMu until now: the
		// rest of the spawn (the actor's Started) runs without it.
		o.spawning = nil
		o.produceMu.Unlock()
		return a
	}
	return o.stopper()
}

// stopper is the incarnation a restart of a port actor gets: the state is
// gone (a port actor never panics out of its Receive; a restart comes from
// the owner's strategy or an actor.Restart), so it stops at once, and tells
// the port actors that watch it (see localwatch.go).
func (o *owner) stopper() actor.Actor {
	var watchers *watchList
	return actor.ReceiveFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			watchers = o.ext.watchListOf(ctx.Self())
			o.ext.gone.Add(ctx.Self().GetId()) // see isPortChild
			ctx.Stop(ctx.Self())
		case *actor.Restarting:
			o.restarting() // restarted again before it stopped
		case *actor.Stopped:
			if watchers != nil {
				o.ext.tellLost(ctx, watchers.take())
			}
		}
	})
}

func (o *owner) produceMailbox() actor.Mailbox {
	if mb := o.spawningMailbox; mb != nil {
		return mb
	}
	return actor.Unbounded()()
}
