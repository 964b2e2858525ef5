package messages

import "reflect"

// An error value at an error or any position keeps its Go type when it
// clones structurally. When it does not, because of its type (unexported
// fields: see goError) or because of what it holds (an interface field
// holding a func, or a value with unexported fields, such as the
// reflect.Type of a *DataCloneError), it becomes an *Error like any other
// error that cannot keep its type: on the web every Error object clones.
// Failures that are not about types stay errors: a detached ArrayBuffer, a
// transferable missing from the transfer list, a value nested too deep, a
// failing MarshalBinary.

// planErr returns a copy of p's static error (the caller prepends its path
// to the copy) and remembers it as the latest type error.
func (e *encoder) planErr(p *plan) error {
	c := *p.err
	e.typeErr = &c
	return &c
}

// emptyErr refuses an empty (or nil) slice, array or map whose element or
// key type cannot be cloned: types are refused as types, as a nil func
// field is, even when no value of them is present (a non-empty one fails
// at its first element instead, with that element's path). It returns nil
// when p has no such problem.
func (e *encoder) emptyErr(p *plan) error {
	if p.elemErr == nil {
		return nil
	}
	c := *p.elemErr
	c.Reason = "the element type of " + p.t.String() + " cannot be cloned: " + c.Reason
	e.typeErr = &c
	return &c
}

// errorValueOrError serializes v, an error of structurally cloneable type
// p.t at a position where an *Error fits. If a type error stops it, the
// nodes written so far are taken back and v is recorded as an *Error.
func (e *encoder) errorValueOrError(p *plan, v any, typ uint32) error {
	m := e.mark()
	err := e.value(p, reflect.ValueOf(v), typ, v)
	if err == nil || e.typeErr == nil || err != error(e.typeErr) {
		return err
	}
	e.rollback(m)
	return e.goError(v.(error), p)
}

// encoderMark is the encoder's state at one point, to roll back to.
type encoderMark struct {
	nodes, strs, ifaces, blobs, times, protos int
	nobj, size, depth                         int
}

func (e *encoder) mark() encoderMark {
	r := e.r
	return encoderMark{len(e.nodes), len(e.strs), len(e.ifaces), len(r.blobs), len(r.times), len(r.protos),
		r.nobj, r.size, e.depth}
}

// rollback forgets everything recorded since m: nodes, payloads and the
// objects that got ids (so that later references to them record them anew).
func (e *encoder) rollback(m encoderMark) {
	r := e.r
	clear(e.strs[m.strs:])
	clear(e.ifaces[m.ifaces:])
	clear(r.blobs[m.blobs:])
	clear(r.times[m.times:])
	clear(r.protos[m.protos:])
	e.nodes, e.strs, e.ifaces = e.nodes[:m.nodes], e.strs[:m.strs], e.ifaces[:m.ifaces]
	r.blobs, r.times, r.protos = r.blobs[:m.blobs], r.times[:m.times], r.protos[:m.protos]
	if e.nfirst && int(e.firstID) >= m.nobj {
		e.nfirst = false
	}
	for k, id := range e.mem {
		if int(id) >= m.nobj {
			delete(e.mem, k)
		}
	}
	r.nobj, r.size, e.depth = m.nobj, m.size, m.depth
	e.typeErr = nil
}
