package ports

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// ProtocolVersion is the version of the port protocol and of its wire
// types (the protobuf package entangle.wire.v1, whose types only ever gain
// fields). Nodes exchange it at first contact; a node with another version
// gets nothing but the Hello. Version 2: user messages name their sender
// (wire.Msg.from), and port actors act only on their route neighbours.
// Version 3: a message the other end could not rebuild is reported to the
// sending end (wire.RebuildFailed; see RemoteRebuildFailed).
const ProtocolVersion = wire.Version

// gatewayName is the name of the actor that answers Hellos on every node.
// It, and the Hello message, keep their names across protocol versions.
const gatewayName = "entangle-gateway"

// handshakeTimeout bounds the wait for a remote node's Hello.
const handshakeTimeout = 5 * time.Second

// PeerRejected is published when a node cannot be spoken to: it runs
// another protocol version, it has no entangle plugin (nothing answers the
// Hello), or it did not answer in time. The messages that were waiting
// for it are treated as undeliverable: the ports they carried close, and
// so do the routes that went through it.
type PeerRejected struct {
	Address string
	Version uint32 // the peer's version; 0 if it never answered
	Reason  string
}

// Log implements Diagnostic.
func (e *PeerRejected) Log() (slog.Level, string, []any) {
	return slog.LevelWarn, "remote node rejected", []any{slog.String("address", e.Address), slog.Any("version", e.Version), slog.String("reason", e.Reason)}
}

// gate holds protocol messages for a remote node until the node has
// answered the Hello with our version. Before that, only the Hello (whose
// type every version knows) goes to it: a node never receives a wire type
// it might not know, which the pinned protoactor would crash on.
type gate struct {
	e     *Extension
	mu    sync.Mutex
	peers map[string]*peer
	done  chan struct{} // closed with the extension: handshakes give up
	once  sync.Once
}

type peer struct {
	ok    bool
	gone  bool // protoactor reported the endpoint terminated during the handshake
	queue []held
}

type held struct {
	to  *actor.PID
	msg any
}

func newGate(e *Extension) *gate {
	return &gate{e: e, peers: map[string]*peer{}, done: make(chan struct{})}
}

// stop makes handshakes under way give up (the extension is closing).
func (g *gate) stop() { g.once.Do(func() { close(g.done) }) }

// send sends msg to the remote actor to once its node is known to speak
// our protocol; until then it queues it, in order.
func (g *gate) send(ctx actor.SenderContext, to *actor.PID, msg any) {
	addr := to.GetAddress()
	g.mu.Lock()
	p := g.peers[addr]
	if p != nil && p.ok {
		g.mu.Unlock()
		ctx.Send(to, msg)
		return
	}
	first := p == nil
	if first {
		p = &peer{}
		g.peers[addr] = p
	}
	p.queue = append(p.queue, held{to: to, msg: msg})
	g.mu.Unlock()
	if first {
		go g.hello(addr)
	}
}

// helloAttempt bounds one Hello of a handshake, so that a handshake sees
// soon that its node went away or that this extension closed.
const helloAttempt = 250 * time.Millisecond

// hello runs the handshake with the node at addr. A node whose gateway
// is not there yet (its ports extension starts with its first owner, which
// may be spawned just after the Hello left), or that does not answer
// within helloAttempt, is asked again, with a growing pause, until
// handshakeTimeout has passed, protoactor reports the node's endpoint
// terminated, or this extension closes.
func (g *gate) hello(addr string) {
	deadline := time.Now().Add(handshakeTimeout)
	var version uint32
	reason := ""
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 200*time.Millisecond) {
		var again bool
		if version, reason, again = g.ask(addr, min(helloAttempt, time.Until(deadline))); !again || time.Until(deadline) < pause {
			break
		}
		if g.isGone(addr) {
			reason = "the node went away during the handshake"
			break
		}
		if !g.sleep(pause) {
			reason = "this node's ports extension closed during the handshake"
			break
		}
	}
	if reason == "" {
		g.open(addr)
		return
	}
	g.mu.Lock()
	queue := g.peers[addr].queue
	// Forget the node, so that a later message tries again (it may have
	// been starting up); what was waiting is undeliverable.
	delete(g.peers, addr)
	g.mu.Unlock()
	g.e.publish(&PeerRejected{Address: addr, Version: version, Reason: reason})
	g.e.log.Warn("remote node rejected", slog.String("address", addr), slog.String("reason", reason))
	for _, h := range queue {
		g.e.undelivered(h.msg)
	}
}

