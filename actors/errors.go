package actors

import "github.com/entangle-go/entangle/messages"

// actorsError is an error raised by this package. It carries one of the
// messages package's DOMException sentinels, so callers match it with
// errors.Is(err, messages.ErrSyntax) and friends.
type actorsError struct {
	kind *messages.DOMException
	msg  string
}

func newError(kind *messages.DOMException, msg string) error {
	return &actorsError{kind: kind, msg: msg}
}

func (e *actorsError) Error() string { return "actors: " + e.kind.Name + ": " + e.msg }

func (e *actorsError) Unwrap() error { return e.kind }
