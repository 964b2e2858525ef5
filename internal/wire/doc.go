// Package wire holds the protobuf messages that entangle's actors exchange
// and that may cross nodes through protoactor's remote layer. The set is
// closed and versioned (package entangle.wire.v1, Version below): user data
// only ever travels inside the messages package's Record bytes.
package wire

// Version is the protocol version nodes compare at first contact.
const Version = 1
