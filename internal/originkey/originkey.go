package originkey

// Of returns the key of an origin.Origin (its argument): the serialization
// of a tuple origin, and "opaque:" followed by a private identity for an
// opaque origin, so that an opaque origin's key matches only itself.
// Package origin sets it in its init; it panics for anything but an
// origin.Origin.
var Of func(o any) string
