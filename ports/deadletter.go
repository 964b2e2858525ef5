package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// isPortDeadLetter selects the dead letters that carry ports.
func isPortDeadLetter(evt any) bool {
	dl, ok := evt.(*actor.DeadLetterEvent)
	if !ok {
		return false
	}
	if _, ok := dl.Message.(*wire.Bypass); ok {
		return true
	}
	return len(tokensOf(dl.Message)) > 0
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
		return m.tokens
	case *wire.Msg:
		return m.GetTokens()
	case *localDirect:
		return m.tokens
	case *wire.Direct:
		return m.GetTokens()
	case *postReq:
		return m.tokens
	}
	return nil
}
