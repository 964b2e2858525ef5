package messages

// Error is the web's Error object as structured clone keeps it. A Go error
// that cannot be cloned with its own type (for instance one made by
// errors.New or fmt.Errorf, whose fields are unexported) becomes an *Error
// with Name "Error" and Message err.Error() when it sits in an error or any
// position.
//
// Cloning an Error keeps Message, Stack and Cause and keeps Name only when it is
// one of the standard names (Error, EvalError, RangeError, ReferenceError,
// SyntaxError, TypeError, URIError); any other name becomes "Error", as the
// HTML Standard says.
type Error struct {
	Name    string // one of the standard error names; see above
	Message string
	Stack   string // optional; kept as is
	// Cause is the error's cause, cloned as any other value (nil: no
	// cause). A cause that cannot be cloned fails the clone.
	Cause any
}

// NewError returns an *Error with the given name (replaced by "Error" when
// it is not a standard name) and message.
func NewError(name, message string) *Error {
	return &Error{Name: errorName(name), Message: message}
}

// Error formats the error like JavaScript's Error.prototype.toString:
// "Name: Message", or just the name or the message when the other is empty.
func (e *Error) Error() string {
	switch {
	case e.Name == "":
		return e.Message
	case e.Message == "":
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// errorName restricts name to the standard error names.
func errorName(name string) string {
	switch name {
	case "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError":
		return name
	}
	return "Error"
}
