package messages

import (
	"errors"
	"reflect"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// DOMException is an error named after one of the web's DOMException names
// (DataCloneError, InvalidStateError, SyntaxError, ...). Two DOMExceptions
// match under [errors.Is] when their names are equal, so callers compare
// against the sentinels ErrDataClone, ErrInvalidState and ErrSyntax.
type DOMException struct {
	Name    string // the DOMException name, e.g. "DataCloneError"
	Message string // human readable detail; may be empty
}

// Error returns "messages: <Name>: <Message>", or "messages: <Name>" when
// Message is empty.
func (e *DOMException) Error() string {
	name := e.Name
	if name == "" {
		name = "Error"
	}
	if e.Message == "" {
		return "messages: " + name
	}
	return "messages: " + name + ": " + e.Message
}

// Is reports whether target is a *DOMException with the same Name.
func (e *DOMException) Is(target error) bool {
	t, ok := target.(*DOMException)
	return ok && t.Name == e.Name
}

// Sentinels for [errors.Is]. Do not modify them.
var (
	// ErrDataClone matches every error that says a value could not be
	// serialized, deserialized or transferred (the web's DataCloneError),
	// including every *DataCloneError.
	ErrDataClone = &DOMException{Name: "DataCloneError"}
	// ErrInvalidState matches the web's InvalidStateError.
	ErrInvalidState = &DOMException{Name: "InvalidStateError"}
	// ErrSyntax matches the web's SyntaxError.
	ErrSyntax = &DOMException{Name: "SyntaxError"}
	// ErrRange matches errors from the view constructors (NewTypedArray,
	// NewDataView) for offsets and lengths outside the buffer. On the web
	// this is the ECMAScript RangeError, not a DOMException; it shares the
	// type so that errors.Is works the same way.
	ErrRange = &DOMException{Name: "RangeError"}
)

// ErrLimitExceeded is wrapped (through DataCloneError.Err) by the errors that
// DecodeRecord and Deserialize return when a record exceeds a decode limit
// (see WithMaxDepth, WithMaxBytes and WithMaxElements), and by Serialize
// when a value is nested deeper than DefaultMaxDepth. Such errors also
// match ErrDataClone.
var ErrLimitExceeded = errors.New("messages: decode limit exceeded")

// ErrCorruptRecord is wrapped (through DataCloneError.Err) by the errors
// that DecodeRecord and Deserialize return for bytes or records that are not
// a well-formed record. Such errors also match ErrDataClone.
var ErrCorruptRecord = errors.New("messages: corrupt record")

// DataCloneError says why and where a value could not be cloned. It matches
// ErrDataClone under [errors.Is]. Every field may be empty; Error formats
// whatever is set.
type DataCloneError struct {
	// Path locates the failing part of the value: "" for the root,
	// ".Items[3].Callback" for a field inside an element, `["key"]` for a
	// map entry, "transfer[2]" for an entry of the transfer list.
	Path string
	// Type is the Go type that failed, or nil when not applicable.
	Type reflect.Type
	// Reason says what failed, e.g. "func values cannot be cloned".
	Reason string
	// Err is the underlying cause, if any (returned by Unwrap): an error
	// from MarshalBinary, ErrLimitExceeded, ErrCorruptRecord, ...
	Err error

	pathBuf []byte // a long Path's bytes, at its end (see prependPath)
}

// Error returns a message of the form
// "messages: DataCloneError: <Reason>: <Err> at <Path> (type <Type>)",
// leaving out the parts whose fields are empty. A Path longer than 240
// bytes (a value nested thousands of levels deep, say) shows its first and
// last 100 bytes and how many lie between; the field keeps all of it.
func (e *DataCloneError) Error() string {
	s := "messages: DataCloneError"
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Path != "" {
		s += " at " + shortPath(e.Path)
	}
	if e.Type != nil {
		s += " (type " + e.Type.String() + ")"
	}
	return s
}

// shortPath is p, or its first and last 100 bytes around the number of
// bytes left out when p is longer than 240 bytes (cut at code point
// boundaries).
func shortPath(p string) string {
	const keep = 100
	if len(p) <= 240 {
		return p
	}
	head, tail := keep, len(p)-keep
	for head > 0 && !utf8.RuneStart(p[head]) {
		head--
	}
	for tail < len(p) && !utf8.RuneStart(p[tail]) {
		tail++
	}
	return p[:head] + "…(" + strconv.Itoa(tail-head) + " bytes)…" + p[tail:]
}

// Is reports whether target is ErrDataClone (or any *DOMException named
// "DataCloneError").
func (e *DataCloneError) Is(target error) bool {
	t, ok := target.(*DOMException)
	return ok && t.Name == ErrDataClone.Name
}

// Unwrap returns Err.
func (e *DataCloneError) Unwrap() error { return e.Err }

// cloneErr builds a *DataCloneError for the root of the current value; the
// callers up the stack prepend their path components.
func cloneErr(t reflect.Type, reason string) *DataCloneError {
	return &DataCloneError{Type: t, Reason: reason}
}

// corrupt builds the error for a malformed record.
func corrupt(reason string) *DataCloneError {
	return &DataCloneError{Reason: "corrupt record: " + reason, Err: ErrCorruptRecord}
}

// limitErr builds the error for an exceeded limit.
func limitErr(reason string) *DataCloneError {
	return &DataCloneError{Reason: reason, Err: ErrLimitExceeded}
}

// prependPath adds a path component in front of a *DataCloneError's path as
// the error travels up the value. Other errors pass unchanged.
func prependPath(err error, component string) error {
	if e, ok := err.(*DataCloneError); ok {
		e.prepend(component)
	}
	return err
}

// prepend puts c in front of e.Path. A path is built from the inside out,
// a component a level, and a value may be nested thousands of levels deep
// (up to the depth limit): a long path is therefore kept at the end of a
// buffer that grows toward its front, doubling when full, so that each
// component costs its own bytes, not the whole path's again. Path is a
// view of the buffer's used end, whose bytes are never written again (a
// component is written only below it). If Path was set since, the buffer
// starts again from it.
func (e *DataCloneError) prepend(c string) {
	p := e.Path
	if len(p)+len(c) <= 128 {
		e.Path, e.pathBuf = c+p, nil
		return
	}
	b := e.pathBuf
	start := len(b) - len(p)
	if start < 0 || len(p) == 0 || unsafe.StringData(p) != &b[start] {
		b = nil // Path is not the buffer's end (set since, or short until now)
	}
	if b == nil || start < len(c) {
		nb := make([]byte, 2*(len(p)+len(c))+64)
		start = len(nb) - len(p)
		copy(nb[start:], p)
		b = nb
	}
	start -= len(c)
	copy(b[start:], c)
	e.pathBuf = b
	e.Path = unsafe.String(&b[start], len(b)-start)
}
