package actors

import (
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/internal/originkey"
	"github.com/entangle-go/entangle/messages"
)

// targetAny is the target origin "*" as it travels with a window message.
const targetAny = "*"

// originKey is the form of o that travels with a window message as its
// target origin, and identifies a shared worker's constructor origin: the
// serialization of a tuple origin, a private identity for an opaque one.
func originKey(o origin.Origin) string { return originkey.Of(o) }

// resolveTargetOrigin turns the targetOrigin argument of postMessage into
// the key the receiver checks: "*" for any, the sender's own origin for
// "/", otherwise the origin of the parsed URL. An unparsable value is a
// SyntaxError, raised before anything is serialized.
func resolveTargetOrigin(target string, sender origin.Origin) (string, error) {
	switch target {
	case "*":
		return targetAny, nil
	case "/":
		return originKey(sender), nil
	}
	o, err := origin.Parse(target)
	if err != nil {
		return "", newError(messages.ErrSyntax, "postMessage: targetOrigin '"+target+"' is not \"*\", \"/\" or an absolute URL")
	}
	return originKey(o), nil
}

// accepts reports whether a context whose origin is o may receive a window
// message whose target origin key is target.
func accepts(o origin.Origin, target string) bool {
	return target == targetAny || target == originKey(o)
}
