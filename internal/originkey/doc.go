// Package originkey is the private link from package actors/origin to
// package actors: window messages carry their target origin as a string,
// and an opaque origin's identity, which its String ("null") hides, must
// travel too. Nothing here is part of either package's public API.
package originkey
