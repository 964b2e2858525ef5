package ports

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/ctxext"
	"github.com/entangle-go/entangle/internal/wire"
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
	children        map[string]struct{}    // live port actors spawned here, by PID id
	props           *actor.Props           // for its port actors (see spawnPort)
	spawning        *portActor
	spawningMailbox *portMailbox
	draining        bool // graceful stop: user code no longer runs
	poisoned        bool // the PoisonPill is held back until the port actors are gone
	stopping        bool // hard stop or restart under way
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
	return &owner{ext: ext, self: self, cores: map[*portCore]struct{}{}, children: map[string]struct{}{}}
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

// spawn starts the actor of a port owned here.
func (o *owner) spawn(ctx actor.Context, init portInit) {
	// The actor sets core.pid itself when it starts, which happens
	// inside this call: it runs on this goroutine (see spawnPort).
	pid := o.spawnPort(ctx, init)
	o.children[pid.GetId()] = struct{}{}
}

// adopt makes a transferred port this actor's own: a successor actor is
// spawned as its child and claims the port's state from the holder.
//
// The holder watches this actor while the message is with it (in its
// mailbox, or in the queue of one of its ports) and learns here that the
// successor has the port now: from this actor, so before this actor could
// be seen to die.
func (o *owner) adopt(ctx actor.Context, t *wire.Token) *MessagePort {
	c := o.newCore(t.GetChannel(), t.GetSide(), t.GetHolder().GetEpoch()+1)
	o.spawn(ctx, portInit{core: c, role: rolePending, holder: t})
	handOver(o.ext, ctx, []*wire.Token{t}, c.pid)
	return &c.handle
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

// closePort closes one port owned here.
func (o *owner) closePort(ctx actor.Context, c *portCore) bool {
	dropped, ok := c.closeHandle()
	if !ok {
		return false
	}
	o.forget(c)
	for _, m := range dropped {
		abandonTokens(o.ext, ctx, m.tokens)
	}
	o.ext.droppedUndispatched(c.pid, len(dropped), "the port was closed before it dispatched the message")
	ctx.Send(c.pid, &closeReq{})
	return true
}

// materialize turns a message that reached this actor into the value and
// ports its user code sees. Ports are adopted before the data is rebuilt,
// so references to them inside the data are the new handles.
func (o *owner) materialize(ctx actor.Context, m *inMsg) (any, []*MessagePort, error) {
	if m.prim {
		v := m.val
		m.val = nil
		return v, nil, nil
	}
	rec := m.record()
	if rec == nil {
		r, v, err := decodeFar(m.farData(), len(m.tokens) > 0, &o.ext.cfg)
		if err != nil {
			abandonTokens(o.ext, ctx, m.tokens)
			return nil, nil, err
		}
		if r == nil {
			return v, nil, nil
		}
		rec = r
	}
	if rec.ExternalCount() != len(m.tokens) {
		abandonTokens(o.ext, ctx, m.tokens)
		return nil, nil, &messages.DataCloneError{Reason: fmt.Sprintf("the message lists %d transferred ports but its data refers to %d", len(m.tokens), rec.ExternalCount())}
	}
	// The record is delivered exactly once: after this, nothing refers to
	// it, and its memory goes back to Serialize's pool.
	defer rec.Release()
	m.val = nil
	if len(m.tokens) == 0 {
		data, err := messages.Deserialize(rec)
		return data, nil, err
	}
	handles := make([]*MessagePort, len(m.tokens))
	objs := make([]messages.Transferable, len(m.tokens))
	for i, t := range m.tokens {
		handles[i] = o.adopt(ctx, t)
		objs[i] = handles[i]
	}
	data, err := messages.Deserialize(rec, messages.WithTransferred(objs...))
	if err != nil {
		for _, h := range handles {
			o.closePort(ctx, h.core)
		}
		return nil, nil, err
	}
	return data, handles, nil
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
