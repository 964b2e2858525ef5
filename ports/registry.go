package ports

import (
	"reflect"
	"unsafe"

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

// portMailboxOf returns the port mailbox of a process, if it is a local
// port actor's.
func portMailboxOf(p actor.Process) *portMailbox {
	ap, ok := p.(*actor.ActorProcess)
	if !ok || ap == nil || !processLayoutOK {
		return nil
	}
	mb, _ := (*actorProcessFields)(unsafe.Pointer(ap)).mailbox.(*portMailbox)
	return mb
}

// coreOf returns the core of a live local port actor: one that has started
// and not yet begun to stop (see portCore.live).
func (e *Extension) coreOf(pid *actor.PID) *portCore {
	if pid == nil || !e.isLocal(pid) {
		return nil
	}
	p, ok := e.system.ProcessRegistry.GetLocal(pid.GetId())
	if !ok {
		return nil
	}
	mb := portMailboxOf(p)
	if mb == nil || !mb.core.isLive() {
		return nil
	}
	return mb.core
}
