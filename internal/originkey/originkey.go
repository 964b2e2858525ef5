// Package originkey is the private link from package actors/origin to
// package actors: window messages carry their target origin as a string,
// and an opaque origin's identity, which its String ("null") hides, must
// travel too. Nothing here is part of either package's public API.
package originkey

// Of returns the key of an origin.Origin (its argument): the serialization
// of a tuple origin, and "opaque:" followed by a private identity for an
// opaque origin, so that an opaque origin's key matches only itself.
// Package origin sets it in its init; it panics for anything but an
// origin.Origin.
var Of func(o any) string
