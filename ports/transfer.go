package ports

import (
	"fmt"
	"reflect"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// The transfer, at the holder. Posting a port checks the transfer list and
// ships the port (checkTransfer, shipAll): the handle goes inert and the
// actor freezes (onShip, beginShipping), taking the queue from the core,
// and a token travels in the message. Whoever has the message tells the
// holder (handOver, onLanded), so that the holder watches it. The
// successor's Claim gets the state, the queue and the route (serveClaim;
// to a successor in this process in one bundle, bundle.go), and the holder
// becomes a proxy (proxy.go).

// checkTransfer validates the transfer list before anything is serialized
// or detached, and returns the ports to ship.
func checkTransfer(ctx actor.Context, source *portCore, transfer []messages.Transferable) (cores []*portCore, doomed bool, err error) {
	for i, t := range transfer {
		switch v := t.(type) {
		case nil:
			return nil, false, &messages.DataCloneError{Path: transferPath(i), Reason: "a transfer list entry is nil"}
		case *messages.ArrayBuffer:
			// The messages package checks buffers.
		case *MessagePort:
			if v == nil || v.core == nil {
				return nil, false, &messages.DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(v), Reason: "a transfer list entry is a nil MessagePort"}
			}
			c := v.core
			if c == source {
				return nil, false, &messages.DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(v), Reason: "a port cannot be transferred in a message posted on itself"}
			}
			for _, seen := range cores {
				if seen == c {
					return nil, false, &messages.DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(v), Reason: "the port is listed twice in the transfer list"}
				}
			}
			if c.checkOwner(ctx) != nil {
				return nil, false, &messages.DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(v), Reason: fmt.Sprintf("the port belongs to %s, not to the posting actor", c.own.self)}
			}
			if c.currentState() != handleOpen {
				return nil, false, &messages.DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(v), Reason: "the port was already transferred or closed"}
			}
			if source != nil && c.channel == source.channel && c.side != source.side {
				doomed = true
			}
			cores = append(cores, c)
		default:
			return nil, false, &messages.DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(t), Reason: "the value is not transferable (only *messages.ArrayBuffer and *ports.MessagePort are)"}
		}
	}
	return cores, doomed, nil
}

// transferPath names entry i of a transfer list in an error (made only
// for an error: a valid list costs no string).
func transferPath(i int) string { return fmt.Sprintf("transfer[%d]", i) }

// shipAll runs the transfer steps of each port: the handle goes inert, the
// port actor freezes and waits for the successor that the receiver will
// spawn, and the message carries a token in the port's place.
//
// custodian is the actor a PostTo carrier goes to: the ports' holders watch
// it until they are claimed, because protoactor drops a hard-stopped
// actor's queued messages without a trace.
func shipAll(ctx actor.Context, cores []*portCore, custodian *actor.PID) []*wire.Token {
	if len(cores) == 0 {
		return nil
	}
	tokens := make([]*wire.Token, len(cores))
	for i, c := range cores {
		c.ship()
		c.own.forget(c)
		nonce := randomKey()
		c.tell(ctx, &shipReq{nonce: nonce, custodian: custodian})
		tokens[i] = &wire.Token{Holder: c.ref(), Nonce: nonce, Channel: c.channel, Side: c.side, Closed: c.closeWasFired()}
	}
	return tokens
}

// onShip freezes the port: its owner put it in a message. The queue moves
// out of the shared core into the actor, which keeps receiving and waits
// for the successor's Claim.
func (a *portActor) onShip(ctx actor.Context, nonce uint64, custodian *actor.PID) {
	switch a.role {
	case rolePending:
		p := a.pending()
		p.wantShip, p.wantCustody = nonce, custodian
	case roleOpen:
		a.beginShipping(ctx, a.newShipping(nonce, custodian), nil, false)
	default:
		// Already closing or gone: the token can never be claimed.
		// The successor's Claim gets ClaimRejected.
	}
}

// beginShipping makes an open actor a shipping one with state s (its
// nonce, custodian and custody news so far set). An actor that was
// shipped on while pending may bring the Claim of its own successor
// (served now) or the news that its carrier was abandoned.
func (a *portActor) beginShipping(ctx actor.Context, s *shippingState, claim *wire.Claim, abandoned bool) {
	fresh := a.freshPair()
	a.become(s)
	if fresh {
		// The pair is fresh no more: both watch from now on (see
		// freshPair). The notice goes before anything else this actor
		// sends the other port.
		a.send(ctx, a.peer, &peerMoved{key: a.peer.GetKey()})
	}
	if s.custodian != nil || fresh {
		a.rewatch(ctx)
	}
	// The queue moves from the core to the successor; messages that
	// arrive from now on go behind it (inOrder).
	s.retained, s.closeFired = a.core.takeAll()
	// (closeFired is whether the owner has seen the close event, not
	// whether this actor asked for it: a notification still in the
	// owner's mailbox is dropped with the shipped handle.)
	if abandoned {
		a.onAbandon(ctx, s.nonce)
		return
	}
	if claim != nil {
		a.onClaim(ctx, claim)
	}
}

