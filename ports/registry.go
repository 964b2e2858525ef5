package ports

import (
	"reflect"
	"sync/atomic"
	"unsafe"

	"google.golang.org/protobuf/runtime/protoimpl"

	"github.com/asynkron/protoactor-go/actor"
)

// A local port actor's core is found from its PID through protoactor's own
// process registry, which holds every local actor anyway: the registry
// gives the actor's *actor.ActorProcess, the process holds the mailbox the
// port props made (a *portMailbox), and the mailbox names the core. An
// index of our own would cost an entry per port for as long as the port
// lives (issue 12's memory per idle channel).
//
// protoactor keeps the process's mailbox in an unexported field, so it is
// read through a struct of the same layout. processLayoutOK checks that
// layout against the pinned protoactor once; if it ever differs, no core is
// found, and every message takes the slower path through the port actors,
// which is correct on its own (see fast.go): the extension logs a warning
// when it starts, and TestProcessLayout fails.

// actorProcessFields mirrors actor.ActorProcess.
type actorProcessFields struct {
	mailbox actor.Mailbox
	dead    int32
}

var processLayoutOK = sameLayout(reflect.TypeFor[actor.ActorProcess](), reflect.TypeFor[actorProcessFields]())

// pidFields mirrors actor.PID, whose last field caches the process that
// PID.ref found in the registry the last time the PID was sent to.
type pidFields struct {
	state         protoimpl.MessageState
	sizeCache     protoimpl.SizeCache
	unknownFields protoimpl.UnknownFields

	Address   string
	Id        string
	RequestId uint32

	p *actor.Process
}

var pidLayoutOK = processLayoutOK && sameLayout(reflect.TypeFor[actor.PID](), reflect.TypeFor[pidFields]())

// localProcess returns the process registered under the id of pid, a PID
// of this process. A PID that protoactor has sent to caches its process
// (PID.ref), and a port actor's is taken from there, saving the registry's
// lookup, unless protoactor has marked it dead; a dead one is looked up
// instead, as PID.ref does. Protoactor marks a process dead when its stop
// is asked for, or just after the registry lets it go: in that moment a
// stopping port's process may still be returned, which is harmless, since
// its mailbox hands what reaches it to the extension as undelivered (and
// GetLocal, called a moment earlier, would have returned it too). Only
// this extension's port actors are taken from the cache, since a PID value
// can be sent to in two systems of one process.
func (e *Extension) localProcess(pid *actor.PID) (actor.Process, bool) {
	if pid == nil {
		return nil, false
	}
	if pidLayoutOK {
		f := (*pidFields)(unsafe.Pointer(pid))
		if pp := (*actor.Process)(atomic.LoadPointer((*unsafe.Pointer)(unsafe.Pointer(&f.p)))); pp != nil {
			if fields := actorFields(*pp); fields != nil {
				if mb, ok := fields.mailbox.(*portMailbox); ok && mb.core.own.ext == e && atomic.LoadInt32(&fields.dead) == 0 {
					return *pp, true
				}
			}
		}
	}
	return e.system.ProcessRegistry.GetLocal(pid.GetId())
}

// sameLayout reports whether two struct types have the same fields, by
// name, type and offset, and the same size.
func sameLayout(t, u reflect.Type) bool {
	if t.Size() != u.Size() || t.NumField() != u.NumField() {
		return false
	}
	for i := range t.NumField() {
		f, g := t.Field(i), u.Field(i)
		if f.Name != g.Name || f.Type != g.Type || f.Offset != g.Offset {
			return false
		}
	}
	return true
}

// actorFields returns the fields of a local actor's process, or nil for
// another kind of process (or if the layout differs).
func actorFields(p actor.Process) *actorProcessFields {
	ap, ok := p.(*actor.ActorProcess)
	if !ok || ap == nil || !processLayoutOK {
		return nil
	}
	return (*actorProcessFields)(unsafe.Pointer(ap))
}

// portMailboxOf returns the port mailbox of a process, if it is a local
// port actor's.
func portMailboxOf(p actor.Process) *portMailbox {
	f := actorFields(p)
	if f == nil {
		return nil
	}
	mb, _ := f.mailbox.(*portMailbox)
	return mb
}

// coreOf returns the core of a live local port actor: one that has started
// and not yet begun to stop (see portCore.live).
func (e *Extension) coreOf(pid *actor.PID) *portCore {
	if pid == nil || !e.isLocal(pid) {
		return nil
	}
	p, ok := e.localProcess(pid)
	if !ok {
		return nil
	}
	mb := portMailboxOf(p)
	if mb == nil || !mb.core.isLive() {
		return nil
	}
	return mb.core
}
