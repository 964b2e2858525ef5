// Package primrec lets the ports package write and read the binary record
// of a primitive (messages.IsPrimitive) without building a Record, for
// messages that cross nodes. The messages package owns the record format
// and sets these functions in its init; nothing here is public API.
package primrec