// open sends what waits for the node at addr, in order, and then lets later
// messages go to it directly. The sends happen outside the lock: protoactor
// delivers a message it cannot route (remote stopped meanwhile) as a dead
// letter on this goroutine, and what the extension does with one
// (undelivered: a BypassRetry, the abandoned ports' news) may be sent
// through this gate again. Whatever is sent meanwhile joins the queue, behind
// what is being flushed, and the gate opens once the queue is empty.
func (g *gate) open(addr string) {
	sys := g.e.system
	g.mu.Lock()
	p := g.peers[addr]
	for len(p.queue) > 0 {
		queue := p.queue
		p.queue = nil
		g.mu.Unlock()
		for _, h := range queue {
			sys.Root.Send(h.to, h.msg)
		}
		g.mu.Lock()
	}
	p.ok = true
	g.mu.Unlock()
}

// nodeGone notes that protoactor lost the endpoint of the node at addr: a
// handshake with it under way gives up.
func (g *gate) nodeGone(addr string) {
	g.mu.Lock()
	if p := g.peers[addr]; p != nil && !p.ok {
		p.gone = true
	}
	g.mu.Unlock()
}

func (g *gate) isGone(addr string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.peers[addr]
	return p != nil && p.gone
}

// sleep waits d; it reports false if the gate was stopped meanwhile.
func (g *gate) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-g.done:
		return false
	}
}

// ask sends one Hello to addr and waits at most d for the answer. It
// returns the peer's version, why it cannot be spoken to ("" if it can),
// and whether nothing answered yet (worth asking again).
func (g *gate) ask(addr string, d time.Duration) (version uint32, reason string, again bool) {
	sys := g.e.system
	f := sys.Root.RequestFuture(actor.NewPID(addr, gatewayName), &wire.Hello{Version: ProtocolVersion, Node: sys.Address()}, max(d, time.Millisecond))
	res, err := f.Result()
	switch r := res.(type) {
	case *wire.Hello:
		version = r.GetVersion()
		if version != ProtocolVersion {
			reason = fmt.Sprintf("it speaks protocol version %d, this node %d", version, ProtocolVersion)
		}
		return version, reason, false
	case *actor.DeadLetterResponse:
		return 0, "nothing answers at " + gatewayName + " (no entangle plugin on that node?)", true
	}
	switch {
	case errors.Is(err, actor.ErrDeadLetter):
		return 0, "nothing answers at " + gatewayName + " (no entangle plugin on that node?)", true
	case errors.Is(err, actor.ErrTimeout):
		return 0, "no answer to the Hello within " + handshakeTimeout.String(), true
	case err != nil:
		return 0, "no answer to the Hello: " + err.Error(), false
	}
	return 0, fmt.Sprintf("unexpected answer %T to the Hello", res), false
}

// gatewayActor answers Hellos with this node's version.
type gatewayActor struct{ e *Extension }

func (a *gatewayActor) Receive(ctx actor.Context) {
	h, ok := ctx.Message().(*wire.Hello)
	if !ok {
		return
	}
	if h.GetVersion() != ProtocolVersion {
		a.e.publish(&PeerRejected{Address: h.GetNode(), Version: h.GetVersion(), Reason: fmt.Sprintf("it said Hello with protocol version %d, this node speaks %d", h.GetVersion(), ProtocolVersion)})
	}
	ctx.Respond(&wire.Hello{Version: ProtocolVersion, Node: ctx.ActorSystem().Address()})
}
