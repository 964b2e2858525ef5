package domerr

import "github.com/entangle-go/entangle/messages"

// Error is "<pkg>: <DOMException name>: <msg>", and unwraps to Kind.
type Error struct {
	Pkg  string
	Kind *messages.DOMException
	Msg  string
}

// New returns an *Error.
func New(pkg string, kind *messages.DOMException, msg string) error {
	return &Error{Pkg: pkg, Kind: kind, Msg: msg}
}

func (e *Error) Error() string { return e.Pkg + ": " + e.Kind.Name + ": " + e.Msg }

// Unwrap returns the DOMException sentinel, for errors.Is.
func (e *Error) Unwrap() error { return e.Kind }
