package script

import (
	"errors"
	"strconv"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// errNoRecords is returned when package messages is not linked in, so no
// jsrec Writer or Reader exists.
var errNoRecords = errors.New("script: no Record writer or reader (package messages does not implement internal/jsrec)")

// serialize is StructuredSerializeWithTransfer. The transfer list is
// checked first, in the standard's order (each entry an ArrayBuffer or one
// of this realm's MessagePorts, none twice), without running any script
// code; then v is serialized (getters run and may throw, their exception
// returned as is); then each entry is checked again, in order, for being
// detached (by a getter, or before), which is a DataCloneError at
// "transfer[i]". Nothing is detached here: the result's commit does it.
func (c *jsCodec) serialize(v goja.Value, transfer []goja.Value) (*serialized, error) {
	if jsrec.NewWriter == nil {
		return nil, errNoRecords
	}
	s := c.free
	if s == nil {
		s = &serializer{c: c}
		s.run = s.top
	}
	c.free = nil
	defer c.release(s)
	s.w = jsrec.NewWriter()
	s.global = c.rt.GlobalObject()

	if err := s.listTransfer(transfer); err != nil {
		s.w.Abort()
		return nil, err
	}
	s.in = v
	ex := c.rt.Try(s.run)
	err := s.err
	s.in, s.err = nil, nil
	if ex != nil {
		err = ex
	}
	if err == nil {
		err = s.checkDetached(transfer)
	}
	if err != nil {
		s.w.Abort()
		return nil, err
	}
	moved := make([][]byte, len(s.bufs))
	for i, ab := range s.bufs {
		moved[i] = ab.Bytes()
	}
	s.w.SetTransferred(moved, len(s.ports))
	rec, err := s.w.Finish()
	if err != nil {
		return nil, err
	}
	out := &serialized{Record: rec.(*messages.Record)}
	if len(s.ports) > 0 || len(s.bufs) > 0 {
		bufs := append([]goja.ArrayBuffer(nil), s.bufs...)
		portObjs := append([]*goja.Object(nil), s.ports...)
		out.Ports = make([]*ports.MessagePort, len(portObjs))
		for i, o := range portObjs {
			out.Ports[i], _ = c.host.portOf(o)
		}
		out.commitFn = func() {
			for _, ab := range bufs {
				ab.Detach()
			}
			for _, o := range portObjs {
				c.host.detachPort(o)
			}
		}
	}
	return out, nil
}

// release readies s for reuse.
func (c *jsCodec) release(s *serializer) {
	s.w = nil
	s.mem.reset()
	s.depth = 0
	s.global = nil
	clear(s.bufs)
	s.bufs = s.bufs[:0]
	clear(s.ports)
	s.ports = s.ports[:0]
	c.free = s
}

// listTransfer puts the transfer list's entries into cloneMemory, as the
// standard's first loop does.
func (s *serializer) listTransfer(transfer []goja.Value) error {
	for i, v := range transfer {
		o, ok := v.(*goja.Object)
		if !ok {
			return atPath(cloneError("the value is not transferable"), "transfer["+strconv.Itoa(i)+"]")
		}
		if _, dup := s.mem.get(o); dup {
			return atPath(cloneError("the object appears twice in the transfer list"), "transfer["+strconv.Itoa(i)+"]")
		}
		if cloneKindOf(o) == kindArrayBuffer {
			s.mem.put(o, memEntry{id: -1, slot: len(s.bufs)})
			s.bufs = append(s.bufs, o.Export().(goja.ArrayBuffer))
			continue
		}
		if s.c.host != nil {
			if _, ok := s.c.host.portOf(o); ok {
				s.mem.put(o, memEntry{id: -1, slot: len(s.ports), port: true})
				s.ports = append(s.ports, o)
				continue
			}
		}
		return atPath(cloneError("the object is not transferable"), "transfer["+strconv.Itoa(i)+"]")
	}
	return nil
}

// checkDetached is the standard's second loop over the transfer list: an
// entry detached by now cannot be transferred.
func (s *serializer) checkDetached(transfer []goja.Value) error {
	for i, v := range transfer {
		o := v.(*goja.Object)
		e, _ := s.mem.get(o)
		detached := false
		if e.port {
			p, _ := s.c.host.portOf(o)
			detached = p == nil
		} else {
			detached = s.bufs[e.slot].Detached()
		}
		if detached {
			return atPath(cloneError("a detached object could not be transferred"), "transfer["+strconv.Itoa(i)+"]")
		}
	}
	return nil
}
