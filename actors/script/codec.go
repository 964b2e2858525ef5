package script

import (
	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// The structured clone of a realm's JavaScript values (the HTML Standard's
// StructuredSerializeWithTransfer and StructuredDeserializeWithTransfer),
// through the same messages.Record that Go values travel in (see
// internal/jsrec). The codec is in clone_*.go; the realm reaches it only
// through what this file declares.

// portHost is what the codec needs from the realm's MessagePort objects.
type portHost interface {
	// portOf reports whether o is one of this realm's MessagePort objects
	// and, if it is, the port it stands for (nil once it was transferred
	// away: a detached port).
	portOf(o *goja.Object) (p *ports.MessagePort, ok bool)
	// adoptPort returns a new MessagePort object of this realm for a port
	// that arrived with a message (or was transferred by structuredClone).
	adoptPort(p *ports.MessagePort) *goja.Object
	// detachPort marks o as transferred: it no longer stands for a port.
	detachPort(o *goja.Object)
}

// serialized is a value serialized with its transfer list: the Record and
// the ports of its external slots, in slot order. Nothing is detached yet:
// commit detaches the transfer list's ArrayBuffers and ports (call it once
// the post has succeeded); abort drops the Record instead (call it if the
// post failed, or if the Record was not handed on).
type serialized struct {
	Record *messages.Record
	Ports  []*ports.MessagePort

	commitFn func()
}

func (s *serialized) commit() {
	if s.commitFn != nil {
		s.commitFn()
		s.commitFn = nil
	}
}

func (s *serialized) abort() {
	if s.Record != nil {
		s.Record.Release()
		s.Record = nil
	}
	s.commitFn = nil
}

// codec is one realm's structured clone. All its methods run on the
// realm's actor, inside a task.
//
// serialize checks the transfer list as the standard orders it (every
// entry an ArrayBuffer or a MessagePort of this realm, none twice), then
// serializes v, then checks that no entry is detached (a getter may have
// detached one); any failure is a DataCloneError and detaches nothing. Errors are either a
// *goja.Exception that a getter (or a proxy trap) threw, to be rethrown as
// is, or an error matching messages.ErrDataClone whose text gives the path
// inside the value, to be thrown as a DOMException named DataCloneError.
//
// deserialize rebuilds a Record as a value of this realm, ports being the
// ports of its external slots in order (already adopted by this realm's
// actor); it releases the Record. An error is a failure to rebuild (the
// receiver's messageerror).
//
// fromGo makes a value of this realm from the Go value a Go context in this
// process posted (already the receiver's own copy), by the table in the
// package doc; an error is the receiver's messageerror.
type codec interface {
	serialize(v goja.Value, transfer []goja.Value) (*serialized, error)
	deserialize(rec *messages.Record, ports []*ports.MessagePort) (goja.Value, error)
	fromGo(v any) (goja.Value, error)
}

// newCodec makes the codec of a realm: rt is its runtime, internal the
// realm's private object shared by its JavaScript files (see js/; the codec
// finds Blob and File support there: internal.blobData(o) and
// internal.makeBlob(...)), host its ports. It is called once, after the
// realm's own JavaScript has run and before any user script, so it can
// keep the realm's intrinsics (Map, Set, Date, the typed array
// constructors, ...) as they were before a script could replace them. Set
// by clone.go.
var newCodec func(rt *goja.Runtime, internal *goja.Object, host portHost) codec
