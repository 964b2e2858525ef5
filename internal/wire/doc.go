// Package wire holds the protobuf messages that entangle's actors exchange
// and that may cross nodes through protoactor's remote layer. The set is
// closed and versioned (package entangle.wire.v1, Version below): user data
// only ever travels inside the messages package's Record bytes.
package wire

// Version is the protocol version nodes compare at first contact (the
// ports package's Hello); a node of another version is refused.
//
// Version 2: every user message names its sender (Msg.from) and PrevIs
// names its sender's last message (PrevIs.last).
//
// Version 3: RebuildFailed, which tells the sending end that the other
// end could not rebuild one of its messages.
//
// Version 4: the messages record format version 2 (the node kinds of
// JavaScript values: arrays with holes, wrapper objects, Dates, Errors with
// a cause, Blobs and Files), which a version-3 node cannot read.
//
// Version 5: Run, several numbered user messages in one protoactor
// message, which a version-4 node does not know.
//
// Version 6: the messages record format version 3 (an Error's message may
// be undefined: the error has no own message property), which a version-5
// node cannot read.
const Version = 6

// UnstartedAddress is the address protoactor gives an actor system, and
// every PID it spawns, before remote starts: such PIDs are local to the
// process and cannot be answered from another node.
const UnstartedAddress = "nonhost"