// onClaim hands the port to its successor.
func (a *portActor) onClaim(ctx actor.Context, c *wire.Claim) {
	switch s := a.state.(type) {
	case *shippingState:
		if c.GetNonce() == s.nonce {
			a.serveClaim(ctx, s, c.GetFrom())
			return
		}
	case *pendingState:
		if s.wantShip != 0 && c.GetNonce() == s.wantShip && s.claim == nil {
			s.claim = c
			return
		}
	}
	a.send(ctx, c.GetFrom(), &wire.ClaimRejected{Key: c.GetFrom().GetKey(), From: a.me(), Nonce: c.GetNonce()})
}

func (a *portActor) serveClaim(ctx actor.Context, s *shippingState, succ *wire.Ref) {
	// What goes to a successor of this process goes in one bundle, sent
	// before PortTransferred is published (and on a panic too: the
	// outbox never outlives this call).
	a.openBundle(succ)
	defer a.sendBundle(ctx)
	oldPeer := a.peer
	// The retained messages were never consumed: the successor takes them
	// as its next inbound numbers.
	nextIn := a.nextIn
	if len(s.retained) > 0 {
		nextIn = s.retained[0].seq
	}
	// The successor sends straight to the old peer from now on. The old
	// peer hears of it first: it takes messages only from actors it knows
	// (see neighbours.go), and in this process it then knows the
	// successor before the successor can write to it.
	if oldPeer != nil {
		a.sendNews(ctx, oldPeer, &wire.PrevIs{Key: oldPeer.GetKey(), From: a.me(), Prev: succ, Last: a.nextOut - 1})
	}
	a.send(ctx, succ, &wire.State{
		Key:        succ.GetKey(),
		From:       a.me(),
		NextOut:    a.nextOut,
		NextIn:     nextIn,
		Peer:       oldPeer,
		PeerClosed: a.peerClosed,
		LastIn:     a.lastIn,
		CloseFired: s.closeFired,
		Lost:       a.lost,
	})
	for _, m := range s.retained {
		a.sendMsg(ctx, succ, m)
	}
	for _, b := range s.held {
		a.sendNews(ctx, succ, &wire.Bypass{Key: succ.GetKey(), From: a.me(), Proxy: b.GetProxy(), Target: b.GetTarget(), Hops: b.GetHops() + 1})
	}
	a.become(&s.next)
	a.peer = succ
	a.rewatch(ctx)
	if !a.lastKnown {
		// (Otherwise the other end has closed or is lost: nothing new
		// will come this way, so there is nobody to ask for a bypass.)
		a.sendNews(ctx, succ, &wire.Bypass{Key: succ.GetKey(), From: a.me(), Proxy: a.me(), Target: succ})
	}
	// Messages that arrived out of order are forwarded as the gaps fill.
	a.maybeRetire(ctx)
	a.sendBundle(ctx)
	a.ext().publish(&PortTransferred{From: ctx.Self(), To: succ.GetPid()})
}

// onLanded: the message carrying this port has been taken by its receiver,
// and the successor it spawned keeps custody until it claims the port.
func (a *portActor) onLanded(ctx actor.Context, nonce uint64, custodian *actor.PID, seq uint32) {
	switch s := a.state.(type) {
	case *shippingState:
		if seq > s.custodySeq && nonce == s.nonce {
			s.custodySeq = seq
			s.custodian = custodian
			a.rewatch(ctx)
		}
	case *pendingState:
		if seq > s.custodySeq && nonce == s.wantShip {
			s.custodySeq = seq
			s.wantCustody = custodian
		}
	}
}

// handOver tells the holders of the ports carried by a message that the
// message is about to be with custodian. A holder watches whoever has its
// port's carrier, so that losing the carrier (its custodian dies, on this
// node or another) closes the port instead of leaving its peer waiting.
// The news goes before the message, from the actor that had custody, so a
// holder always hears of the new custodian before it could see the old one
// die.
func (a *portActor) handOver(ctx actor.Context, tokens []*wire.Token, custodian *actor.PID) {
	handOver(a.ext(), ctx, tokens, custodian)
}

func handOver(e *Extension, ctx actor.SenderContext, tokens []*wire.Token, custodian *actor.PID) {
	for _, t := range tokens {
		h := t.GetHolder()
		if h.GetPid() == nil {
			continue
		}
		// The token travels with the message, one custodian at a time.
		t.Custody++
		if e.isLocal(h.GetPid()) {
			e.sendNews(ctx, h.GetPid(), &landed{key: h.GetKey(), nonce: t.GetNonce(), custodian: custodian, seq: t.Custody})
			continue
		}
		e.sendNews(ctx, h.GetPid(), &wire.Landed{Key: h.GetKey(), Nonce: t.GetNonce(), Custodian: &wire.Ref{Pid: custodian}, Seq: t.Custody})
	}
}
