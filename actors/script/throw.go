package script

import (
	"errors"
	"strings"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/messages"
)

// throw throws err in JavaScript from a native: an exception a getter
// threw is rethrown as it is; any other error becomes a DOMException
// named as the web names it (DataCloneError, InvalidStateError, ...).
func (r *realm) throw(err error) {
	var exc *goja.Exception
	if errors.As(err, &exc) {
		panic(exc)
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		panic(ie)
	}
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		panic(so) // uncatchable, as everywhere in goja
	}
	name := domName(err)
	panic(r.domException(webMessage(err.Error(), name), name))
}

// webMessage drops the Go prefix of an error's text ("messages:
// DataCloneError: ", "ports: InvalidStateError: "): a DOMException carries
// its name apart, and a script sees the message as a browser words it, a
// sentence that says what failed and where.
func webMessage(msg, name string) string {
	if i := strings.Index(msg, name+": "); i >= 0 && i <= len("messages: ") {
		msg = msg[i+len(name)+2:]
	}
	if msg != "" && msg[0] >= 'a' && msg[0] <= 'z' {
		msg = string(msg[0]-'a'+'A') + msg[1:]
	}
	return msg
}

// domName returns the DOMException name of err.
func domName(err error) string {
	switch {
	case errors.Is(err, messages.ErrDataClone):
		return "DataCloneError"
	case errors.Is(err, messages.ErrInvalidState):
		return "InvalidStateError"
	case errors.Is(err, messages.ErrSyntax):
		return "SyntaxError"
	}
	var de *messages.DOMException
	if errors.As(err, &de) && de.Name != "" {
		return de.Name
	}
	return "InvalidStateError"
}

// domException makes a DOMException of the realm.
func (r *realm) domException(msg, name string) goja.Value {
	v, err := r.js.domException(goja.Undefined(), r.rt.ToValue(msg), r.rt.ToValue(name))
	if err != nil {
		return r.rt.NewTypeError(msg)
	}
	return v
}

// throwType throws a TypeError.
func (r *realm) throwType(msg string) {
	panic(r.rt.NewTypeError(msg))
}

// throwSyntax throws a SyntaxError (of the realm's own intrinsic, kept
// before any script ran).
func (r *realm) throwSyntax(msg string) {
	if o, err := r.rt.New(r.syntaxError, r.rt.ToValue(msg)); err == nil {
		panic(o)
	}
	panic(r.rt.NewTypeError(msg))
}

// throwRange throws a RangeError (of the realm's own intrinsic, kept
// before any script ran).
func (r *realm) throwRange(msg string) {
	if o, err := r.rt.New(r.rangeError, r.rt.ToValue(msg)); err == nil {
		panic(o)
	}
	panic(r.rt.NewTypeError(msg))
}
