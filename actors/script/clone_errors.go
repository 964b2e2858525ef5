package script

import (
	"strconv"

	"github.com/entangle-go/entangle/messages"
)

// cloneError is a DataCloneError for the part of the value being
// serialized; the containers on the way up prepend their path components,
// and serialize prepends "value" (or "transfer[i]" for the transfer list).
func cloneError(reason string) error {
	return &messages.DataCloneError{Reason: reason}
}

// atPath prepends a path component to a DataCloneError; other errors (a
// script's exception) pass unchanged.
func atPath(err error, component string) error {
	if e, ok := err.(*messages.DataCloneError); ok {
		e.Path = component + e.Path
	}
	return err
}

// keyPath is the path component of the property key k: ".k" for an
// identifier, "[3]" for an array index, `["a b"]` otherwise.
func keyPath(k string) string {
	if isIdentifierName(k) {
		return "." + k
	}
	if isArrayIndex(k) {
		return "[" + k + "]"
	}
	return "[" + strconv.Quote(k) + "]"
}

func isIdentifierName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// isIndex reports whether k is an array index in canonical form.
func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || len(k) > 1 && k[0] == '0' {
		return false
	}
	n := uint64(0)
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
		n = n*10 + uint64(k[i]-'0')
	}
	return n < 1<<32-1
}
