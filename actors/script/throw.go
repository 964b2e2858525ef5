package script

import (
	"errors"

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
	panic(r.domException(err.Error(), domName(err)))
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

// throwRange throws a RangeError (of the realm's own intrinsic, kept
// before any script ran).
func (r *realm) throwRange(msg string) {
	if o, err := r.rt.New(r.rangeError, r.rt.ToValue(msg)); err == nil {
		panic(o)
	}
	panic(r.rt.NewTypeError(msg))
}
