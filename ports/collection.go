package ports

import (
	"errors"
	"fmt"
	"iter"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
)

// PortCollection is the PortCollection of the early Channel Messaging
// drafts (browsers dropped it; users write it by hand): a set of ports
// owned by one actor that posts one message to all of them. Like the ports
// it holds, it is used only from inside the owner's Receive; it is not safe
// for use from several goroutines. The zero value is an empty collection
// ready to use.
//
// A port leaves the collection by itself once it is closed, transferred
// (listed in a transfer list) or has had its CloseEvent (its other end
// closed or its route broke). Nothing is sent for that: every method
// looks at its ports' state first and drops those that have left, so Len
// and All never show them.
type PortCollection struct {
	ports []*MessagePort
	index map[*MessagePort]int // position in ports
}

// NewPortCollection returns an empty collection. The zero value works
// just as well.
func NewPortCollection() *PortCollection { return &PortCollection{} }

// Add puts port in the collection. It returns an error matching
// messages.ErrInvalidState, and adds nothing, if ctx's actor does not own
// the port or the port is closed, transferred or has had its CloseEvent.
// Adding a port that is already in the collection does nothing.
func (pc *PortCollection) Add(ctx actor.Context, port *MessagePort) error {
	if port == nil || port.core == nil {
		return newError(messages.ErrInvalidState, "PortCollection.Add of a nil MessagePort")
	}
	if err := port.core.checkOwner(ctx); err != nil {
		return err
	}
	if !inCollection(port) {
		return newError(messages.ErrInvalidState, "PortCollection.Add of a port that is closed, transferred or has had its CloseEvent")
	}
	if _, ok := pc.index[port]; ok {
		return nil
	}
	if pc.index == nil {
		pc.index = map[*MessagePort]int{}
	}
	pc.index[port] = len(pc.ports)
	pc.ports = append(pc.ports, port)
	return nil
}

// Remove takes port out of the collection; the port itself is left as it
// is. Removing a port that is not in the collection does nothing.
func (pc *PortCollection) Remove(port *MessagePort) {
	i, ok := pc.index[port]
	if !ok {
		return
	}
	copy(pc.ports[i:], pc.ports[i+1:])
	pc.ports[len(pc.ports)-1] = nil
	pc.ports = pc.ports[:len(pc.ports)-1]
	delete(pc.index, port)
	for j := i; j < len(pc.ports); j++ {
		pc.index[pc.ports[j]] = j
	}
}

// Has reports whether port is in the collection.
func (pc *PortCollection) Has(port *MessagePort) bool {
	pc.prune()
	_, ok := pc.index[port]
	return ok
}

// Len returns the number of ports in the collection.
func (pc *PortCollection) Len() int {
	pc.prune()
	return len(pc.ports)
}

// All returns the ports in the order they were added. The ports that
// have left (see PortCollection) are dropped before the iteration starts;
// the collection may be changed while iterating (the iteration goes over
// the ports it had when it started).
func (pc *PortCollection) All() iter.Seq[*MessagePort] {
	return func(yield func(*MessagePort) bool) {
		pc.prune()
		for _, p := range append([]*MessagePort(nil), pc.ports...) {
			if !yield(p) {
				return
			}
		}
	}
}

