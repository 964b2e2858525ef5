// Package flatrec lets the ports package write and read the binary record
// of a flat struct (a struct, or a pointer to one, whose fields are all
// booleans, integers, floats, strings or such structs held by value)
// without building a Record, for
// messages that cross nodes. The messages package owns the record format
// and sets these functions in its init; nothing here is public API.
package flatrec
