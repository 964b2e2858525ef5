package ports

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// traceHook, when set (by tests), sees every message a port actor handles.
var traceHook func(self *actor.PID, a *portActor, msg any)

// inspect asks a port actor to describe itself (diagnostics and tests).
type inspect struct{}

// portSnapshot is what inspect answers.
type portSnapshot struct {
	role      role
	channel   uint64
	side      uint32
	shipNonce uint64   // shipping: the nonce of the token that carries this port
	carried   []uint64 // nonces of the tokens inside messages this actor holds
	strangers int      // messages held from senders not known (see strangers.go)
	text      string
}

func (a *portActor) snapshot() *portSnapshot {
	a.core.mu.Lock()
	coreText := fmt.Sprintf(" handle=%d enabled=%v queued=%d closeMark=%v closeFired=%v farPending=%#x", a.core.state, a.core.enabled, a.core.q.len(), a.core.closeMark, a.core.closeFired, a.core.farPending.Load())
	a.core.mu.Unlock()
	s := &portSnapshot{role: a.role, channel: a.core.channel, side: a.core.side, strangers: a.holding(), text: a.describe() + coreText}
	add := func(m *inMsg) {
		for _, t := range m.tokens() {
			s.carried = append(s.carried, t.GetNonce())
		}
	}
	if a.holding() > 0 {
		for _, list := range a.strangers {
			for _, m := range list {
				for _, t := range tokensOf(m) {
					s.carried = append(s.carried, t.GetNonce())
				}
			}
		}
	}
	if sh := a.shipping(); sh != nil {
		s.shipNonce = sh.nonce
		for _, m := range sh.retained {
			add(m)
		}
	}
	for _, m := range a.reorder {
		add(m)
	}
	return s
}

// describe says what the actor's state is, for failure reports.
func (a *portActor) describe() string {
	var watching []*actor.PID
	strangers := 0
	if a.neighbours != nil {
		watching, strangers = a.watching, a.strangerCount
	}
	return fmt.Sprintf("role=%s peer=%s prev=%s nextOut=%d nextIn=%d last=%d/%v peerClosed=%v lost=%v reorder=%d watching=%v strangers=%d %s",
		a.role, refID(a.peer), refIDs(a.senders), a.nextOut, a.nextIn, a.lastIn, a.lastKnown, a.peerClosed, a.lost,
		len(a.reorder), watching, strangers, a.state.describe())
}

func refIDs(rs []*wire.Ref) string {
	out := "["
	for i, r := range rs {
		if i > 0 {
			out += " "
		}
		out += refID(r)
	}
	return out + "]"
}

func refID(r *wire.Ref) string {
	if r == nil || r.GetPid() == nil {
		return "-"
	}
	return r.GetPid().GetId()
}

// messageName names a message's type for ProtocolRejected.
func messageName(m any) string {
	switch m.(type) {
	case *userMsg:
		return "*wire.Msg" // its in-process form
	case *landed:
		return "*wire.Landed" // its in-process form
	}
	return fmt.Sprintf("%T", m)
}