// PostMessage posts data to every port in the collection, in the order
// they were added; each port's other end gets the messages of this
// collection (and of the port's own PostMessage) in the order posted.
//
// The data is checked once: if it cannot be cloned, the error (matching
// messages.ErrDataClone) is returned and nothing is posted. A transfer
// list is always such an error, and nothing in it is detached: a
// transferable can go to one port only (post to that port alone).
//
// A broadcast costs no more than the separate posts it replaces: each
// receiver in this process gets a clone of its own (the receiver owns
// what it gets and may change it), and all the ports whose other end is
// on another node share one encoding of the data.
//
// A port that cannot take the message does not stop the others: the
// returned error joins one *PortError per such port (errors.Join), each
// matching what MessagePort.PostMessage would have returned (a port whose
// owner is not ctx's actor: messages.ErrInvalidState).
func (pc *PortCollection) PostMessage(ctx actor.Context, data any, transfer ...messages.Transferable) error {
	if len(transfer) > 0 {
		return &messages.DataCloneError{Reason: fmt.Sprintf("a PortCollection broadcast has %d transferables in its transfer list: a transferable can go to one port only", len(transfer))}
	}
	pc.prune()
	if len(pc.ports) == 0 {
		return nil
	}
	b := broadcast{data: data}
	if messages.IsPrimitive(data) {
		b.checked, b.prim = data, true // its own clone
	} else if pc.ports[0].core.own.ext.cfg.maxBytes == 0 {
		v, err := messages.StructuredClone(data)
		if err != nil {
			return err
		}
		b.checked = v
	} else {
		// Under a queue byte limit a message keeps its record (its
		// ByteSize is what the limit counts): each port posts as
		// PostMessage does, and the first says whether data clones.
		return pc.postEach(ctx, data)
	}
	var errs []error
	for _, p := range pc.ports {
		if err := b.post(ctx, p); err != nil {
			errs = append(errs, &PortError{Port: p, Err: err})
		}
	}
	return errors.Join(errs...)
}

// postEach posts data on each port with MessagePort.PostMessage. A data
// error of the first port is returned before any other port posts.
func (pc *PortCollection) postEach(ctx actor.Context, data any) error {
	var errs []error
	for i, p := range pc.ports {
		if err := p.PostMessage(ctx, data); err != nil {
			if i == 0 && errors.Is(err, messages.ErrDataClone) {
				return err
			}
			errs = append(errs, &PortError{Port: p, Err: err})
		}
	}
	return errors.Join(errs...)
}

// PortError is one port's failure in a PortCollection broadcast.
type PortError struct {
	Port *MessagePort
	Err  error
}

func (e *PortError) Error() string { return fmt.Sprintf("%v: %v", e.Port, e.Err) }

// Unwrap returns the port's error.
func (e *PortError) Unwrap() error { return e.Err }

// prune drops the ports that have left (see PortCollection).
func (pc *PortCollection) prune() {
	kept := pc.ports[:0]
	for _, p := range pc.ports {
		if inCollection(p) {
			pc.index[p] = len(kept)
			kept = append(kept, p)
		} else {
			delete(pc.index, p)
		}
	}
	clear(pc.ports[len(kept):])
	pc.ports = kept
}

// inCollection reports whether port may stay in a collection: open, and
// without its CloseEvent yet.
func inCollection(port *MessagePort) bool {
	c := port.core
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == handleOpen && !c.closeFired
}

// broadcast is one PortCollection.PostMessage under way.
type broadcast struct {
	data    any
	checked any  // the clone made to check data: the first local receiver gets it
	prim    bool // data is a primitive: every receiver gets it as it is
	used    bool // checked has gone to a receiver
	far     *sharedRecord
	farErr  error
}

// post posts the broadcast on p.
func (b *broadcast) post(ctx actor.Context, p *MessagePort) error {
	c := p.core
	if err := c.checkOwner(ctx); err != nil {
		return err
	}
	if !b.prim && c.sendsFar() {
		if b.far == nil && b.farErr == nil {
			b.far, b.farErr = encodeShared(b.checked)
		}
		if b.farErr != nil {
			return b.farErr
		}
		return postReady(ctx, c, inMsg{val: b.far})
	}
	v := b.checked
	if !b.prim {
		if b.used {
			var err error
			if v, err = messages.StructuredClone(b.data); err != nil {
				return err
			}
		}
		b.used = true
	}
	return postPlain(ctx, c, v)
}

// sharedRecord is data encoded once for every port of a broadcast whose
// other end is on another node: their messages carry the same bytes, as
// if they had come from there (see farData).
type sharedRecord struct{ b []byte }

func (s *sharedRecord) GetRecord() []byte      { return s.b }
func (s *sharedRecord) GetEncodeError() string { return "" }

// broadcastEncodes counts encodeShared calls (tests).
var broadcastEncodes func()

// encodeShared encodes v for the trip to other nodes.
func encodeShared(v any) (*sharedRecord, error) {
	if broadcastEncodes != nil {
		broadcastEncodes()
	}
	rec, err := messages.Serialize(v)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	b, err := rec.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return &sharedRecord{b: b}, nil
}
