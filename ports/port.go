package ports

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
)

// MessagePort is one end of a MessageChannel: the web's MessagePort. It is a
// small handle to the port's actor, a child of the actor that owns it.
//
// A handle belongs to one owner and is used only from inside the owner's
// Receive (like a JavaScript object belongs to its realm). A call made by
// any other actor returns an error matching messages.ErrInvalidState and
// changes nothing.
//
// Once the port is transferred (listed in the transfer list of a posted
// message) or closed, this handle is inert: PostMessage still validates
// and transfers what its own transfer list names, then drops the message
// and returns nil; Start, Close and OnMessage return nil and do nothing;
// TryReceive reports nothing. The port lives on, under its new owner, as a
// new handle (MessageEvent.Ports).
type MessagePort struct {
	core *portCore
}

// PID returns the actor behind this handle. Every transfer makes a new
// actor, so the PID is for diagnostics, not for addressing the port.
func (p *MessagePort) PID() *actor.PID {
	if p == nil || p.core == nil {
		return nil
	}
	return p.core.pid
}

// Detached reports whether the handle can no longer be used: the port was
// transferred away or closed. It makes MessagePort a messages.Transferable.
func (p *MessagePort) Detached() bool {
	return p == nil || p.core == nil || p.core.currentState() != handleOpen
}

// String describes the port for logs.
func (p *MessagePort) String() string {
	if p == nil || p.core == nil {
		return "MessagePort(nil)"
	}
	states := [...]string{"open", "shipped", "closed"}
	return fmt.Sprintf("MessagePort(%s, %s)", p.core.pid, states[p.core.currentState()])
}

// Start enables the port's message queue: messages that arrived before
// (a port's queue starts disabled, including a port just received by
// transfer) and after are dispatched to the owner, one Receive each. It
// is idempotent.
func (p *MessagePort) Start(ctx actor.Context) error {
	if p == nil || p.core == nil {
		return newError(messages.ErrInvalidState, "Start on a nil MessagePort")
	}
	if err := p.core.checkOwner(ctx); err != nil {
		return err
	}
	if note := p.core.enable(); note != nil {
		ctx.Send(ctx.Self(), note)
	}
	return nil
}

// Close disentangles the port. Messages it posted before are still
// delivered to the other end, which then gets one CloseEvent; messages that
// had reached this port but were not dispatched yet are dropped (ports
// inside them are closed in turn), as in browsers. After Close the handle
// is inert and cannot be transferred. Close is idempotent.
func (p *MessagePort) Close(ctx actor.Context) error {
	if p == nil || p.core == nil {
		return newError(messages.ErrInvalidState, "Close on a nil MessagePort")
	}
	if err := p.core.checkOwner(ctx); err != nil {
		return err
	}
	p.core.own.closeByOwner(ctx, p.core)
	return nil
}

// TryReceive takes the next message that has already reached the port,
// whether or not the port is started, and never waits: Node.js's
// receiveMessageOnPort. ok is false when there is none (or the port is
// closed or transferred). Ports carried by the message are adopted as for
// a dispatched event. If the message's data cannot be rebuilt, the message
// is consumed and the error (matching messages.ErrDataClone) is returned
// with ok true and a nil event; the sending end hears of it as for a
// dispatched message (RemoteRebuildFailed).
func (p *MessagePort) TryReceive(ctx actor.Context) (ev *MessageEvent, ok bool, err error) {
	if p == nil || p.core == nil {
		return nil, false, newError(messages.ErrInvalidState, "TryReceive on a nil MessagePort")
	}
	if err := p.core.checkOwner(ctx); err != nil {
		return nil, false, err
	}
	var m inMsg
	ok, closeDue := p.core.tryPop(&m)
	if !ok {
		return nil, false, nil
	}
	if closeDue {
		ctx.Send(ctx.Self(), &p.core.note)
	}
	data, ports, err := p.core.own.materialize(ctx, &m)
	if err != nil {
		tellRebuildFailed(ctx, p.core, m.seq, err) // see rebuild.go
		return nil, true, err
	}
	return &MessageEvent{Data: data, Ports: ports, Target: p}, true, nil
}

func (c *portCore) checkOwner(ctx actor.Context) error {
	if ctx == nil {
		return newError(messages.ErrInvalidState, "a MessagePort is used from inside its owner's Receive (nil context)")
	}
	self := ctx.Self()
	if self == c.own.self || (self != nil && self.Equal(c.own.self)) {
		return nil
	}
	return newError(messages.ErrInvalidState, fmt.Sprintf("port %s is owned by %s, not by %s", c.pid, c.own.self, self))
}
