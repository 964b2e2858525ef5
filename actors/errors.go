package actors

import (
	"github.com/entangle-go/entangle/internal/domerr"
	"github.com/entangle-go/entangle/messages"
)

// The package's sentinel errors. Each is also an error of the messages
// package's DOMException family: errors.Is(err, ErrShutdown) and
// errors.Is(err, messages.ErrInvalidState) both hold for it. The package
// doc's "Errors" section lists which calls return which.
var (
	// ErrAlreadyRegistered is returned by Register, with the existing plugin, when the actor system has the plugin already.
	ErrAlreadyRegistered = newError(messages.ErrInvalidState, "the actor system already has the entangle plugin")
	// ErrShutdown is returned by calls that would start a context after Plugin.Shutdown has begun.
	ErrShutdown = newError(messages.ErrInvalidState, "the plugin is shut down")
	// ErrClosed is returned by a Bridge or BridgePort whose queue has ended (the port got its CloseEvent, or the bridge closed) and been emptied.
	ErrClosed = newError(messages.ErrInvalidState, "closed")
)

// newError returns an error of this package that carries one of the
// messages package's DOMException sentinels, so callers match it with
// errors.Is(err, messages.ErrSyntax) and friends.
func newError(kind *messages.DOMException, msg string) error {
	return domerr.New("actors", kind, msg)
}
