package ports

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

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

// roleState is what a port actor keeps for its role beyond the fields every
// role shares (those of portActor). Each role has a type of its own, so a
// field that means something in one role exists only there. An open,
// closing or done actor needs nothing beyond the shared fields: its state
// is an empty value, which costs no allocation, so an idle open port is no
// bigger than its shared fields.
//
// A port actor changes role only through become, which keeps its role and
// its state in step.
type roleState interface {
	role() role
	describe() string
}

// pendingState is the state of a successor that has not received its
// port's state yet: it claims it from the holder, and keeps what its owner
// asks of it meanwhile, to act on it once adopted (see adopt).
type pendingState struct {
	holder      *wire.Token // the token it claims with, naming the holder
	earlyPosts  []*postReq  // posted by the owner before the State came
	early       []any       // protocol messages that came before the State
	wantShip    uint64      // the owner shipped the port on: its nonce, 0 if not
	wantCustody *actor.PID  // with wantShip: the context the carrier went to, if known
	custodySeq  uint32      // with wantShip: the newest Landed seen
	wantClose   bool        // the owner closed the port
	wantAbandon bool        // with wantShip: the carrier was abandoned
	claim       *wire.Claim // with wantShip: the next successor's Claim, served once shipping
}

// shippingState is the state of a port frozen inside a message: it holds
// what arrives for the successor until the successor claims it.
type shippingState struct {
	nonce      uint64         // the nonce of the token that carries the port
	custodian  *actor.PID     // watched: the actor that has the carrier
	custodySeq uint32         // the newest Landed seen
	closeFired bool           // the owner had seen the close event before the port left
	retained   []*inMsg       // the queue and what arrived since, for the successor
	held       []*wire.Bypass // bypass requests kept for the successor

	// next is the state this actor becomes once it has served the claim:
	// made with this one, so that a transfer costs no allocation more.
	next proxyState
}

// proxyState is the state of a port actor that forwards to its successor
// until the route bypasses it.
type proxyState struct {
	ackFrom *wire.Ref   // the actor that acknowledged this proxy's Bypass
	owed    []*wire.Ref // proxies whose Bypass waits for this one to retire (BypassRetry)
}

// pendingStart is what a pending actor is made with: its role state and
// its neighbours record in one allocation (a pending actor always gets
// messages, so it always needs the record).
type pendingStart struct {
	state pendingState
	nb    neighbours
}

// shipStart is the state of an actor shipped while it had no neighbours
// record yet (an idle port): both in one allocation (see newShipping).
type shipStart struct {
	state shippingState
	nb    neighbours
}

// newShipping returns a shipping state for this actor (to pass to become),
// making the neighbours record with it if there is none yet.
func (a *portActor) newShipping(nonce uint64, custodian *actor.PID) *shippingState {
	if a.neighbours != nil {
		return &shippingState{nonce: nonce, custodian: custodian}
	}
	st := &shipStart{state: shippingState{nonce: nonce, custodian: custodian}}
	a.neighbours = &st.nb
	return &st.state
}

type (
	openState    struct{}
	closingState struct{}
	doneState    struct{}
)

func (*pendingState) role() role  { return rolePending }
func (openState) role() role      { return roleOpen }
func (*shippingState) role() role { return roleShipping }
func (*proxyState) role() role    { return roleProxy }
func (closingState) role() role   { return roleClosing }
func (doneState) role() role      { return roleDone }

func (s *pendingState) describe() string {
	return fmt.Sprintf("early=%d earlyPosts=%d wantShip=%v wantClose=%v claim=%v", len(s.early), len(s.earlyPosts), s.wantShip != 0, s.wantClose, s.claim != nil)
}

func (s *shippingState) describe() string {
	return fmt.Sprintf("retained=%d held=%d custodian=%v", len(s.retained), len(s.held), s.custodian)
}

func (s *proxyState) describe() string { return fmt.Sprintf("owed=%d", len(s.owed)) }
func (openState) describe() string     { return "" }
func (closingState) describe() string  { return "" }
func (doneState) describe() string     { return "" }

// become makes s this actor's role state: the one place a port actor
// changes role. It also keeps the count of proxies (Stats.Proxies).
func (a *portActor) become(s roleState) {
	r := s.role()
	switch {
	case a.role == roleProxy && r != roleProxy:
		a.ext().proxies.Add(-1)
	case a.role != roleProxy && r == roleProxy:
		a.ext().proxies.Add(1)
	}
	a.role, a.state = r, s
}

// pending returns the state of a pending actor, or nil in another role.
func (a *portActor) pending() *pendingState {
	s, _ := a.state.(*pendingState)
	return s
}

// shipping returns the state of a shipping actor, or nil in another role.
func (a *portActor) shipping() *shippingState {
	s, _ := a.state.(*shippingState)
	return s
}

// proxy returns the state of a proxy, or nil in another role.
func (a *portActor) proxy() *proxyState {
	s, _ := a.state.(*proxyState)
	return s
}
