package actors

import (
	"strconv"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// sharedKey identifies a shared worker, as the web does: the constructor's
// origin, the script URL and the name.
type sharedKey struct {
	origin string
	script string
	name   string
}

// sharedEntry is a shared worker in the plugin's registry. Its fields are
// guarded by Plugin.mu.
type sharedEntry struct {
	key     sharedKey
	pid     *actor.PID
	pending int  // connections posted but not yet taken by the worker
	dead    bool // the worker decided to close; constructors start a new one
}

// SharedWorker is a constructor's handle on a shared worker, the web's
// SharedWorker object: Port is the constructor's end of the connection, a
// normal MessagePort owned by the calling context that needs Start (or
// OnMessage) before it delivers.
type SharedWorker struct {
	// Port is this connection's port.
	Port *ports.MessagePort
	pid  *actor.PID
}

// PID returns the shared worker's PID.
func (w *SharedWorker) PID() *actor.PID { return w.pid }

var sharedSeq atomic.Uint64

// NewSharedWorker is new SharedWorker(script, name): it connects the
// calling context to the shared worker identified by the caller's origin,
// script and name, starting it (running the actor that producer makes) if
// the actor system has none yet. script is the worker's identity as the
// web's script URL is; producer is used only when the worker starts.
//
// Each call is one connection: a new channel whose first port is returned
// in Port and whose second arrives in the worker as a *ConnectEvent.
//
// Lifetime (the web's owner set): a shared worker lives while at least one
// context that connected to it is alive; when the last of them has been
// destroyed, the worker closes itself (see Close) and a later constructor
// starts a new one. A shared worker that closes itself (Close) or is
// destroyed leaves the registry at once: a constructor called after that
// starts a new one, as on the web. Closing a connection's port does not
// end the worker.
// Shared workers are top-level actors, not children of their
// constructors; Plugin.Shutdown ends them.
func NewSharedWorker(ctx actor.Context, script, name string, producer actor.Producer, props ...actor.PropsOption) (*SharedWorker, error) {
	s, err := contextOf(ctx, "NewSharedWorker")
	if err != nil {
		return nil, err
	}
	if s.closing.Load() {
		return nil, newError(messages.ErrInvalidState, "NewSharedWorker: the context is being destroyed")
	}
	if script == "" {
		return nil, newError(messages.ErrSyntax, "NewSharedWorker: empty script")
	}
	key := sharedKey{origin: originKey(s.origin), script: script, name: name}
	p := s.plugin
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		return nil, ErrShutdown
	}
	e := p.shared[key]
	if e == nil || e.dead {
		if producer == nil {
			p.mu.Unlock()
			return nil, newError(messages.ErrInvalidState, "NewSharedWorker: a new shared worker needs a producer")
		}
		e = &sharedEntry{key: key}
		w := &contextState{plugin: p, behaviour: &sharedWorker{name: name, entry: e}, origin: s.origin}
		id := "shared-worker-" + strconv.FormatUint(sharedSeq.Add(1), 36)
		w.self = actor.NewPID(ctx.ActorSystem().Address(), id)
		pid, err := ctx.ActorSystem().Root.SpawnNamed(contextProps(&spec{made: w}, producer, props), id)
		if err != nil {
			p.mu.Unlock()
			return nil, err
		}
		e.pid = pid
		p.shared[key] = e
	}
	e.pending++
	pid := e.pid
	p.mu.Unlock()

	ch, err := ports.NewMessageChannel(ctx)
	if err == nil {
		err = contextmsg.PostTo(ctx, pid, nil, contextmsg.Options{Meta: contextmsg.Meta{Kind: kindConnect}, Origin: s.origin.String(), Source: ctx.Self()}, []messages.Transferable{ch.Port2})
	}
	if err != nil {
		p.mu.Lock()
		e.pending--
		p.mu.Unlock()
		return nil, err
	}
	if s.sharedWith == nil {
		s.sharedWith = make(map[string]*actor.PID)
	}
	s.sharedWith[pid.GetId()] = pid
	return &SharedWorker{Port: ch.Port1, pid: pid}, nil
}

// ownerLeaving tells a shared worker that a context of its owner set is
// going away. The worker also watches its owners, but protoactor sends
// Terminated only after the context has left the plugin's books; this
// message goes before, in order with what the context sent, so that
// actorstest.WaitQuiet and constructors called next see the worker react.
type ownerLeaving struct{ who *actor.PID }

func (*ownerLeaving) IgnoreDeadLetterLogging() {}

// leaveSharedWorkers sends ownerLeaving to the shared workers this context
// connected to.
func (s *contextState) leaveSharedWorkers(ctx actor.Context) {
	for id, pid := range s.sharedWith {
		ctx.Send(pid, &ownerLeaving{who: ctx.Self()})
		delete(s.sharedWith, id)
	}
}

