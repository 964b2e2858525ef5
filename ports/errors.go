package ports

import "github.com/entangle-go/entangle/messages"

// portsError is an error raised by this package. It carries one of the
// messages package's DOMException sentinels, so callers match it with
// errors.Is(err, messages.ErrInvalidState) and friends.
type portsError struct {
	kind *messages.DOMException
	msg  string
}

func newError(kind *messages.DOMException, msg string) error {
	return &portsError{kind: kind, msg: msg}
}

func (e *portsError) Error() string { return "ports: " + e.kind.Name + ": " + e.msg }

func (e *portsError) Unwrap() error { return e.kind }
