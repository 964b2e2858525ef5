package ports

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
)

// portHandler is what takes a port's messages in place of the owner's
// Receive: a handler set with OnMessage (event) or with OnData (data).
type portHandler struct {
	event func(actor.Context, *MessageEvent)
	data  func(actor.Context, any, []*MessagePort)
}

// takesData reports whether h is an OnData handler.
func (h *portHandler) takesData() bool { return h != nil && h.data != nil }

// OnMessage routes this port's MessageEvents to handler, run on the owner's
// goroutine in place of Receive, and starts the port, like setting
// onmessage on the web. CloseEvent and MessageErrorEvent still go to
// Receive. A nil handler sends MessageEvents back to Receive (the port
// stays started).
func (p *MessagePort) OnMessage(ctx actor.Context, handler func(actor.Context, *MessageEvent)) error {
	var h *portHandler
	if handler != nil {
		h = &portHandler{event: handler}
	}
	return p.setHandler(ctx, "OnMessage", h)
}

// OnData routes this port's messages to handler, run on the owner's
// goroutine in place of Receive, and starts the port: Node.js's
// port.on('message', f), whose listener gets the value itself. handler
// gets each message's data and the ports it carried (as MessageEvent's
// Data and Ports: both the owner's own, to keep); no MessageEvent is made,
// so in a burst the owner allocates nothing per message beyond what the
// data needs. While handler runs, the envelope protoactor gave the
// middleware holds the data (what a tracing middleware, or the actors
// package's ErrorEvent.Message for a panic, sees); ctx.Message() is not
// set. CloseEvent and MessageErrorEvent still go to Receive. OnData
// replaces a handler set with OnMessage, and OnMessage one set with
// OnData; a nil handler sends the messages back to Receive as
// MessageEvents (the port stays started). On a closed or transferred
// handle OnData does nothing and returns nil, as Start does.
func (p *MessagePort) OnData(ctx actor.Context, handler func(ctx actor.Context, data any, ports []*MessagePort)) error {
	var h *portHandler
	if handler != nil {
		h = &portHandler{data: handler}
	}
	return p.setHandler(ctx, "OnData", h)
}

// setHandler makes h (nil: none) what takes the port's messages and starts
// the port, for OnMessage and OnData (call names it in an error).
func (p *MessagePort) setHandler(ctx actor.Context, call string, h *portHandler) error {
	if p == nil || p.core == nil {
		return newError(messages.ErrInvalidState, call+" on a nil MessagePort")
	}
	if err := p.core.checkOwner(ctx); err != nil {
		return err
	}
	p.core.handler = h
	p.core.mu.Lock()
	if p.core.state == handleOpen {
		p.core.batchNoteMadeLocked().onData.Store(h.takesData())
	}
	p.core.mu.Unlock()
	return p.Start(ctx)
}