// ConnectEvent is the shared worker's connect event: a context connected
// with NewSharedWorker. Port is the worker's end of the new connection; as
// on the web it is also event.ports[0] (Ports) and event.source (Source),
// and event.data is "" (Data). It needs Start or OnMessage before it
// delivers.
type ConnectEvent struct {
	// Port is the worker's end of the new connection.
	Port *ports.MessagePort
	// Ports is the web's event.ports: Port alone.
	Ports []*ports.MessagePort
	// Source is the web's event.source: Port.
	Source *ports.MessagePort
	// Data is the web's event.data: always "".
	Data string
	// Origin is the connecting context's origin (the web's connect event
	// has origin ""; the worker may want to know who connected).
	Origin string
	// Owner is the connecting context.
	Owner *actor.PID
}

// sharedWorker is the behaviour of a shared worker: it takes connections
// as ConnectEvents, keeps its owner set, and leaves the registry when it
// closes or stops.
type sharedWorker struct {
	name string
	// entry is the worker's registry entry; set before the worker runs
	// and never changed, so closing may read it from any goroutine.
	entry *sharedEntry
	// owners are the contexts that connected (the web's owner set).
	owners map[string]*actor.PID
}

func (*sharedWorker) kind() Kind     { return KindSharedWorker }
func (*sharedWorker) browsing() bool { return false }

func (*sharedWorker) started(*contextState, *actor.MessageEnvelope) bool { return true }

// event takes a connection (see onConnect).
func (w *sharedWorker) event(ctx actor.Context, s *contextState, ev any, meta contextmsg.Meta, next actor.ReceiverFunc) bool {
	m, ok := ev.(*ports.MessageEvent)
	if !ok || meta.Kind != kindConnect {
		return false
	}
	w.onConnect(ctx, s, m, next)
	return true
}

// onConnect turns a connection into a ConnectEvent and adds the connecting
// context to the worker's owner set.
func (w *sharedWorker) onConnect(ctx actor.Context, s *contextState, m *ports.MessageEvent, next actor.ReceiverFunc) {
	s.plugin.mu.Lock()
	w.entry.pending--
	s.plugin.mu.Unlock()
	if len(m.Ports) != 1 {
		closeAll(ctx, m.Ports)
		return
	}
	if src := m.Source; src != nil {
		if w.owners == nil {
			w.owners = make(map[string]*actor.PID)
		}
		if _, known := w.owners[src.GetId()]; !known {
			w.owners[src.GetId()] = src
			ctx.Watch(src)
		}
	}
	p := m.Ports[0]
	next(ctx, actor.WrapEnvelope(&ConnectEvent{Port: p, Ports: []*ports.MessagePort{p}, Source: p, Origin: m.Origin, Owner: m.Source}))
}

// gone removes a context from the worker's owner set; the worker closes
// itself when the set is empty and no connection is on its way.
func (w *sharedWorker) gone(ctx actor.Context, s *contextState, who *actor.PID) bool {
	if _, ok := w.owners[who.GetId()]; !ok {
		return false
	}
	delete(w.owners, who.GetId())
	if len(w.owners) > 0 {
		return true
	}
	p := s.plugin
	p.mu.Lock()
	last := w.entry.pending == 0
	if last {
		w.entry.dead = true
		if p.shared[w.entry.key] == w.entry {
			delete(p.shared, w.entry.key)
		}
	}
	p.mu.Unlock()
	if last {
		s.requestDestroy(ctx)
	}
	return true
}

// closing removes the worker from the registry (see leaveRegistry).
func (w *sharedWorker) closing(s *contextState) { w.leaveRegistry(s.plugin) }

// destroying stops watching the owners.
func (w *sharedWorker) destroying(ctx actor.Context, _ *contextState) {
	for id, owner := range w.owners {
		ctx.Unwatch(owner)
		delete(w.owners, id)
	}
}

// stopped removes the worker from the registry (see leaveRegistry).
func (w *sharedWorker) stopped(s *contextState) { w.leaveRegistry(s.plugin) }

// unhandled does nothing: as on the web, a shared worker's errors do not
// reach the contexts connected to it.
func (*sharedWorker) unhandled(actor.Context, *contextState, *ErrorEvent) {}

// leaveRegistry removes a shared worker that is closing or stopped from
// the registry: as on the web, a constructor that runs after a shared
// worker began closing starts a new one. It may run on any goroutine.
func (w *sharedWorker) leaveRegistry(p *Plugin) {
	p.mu.Lock()
	w.entry.dead = true
	if p.shared[w.entry.key] == w.entry {
		delete(p.shared, w.entry.key)
	}
	p.mu.Unlock()
}

// Name returns a worker's name (the web's self.name): a shared worker's
// name, or the Name a dedicated worker was created with
// (WorkerOptions.Name); "" for other contexts.
func (g *Scope) Name() string {
	switch w := g.s.behaviour.(type) {
	case *sharedWorker:
		return w.name
	case *dedicatedWorker:
		return w.name
	}
	return ""
}
