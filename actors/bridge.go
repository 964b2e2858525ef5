package actors

import (
	"context"
	"strconv"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// Bridge is a way in for code outside any actor (main, HTTP handlers,
// tests): a browsing context, with an origin, that owns ports on that
// code's behalf. Its methods may be called from any goroutine. Events
// that reach it arrive in Go queues: the messages of a port wrapped in a
// BridgePort go to that BridgePort; everything else (messages posted to
// the bridge itself, errors, close events of unwrapped ports) goes to the
// bridge's own queue, read with Next or Await.
//
// After Close the bridge's context is destroyed: its ports close (their
// peers get a CloseEvent), its queues end, and every method returns an
// error (Next and Await return ErrClosed once the queue is empty).
type Bridge struct {
	plugin *Plugin
	pid    *actor.PID
	origin origin.Origin
	inbox  *evQueue[any]
	// wrapped maps a port to its BridgePort; touched only on the
	// bridge's goroutine.
	wrapped map[*ports.MessagePort]*BridgePort
	closed  atomic.Bool
	stopped chan struct{}
}

var bridgeSeq atomic.Uint64

// NewBridge starts a bridge context with the given origin on the plugin's
// actor system.
func (p *Plugin) NewBridge(o origin.Origin) (*Bridge, error) {
	if o.IsZero() {
		return nil, newError(messages.ErrSyntax, "NewBridge: the zero Origin; use origin.Parse or origin.Opaque")
	}
	b := &Bridge{plugin: p, origin: o, inbox: newEvQueue[any](), wrapped: map[*ports.MessagePort]*BridgePort{}, stopped: make(chan struct{})}
	props := contextProps(&spec{behaviour: func() behaviour { return bridgeKind{b: b} }, origin: o}, func() actor.Actor { return &bridgeActor{b: b} }, nil)
	pid, err := p.system.Root.SpawnNamed(props, "entangle-bridge-"+strconv.FormatUint(bridgeSeq.Add(1), 36))
	if err != nil {
		return nil, err
	}
	b.pid = pid
	return b, nil
}

// bridgeKind is the behaviour of a Bridge's context: a browsing context
// whose queues end when it stops.
type bridgeKind struct {
	plainKind
	b *Bridge
}

func (bridgeKind) kind() Kind     { return KindBridge }
func (bridgeKind) browsing() bool { return true }

// stopped ends the bridge's queues.
func (k bridgeKind) stopped(*contextState) { k.b.finish() }

// PID returns the bridge context's PID.
func (b *Bridge) PID() *actor.PID { return b.pid }

// Origin returns the bridge's origin.
func (b *Bridge) Origin() origin.Origin { return b.origin }

// Do runs fn as a task of the bridge's context and waits for it (see
// Plugin.Run): inside fn, ctx is the bridge's, so fn may use the bridge's
// ports and the plugin's calls (CreateIFrame, NewWorker, ...).
func (b *Bridge) Do(ctx context.Context, fn func(actor.Context) error) error {
	if b.closed.Load() {
		return newError(messages.ErrInvalidState, "the bridge is closed")
	}
	return b.plugin.Run(ctx, b.pid, fn)
}

// PostTo posts data to the actor to with ports.PostTo, from the bridge.
// Ports in transfer must be owned by the bridge.
func (b *Bridge) PostTo(ctx context.Context, to *actor.PID, data any, transfer ...messages.Transferable) error {
	return b.Do(ctx, func(c actor.Context) error { return ports.PostTo(c, to, data, transfer...) })
}

// PostMessage is window.postMessage from the bridge to the browsing
// context win (see WindowProxy.PostMessage).
func (b *Bridge) PostMessage(ctx context.Context, win *WindowProxy, data any, targetOrigin string, transfer ...messages.Transferable) error {
	return b.Do(ctx, func(c actor.Context) error { return win.PostMessage(c, data, targetOrigin, transfer...) })
}

// NewChannel creates a MessageChannel owned by the bridge. It returns the
// first port wrapped (started, its messages in the BridgePort's queue)
// and the second as a plain port owned by the bridge, to be transferred to
// a context with PostTo or PostMessage.
func (b *Bridge) NewChannel(ctx context.Context) (*BridgePort, *ports.MessagePort, error) {
	var local *BridgePort
	var remote *ports.MessagePort
	err := b.Do(ctx, func(c actor.Context) error {
		ch, err := ports.NewMessageChannel(c)
		if err != nil {
			return err
		}
		local, err = b.wrap(c, ch.Port1)
		remote = ch.Port2
		return err
	})
	return local, remote, err
}

// Wrap wraps a port the bridge owns (one that arrived in an event's Ports,
// for example) in a BridgePort and starts it.
func (b *Bridge) Wrap(ctx context.Context, p *ports.MessagePort) (*BridgePort, error) {
	var bp *BridgePort
	err := b.Do(ctx, func(c actor.Context) (err error) {
		bp, err = b.wrap(c, p)
		return err
	})
	return bp, err
}

func (b *Bridge) wrap(c actor.Context, p *ports.MessagePort) (*BridgePort, error) {
	if bp, ok := b.wrapped[p]; ok {
		return bp, nil
	}
	bp := &BridgePort{b: b, port: p, queue: newEvQueue[*ports.MessageEvent]()}
	b.wrapped[p] = bp
	if err := p.Start(c); err != nil {
		delete(b.wrapped, p)
		return nil, err
	}
	return bp, nil
}

// Next waits for the next event in the bridge's own queue. It returns
// ErrClosed once the bridge is closed and the queue is empty, or ctx's
// error.
func (b *Bridge) Next(ctx context.Context) (any, error) {
	return b.inbox.pop(ctx, nil, ErrClosed)
}

// Await waits for the first event in the bridge's own queue for which
// match is true and takes it, leaving the others in order. It is the
// test helper "await an event with a timeout": pass a ctx with a deadline.
func (b *Bridge) Await(ctx context.Context, match func(any) bool) (any, error) {
	return b.inbox.pop(ctx, match, ErrClosed)
}

// Close destroys the bridge's context (see Close) and waits until it has
// stopped or ctx ends.
func (b *Bridge) Close(ctx context.Context) error {
	if b.closed.CompareAndSwap(false, true) {
		b.plugin.Destroy(b.plugin.system.Root, b.pid)
	}
	select {
	case <-b.stopped:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// bridgeActor is the code of a bridge's context: it sorts events into the
// Go queues.
type bridgeActor struct{ b *Bridge }

func (a *bridgeActor) Receive(ctx actor.Context) {
	b := a.b
	switch m := ctx.Message().(type) {
	case *ports.MessageEvent:
		if bp, ok := b.wrapped[m.Target]; ok && m.Target != nil {
			bp.queue.push(m)
			return
		}
		b.inbox.push(m)
	case *ports.CloseEvent:
		if bp, ok := b.wrapped[m.Target]; ok {
			delete(b.wrapped, m.Target)
			bp.closed.Store(m)
			bp.queue.close()
			return
		}
		b.inbox.push(m)
	case *actor.Started, *actor.Stopping, *actor.Stopped, *actor.Restarting:
	default:
		b.inbox.push(m)
	}
}

// finish ends the bridge's queues once its context has stopped; it runs
// on the bridge's goroutine.
func (b *Bridge) finish() {
	b.closed.Store(true)
	for p, bp := range b.wrapped {
		delete(b.wrapped, p)
		bp.queue.close()
	}
	b.inbox.close()
	close(b.stopped)
}

// BridgePort is a port owned by a Bridge whose messages are queued for Go
// code. Its methods may be called from any goroutine. When the port gets
// its CloseEvent (the other end closed, or its owner went away) the queue
// ends: Receive returns the messages that arrived before, then ErrClosed.
type BridgePort struct {
	b      *Bridge
	port   *ports.MessagePort
	queue  *evQueue[*ports.MessageEvent]
	closed atomic.Pointer[ports.CloseEvent]
}

// CloseEvent returns the port's CloseEvent once it has come (it says why
// the channel ended), nil before.
func (p *BridgePort) CloseEvent() *ports.CloseEvent { return p.closed.Load() }

// Port returns the port's handle; it is owned by the bridge, so use it
// only inside Bridge.Do (or in the transfer list of the bridge's posts).
func (p *BridgePort) Port() *ports.MessagePort { return p.port }

// PostMessage posts a structured clone of data on the port (see
// ports.MessagePort.PostMessage). Ports in transfer must be owned by the
// bridge.
func (p *BridgePort) PostMessage(ctx context.Context, data any, transfer ...messages.Transferable) error {
	return p.b.Do(ctx, func(c actor.Context) error { return p.port.PostMessage(c, data, transfer...) })
}

// Receive waits for the next message on the port. It returns ErrClosed
// after the port's CloseEvent once every earlier message was taken, or
// ctx's error.
func (p *BridgePort) Receive(ctx context.Context) (*ports.MessageEvent, error) {
	return p.queue.pop(ctx, nil, ErrClosed)
}

// Request posts data on the port and waits for the next message on it:
// request/reply over a port whose other end answers each message in turn.
func (p *BridgePort) Request(ctx context.Context, data any, transfer ...messages.Transferable) (*ports.MessageEvent, error) {
	if err := p.PostMessage(ctx, data, transfer...); err != nil {
		return nil, err
	}
	return p.Receive(ctx)
}

// C returns a channel that delivers the port's messages in order and is
// closed when the port's queue ends or ctx ends. A goroutine feeds it
// until then; do not mix C with Receive on the same port.
func (p *BridgePort) C(ctx context.Context) <-chan *ports.MessageEvent {
	out := make(chan *ports.MessageEvent)
	go func() {
		defer close(out)
		for {
			ev, err := p.queue.pop(ctx, nil, ErrClosed)
			if err != nil {
				return
			}
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Close closes the port (see ports.MessagePort.Close); the peer gets a
// CloseEvent and this port's queue ends.
func (p *BridgePort) Close(ctx context.Context) error {
	err := p.b.Do(ctx, func(c actor.Context) error {
		delete(p.b.wrapped, p.port)
		return p.port.Close(c)
	})
	p.queue.close()
	return err
}
