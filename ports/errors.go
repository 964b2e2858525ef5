package ports

import (
	"github.com/entangle-go/entangle/internal/domerr"
	"github.com/entangle-go/entangle/messages"
)

// Errors.
//
// Every error this package returns for a misuse or a message that cannot be
// cloned matches one of the DOMException sentinels of package messages
// (which both ports and actors import) under errors.Is:
//
//   - messages.ErrInvalidState: a port, PostTo, NewMessageChannel or Drain
//     used from outside an owner's Receive, from an actor that does not
//     own the port, from an actor without ReceiverMiddleware or one that
//     is stopping; a nil MessagePort; ErrAlreadyRegistered; and the
//     MessageErrorEvent of a PostTo that carried ports to an actor without
//     ReceiverMiddleware.
//   - ErrPortClosed and ErrDetached (both also match
//     messages.ErrInvalidState): a post that was dropped, returned only by
//     an extension registered with WithPostErrors(true).
//   - messages.ErrDataClone: data that cannot be cloned, a wrong transfer
//     list (see MessagePort.PostMessage), and the Err of a
//     MessageErrorEvent (data the receiver could not rebuild).
//
// Their text starts with "ports: " and the DOMException's name. The
// options (WithCloseEvents, WithQueueLimit, WithOverflowPolicy) return a
// plain error for a value out of range.

// ErrAlreadyRegistered is returned by Register when the actor system already
// has a ports extension (registered explicitly, or created with the defaults
// by the first channel); it also matches messages.ErrInvalidState.
var ErrAlreadyRegistered = domerr.New("ports", messages.ErrInvalidState, "the actor system already has a ports extension")

// ErrPortClosed is what PostMessage returns, with WithPostErrors(true), for
// a message it dropped because the port was closed (by its owner, by the
// overflow policy, or because its owner is stopping) or because the post
// doomed the channel (the transfer list held the port's own other end).
// It also matches messages.ErrInvalidState. Without the option the drop is
// silent, as on the web.
var ErrPortClosed = domerr.New("ports", messages.ErrInvalidState, "the port is closed: the message was dropped")

// ErrDetached is what PostMessage returns, with WithPostErrors(true), for a
// message it dropped because the port was transferred away (posted in an
// earlier message's transfer list: the web calls such a port detached).
// It also matches messages.ErrInvalidState.
var ErrDetached = domerr.New("ports", messages.ErrInvalidState, "the port was transferred to another owner: the message was dropped")

// newError returns an error of this package that carries one of the
// messages package's DOMException sentinels, so callers match it with
// errors.Is(err, messages.ErrInvalidState) and friends.
func newError(kind *messages.DOMException, msg string) error {
	return domerr.New("ports", kind, msg)
}
