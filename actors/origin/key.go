package origin

import "github.com/entangle-go/entangle/internal/originkey"

func init() {
	originkey.Of = func(o any) string { return o.(Origin).key() }
}

// key is the form of o that travels in a message as a window message's
// target origin: the serialization for a tuple, and a private identity for
// an opaque origin (which must match only itself, so "null" will not do).
func (o Origin) key() string {
	if o.opaque != "" {
		return "opaque:" + o.opaque
	}
	return o.String()
}
