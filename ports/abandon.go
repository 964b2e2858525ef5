package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// Returning ports. A message that will never be dispatched (dropped,
// refused, held by an actor that stops, or dead-lettered) still carries
// tokens; each holder is told (Abandon) and closes its end, so the other
// ends get a CloseEvent and nothing waits forever.

// abandonTokens returns the ports carried by a message that will never be
// dispatched: each holder closes its end, so the other ends get a
// CloseEvent.
func (a *portActor) abandonTokens(ctx actor.Context, tokens []*wire.Token) {
	abandonTokens(a.ext(), ctx, tokens)
}

func abandonTokens(e *Extension, ctx actor.SenderContext, tokens []*wire.Token) {
	for _, t := range tokens {
		h := t.GetHolder()
		if h == nil || h.GetPid() == nil {
			continue
		}
		e.tr.send(ctx, h.GetPid(), &wire.Abandon{Key: h.GetKey(), Nonce: t.GetNonce()})
	}
}

// dropHeld abandons every port inside messages this actor holds.
func (a *portActor) dropHeld(ctx actor.Context) {
	for _, m := range a.reorder {
		a.abandonTokens(ctx, m.tokens())
	}
	a.reorder = nil
	a.dropRoleHeld(ctx)
}

// dropRoleHeld abandons the ports inside the messages that only a pending
// actor (posts that came before its state) or a shipping one (the queue it
// keeps for its successor) holds, and forgets those messages.
func (a *portActor) dropRoleHeld(ctx actor.Context) {
	switch s := a.state.(type) {
	case *pendingState:
		for _, p := range s.earlyPosts {
			a.abandonTokens(ctx, p.tokens())
		}
		s.earlyPosts = nil
	case *shippingState:
		for _, m := range s.retained {
			a.abandonTokens(ctx, m.tokens())
		}
		s.retained = nil
	}
}

// returnHeldPorts abandons the ports inside every message this actor holds
// and forgets the messages, except that out-of-order ones keep their place
// (emptied) so the numbers still add up.
func (a *portActor) returnHeldPorts(ctx actor.Context) {
	for seq, m := range a.reorder {
		a.abandonTokens(ctx, m.tokens())
		a.reorder[seq] = &inMsg{seq: seq}
	}
	a.dropRoleHeld(ctx)
}

// undelivered returns what a message that reached no actor was carrying:
// its ports are abandoned, and a Bypass request goes back to the proxy that
// made it, which asks again (it would otherwise wait forever for an ack).
func (e *Extension) undelivered(msg any) {
	if env, ok := msg.(*actor.MessageEnvelope); ok {
		msg = env.Message
	}
	if b, ok := msg.(*bundle); ok {
		for _, m := range b.msgs {
			e.undelivered(m)
		}
		return
	}
	if b, ok := msg.(*wire.Bypass); ok {
		if p := b.GetProxy(); p.GetPid() != nil {
			e.sendNews(e.system.Root, p.GetPid(), &wire.BypassRetry{Key: p.GetKey()})
		}
		return
	}
	if tokens := tokensOf(msg); len(tokens) > 0 {
		abandonTokens(e, e.system.Root, tokens)
	}
}

// isPortDeadLetter selects the dead letters that carry ports.
func isPortDeadLetter(evt any) bool {
	dl, ok := evt.(*actor.DeadLetterEvent)
	if !ok {
		return false
	}
	return needsReturn(dl.Message)
}

// needsReturn reports whether a message that reached no actor carries
// something to give back: ports, or a Bypass request (see undelivered).
func needsReturn(msg any) bool {
	switch m := msg.(type) {
	case *actor.MessageEnvelope:
		return needsReturn(m.Message)
	case *wire.Bypass:
		return true
	case *bundle:
		for _, in := range m.msgs {
			if needsReturn(in) {
				return true
			}
		}
		return false
	}
	return len(tokensOf(msg)) > 0
}

// onDeadLetter is the safety net for a message that carried ports but
// reached no actor (its receiver stopped in the meantime): the ports are
// abandoned, so their other ends get a CloseEvent instead of waiting
// forever.
func (e *Extension) onDeadLetter(evt any) {
	e.undelivered(evt.(*actor.DeadLetterEvent).Message)
}

func tokensOf(msg any) []*wire.Token {
	switch m := msg.(type) {
	case *actor.MessageEnvelope:
		return tokensOf(m.Message)
	case *userMsg:
		return m.tokens()
	case *wire.Msg:
		return m.GetTokens()
	case *MessageErrorEvent:
		if m.direct != nil {
			return m.direct.tokens
		}
	case *wire.Direct:
		return m.GetTokens()
	case *postReq:
		return m.tokens()
	}
	return nil
}
