package script

import (
	"errors"
	"strconv"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/internal/rawmsg"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// The realm's MessagePort objects: each live one stands for a Go handle
// of package ports owned by the realm's actor. An object leaves the table
// when its port is transferred away, closed, or has had its close event;
// the JavaScript side keeps the brand of every MessagePort object.

// portEntry is one live MessagePort object.
type portEntry struct {
	obj  *goja.Object
	port *ports.MessagePort
	// handler is the function a message event at obj runs when its
	// onmessage is its only listener of the type (see onlyHandler).
	handler goja.Callable
}

type portTable struct {
	byObj  map[*goja.Object]*portEntry
	byPort map[*ports.MessagePort]*portEntry
}

func (t *portTable) init() {
	t.byObj = make(map[*goja.Object]*portEntry)
	t.byPort = make(map[*ports.MessagePort]*portEntry)
}

func (t *portTable) add(obj *goja.Object, p *ports.MessagePort) {
	e := &portEntry{obj: obj, port: p}
	t.byObj[obj] = e
	t.byPort[p] = e
}

func (t *portTable) remove(e *portEntry) {
	delete(t.byObj, e.obj)
	if t.byPort[e.port] == e {
		delete(t.byPort, e.port)
	}
}

// portOf implements portHost.
func (r *realm) portOf(o *goja.Object) (*ports.MessagePort, bool) {
	if e, ok := r.ports.byObj[o]; ok {
		return e.port, true
	}
	v, err := r.js.isPort(goja.Undefined(), o)
	return nil, err == nil && v.ToBoolean()
}

// adoptPort implements portHost: the object of a port the realm's actor
// owns (a new one unless the port has a live object already).
func (r *realm) adoptPort(p *ports.MessagePort) *goja.Object {
	if e, ok := r.ports.byPort[p]; ok {
		return e.obj
	}
	v, err := r.js.makePort(goja.Undefined())
	if err != nil {
		r.throw(err)
	}
	obj := v.(*goja.Object)
	r.ports.add(obj, p)
	return obj
}

// detachPort implements portHost.
func (r *realm) detachPort(o *goja.Object) {
	if e, ok := r.ports.byObj[o]; ok {
		r.ports.remove(e)
	}
}

// transferables returns the ports of a serialized value as a transfer
// list.
func transferables(ps []*ports.MessagePort) []messages.Transferable {
	if len(ps) == 0 {
		return nil
	}
	t := make([]messages.Transferable, len(ps))
	for i, p := range ps {
		t[i] = p
	}
	return t
}

// transferArray reads the transfer list the surface converted (an Array,
// or undefined for none).
func (r *realm) transferArray(v goja.Value) []goja.Value {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	n := int(o.Get("length").ToInteger())
	if n == 0 {
		return nil
	}
	out := make([]goja.Value, n)
	for i := range out {
		out[i] = o.Get(strconv.Itoa(i))
	}
	return out
}

// portPostWhat starts the messages of postMessage's TypeErrors.
const portPostWhat = "Failed to execute 'postMessage' on 'MessagePort'"

// methodPortPost is MessagePort.prototype.postMessage itself, a native
// (a function of script that reads its arguments.length makes an
// arguments object on every call, which costs more than the rest of the
// call): it checks its this (a MessagePort, open or not) and that a
// message was given, reads the transfer argument as the surface's
// transferArg does (a transfer list or options), then posts as
// nativePortPost.
func (r *realm) methodPortPost(c goja.FunctionCall) goja.Value {
	self, _ := c.This.(*goja.Object)
	if self == nil || r.ports.byObj[self] == nil {
		if v, err := r.js.isPort(goja.Undefined(), c.This); err != nil || !v.ToBoolean() {
			r.throwType("Illegal invocation")
		}
	}
	if len(c.Arguments) < 1 {
		r.throwType("Failed to execute 'postMessage': 1 argument required, but only 0 present.")
	}
	transfer := c.Argument(1)
	if !goja.IsUndefined(transfer) {
		list, err := r.transferArg(goja.Undefined(), transfer, r.rt.ToValue(portPostWhat))
		if err != nil {
			panic(err)
		}
		transfer = list
	}
	return r.nativePortPost(goja.FunctionCall{Arguments: []goja.Value{self, c.Argument(0), transfer}})
}

// nativePortPost is the surface's host.portPost(port, message, transfer)
// (transfer an Array or undefined).
func (r *realm) nativePortPost(c goja.FunctionCall) goja.Value {
	self, _ := c.Argument(0).(*goja.Object)
	transfer := r.transferArray(c.Argument(2))
	for _, t := range transfer {
		if t == goja.Value(self) {
			panic(r.domException("Failed to execute 'postMessage' on 'MessagePort': a port cannot be in its own transfer list", "DataCloneError"))
		}
	}
	s, err := r.codec.serialize(c.Argument(1), transfer)
	if err != nil {
		r.throw(err)
	}
	e := r.ports.byObj[self]
	if e == nil {
		// A closed or transferred port: the transfer happens, the
		// message is dropped.
		r.dropSerialized(s)
		return goja.Undefined()
	}
	r.post(s, func(data any, t []messages.Transferable) error {
		return e.port.PostMessage(r.ctx, data, t...)
	})
	return goja.Undefined()
}

// post hands a serialized value to a post function; the transfer is
// committed if the post succeeds, and its error is thrown otherwise.
func (r *realm) post(s *serialized, send func(data any, t []messages.Transferable) error) {
	rec := s.Record
	s.Record = nil // the post owns it from here, whatever happens
	if err := send(&rawmsg.Prepared{Record: rec}, transferables(s.Ports)); err != nil {
		s.abort()
		r.throw(err)
	}
	s.commit()
}

// dropSerialized completes the transfer of a message that goes nowhere:
// buffers are detached, ports closed (their peers get a close event).
func (r *realm) dropSerialized(s *serialized) {
	s.commit()
	for _, p := range s.Ports {
		_ = p.Close(r.ctx)
	}
	s.abort()
}

// nativePortStart is MessagePort.prototype.start().
func (r *realm) nativePortStart(c goja.FunctionCall) goja.Value {
	if e := r.ports.byObj[objectArg(c, 0)]; e != nil {
		if err := e.port.Start(r.ctx); err != nil {
			r.throw(err)
		}
	}
	return goja.Undefined()
}

// nativePortClose is MessagePort.prototype.close().
func (r *realm) nativePortClose(c goja.FunctionCall) goja.Value {
	e := r.ports.byObj[objectArg(c, 0)]
	if e == nil {
		return goja.Undefined()
	}
	if err := e.port.Close(r.ctx); err != nil {
		r.throw(err)
	}
	if r.plugin.Ports().CloseEvents() != ports.CloseEventsBoth {
		r.ports.remove(e)
	}
	// Under CloseEventsBoth the object stays until its own close event.
	return goja.Undefined()
}

// nativeNewChannel is new MessageChannel(): its two ports.
func (r *realm) nativeNewChannel(goja.FunctionCall) goja.Value {
	ch, err := ports.NewMessageChannel(r.ctx)
	if err != nil {
		r.throw(err)
	}
	return r.rt.NewArray(r.adoptPort(ch.Port1), r.adoptPort(ch.Port2))
}

// nativeStructuredClone is structuredClone(value, {transfer}).
func (r *realm) nativeStructuredClone(c goja.FunctionCall) goja.Value {
	s, err := r.codec.serialize(c.Argument(0), r.transferArray(c.Argument(1)))
	if err != nil {
		r.throw(err)
	}
	s.commit()
	rec, ps := s.Record, s.Ports
	s.Record = nil
	v, err := r.codec.deserialize(rec, ps)
	if err != nil {
		for _, p := range ps {
			_ = p.Close(r.ctx)
		}
		if !errors.Is(err, messages.ErrDataClone) {
			err = &messages.DataCloneError{Reason: "structuredClone: the value cannot be rebuilt", Err: err}
		}
		r.throw(err)
	}
	return v
}

// objectArg returns argument i as an object (nil if it is not one).
func objectArg(c goja.FunctionCall, i int) *goja.Object {
	o, _ := c.Argument(i).(*goja.Object)
	return o
}
