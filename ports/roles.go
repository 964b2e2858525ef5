package ports

// role is what a port actor is doing for its end of the channel.
//
//	pending  -> open -> shipping -> proxy -> (stopped)
//	pending  -> shipping (shipped again before it got its state)
//	open     -> closing (tombstone) -> (stopped)
//
// Only an open actor numbers messages; every other role forwards numbers
// unchanged, and every role reorders what it receives by number, so the
// protocol needs nothing but FIFO order per sender and receiver.
type role uint8

const (
	rolePending  role = iota // successor waiting for the holder's State
	roleOpen                 // the live end: numbers outgoing messages, queues incoming ones
	roleShipping             // frozen: the port is in a message; waits for its successor's Claim
	roleProxy                // forwards to the successor until the route bypasses it
	roleClosing              // closed here: drops what still arrives until the other end confirms
	roleDone                 // stopping
)

func (r role) String() string {
	return [...]string{"pending", "open", "shipping", "proxy", "closing", "done"}[r]
}
