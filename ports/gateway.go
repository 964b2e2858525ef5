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
// types (the protobuf package entangle.wire.v1). Nodes exchange it at
// first contact; a node with another version gets nothing but the Hello.
const ProtocolVersion = 1

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
}

type peer struct {
	ok    bool
	queue []held
}

type held struct {
	to  *actor.PID
	msg any
}

func newGate(e *Extension) *gate { return &gate{e: e, peers: map[string]*peer{}} }

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

// hello runs the handshake with the node at addr.
func (g *gate) hello(addr string) {
	sys := g.e.system
	f := sys.Root.RequestFuture(actor.NewPID(addr, gatewayName), &wire.Hello{Version: ProtocolVersion, Node: sys.Address()}, handshakeTimeout)
	res, err := f.Result()
	var version uint32
	reason := ""
	switch r := res.(type) {
	case *wire.Hello:
		version = r.GetVersion()
		if version != ProtocolVersion {
			reason = fmt.Sprintf("it speaks protocol version %d, this node %d", version, ProtocolVersion)
		}
	case *actor.DeadLetterResponse:
		reason = "nothing answers at " + gatewayName + " (no entangle plugin on that node?)"
	default:
		if errors.Is(err, actor.ErrDeadLetter) {
			reason = "nothing answers at " + gatewayName + " (no entangle plugin on that node?)"
		} else if err != nil {
			reason = "no answer to the Hello: " + err.Error()
		} else {
			reason = fmt.Sprintf("unexpected answer %T to the Hello", res)
		}
	}
	g.mu.Lock()
	p := g.peers[addr]
	queue := p.queue
	p.queue = nil
	if reason == "" {
		// Flush under the lock, then open: later sends go behind these.
		for _, h := range queue {
			sys.Root.Send(h.to, h.msg)
		}
		p.ok = true
		g.mu.Unlock()
		return
	}
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
