// Package jsrec is the seam between package messages, which owns the
// Record and its format, and the script host (package actors/script),
// which serializes JavaScript values into Records and deserializes Records
// into JavaScript values. A JavaScript realm takes part in structured clone
// through the same Record that Go values use, so a JS value travels to a
// Go context, or to another node, exactly as a Go value does.
//
// Package messages sets NewWriter and NewReader in its init; nothing here
// is public API. Records appear here as any (a *messages.Record), because
// messages imports this package.
//
// Strings are WTF-8: Go strings whose lone surrogates (U+D800 to U+DFFF,
// unpaired) are written as their three-byte generalized UTF-8 form, so that
// a JavaScript string survives a trip through Go and through another node
// unit for unit. Paired surrogates are written as the four-byte form of
// their code point, as UTF-8 does.
package jsrec
