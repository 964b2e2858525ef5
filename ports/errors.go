package ports

import (
	"github.com/entangle-go/entangle/internal/domerr"
	"github.com/entangle-go/entangle/messages"
)

// newError returns an error of this package that carries one of the
// messages package's DOMException sentinels, so callers match it with
// errors.Is(err, messages.ErrInvalidState) and friends.
func newError(kind *messages.DOMException, msg string) error {
	return domerr.New("ports", kind, msg)
}
