package ports

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
	"github.com/asynkron/protoactor-go/extensions"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/entangle-go/entangle/internal/stripe"
)

var extensionID = extensions.NextExtensionID()

// systems maps each actor system to its ports extension. protoactor's own
// extension table is not safe for a lazy registration racing with readers,
// so lookups go through this map; Register also records the extension in
// the system's table for protoactor-style discovery.
var systems sync.Map // *actor.ActorSystem -> *Extension

// Extension is the ports plugin of one actor system: its options, the
// counters behind [Stats], and the dead-letter hook that returns ports
// whose carrying message could not be delivered. Get it with [Get].
type Extension struct {
	system  *actor.ActorSystem
	cfg     config
	log     *slog.Logger
	tr      transport
	fast    bool // the fast path (fast.go); off when a test transport is in place
	metrics *instruments

	openHandles atomic.Int64   // handles neither closed nor shipped
	actors      atomic.Int64   // live port actors
	proxies     atomic.Int64   // port actors in the proxy role
	queued      stripe.Counter // messages waiting in port queues (each owner adds to a stripe of its own: owner.queued)
	dropped     atomic.Int64   // messages dropped (closed port, overflow, doomed)
	protoErrors atomic.Int64   // protocol messages rejected or duplicated
	rebuildErrs atomic.Int64   // messages from here the other end could not rebuild (rebuild.go)
	runsSent    atomic.Int64   // wire.Runs sent to other nodes (farrun.go; the tests read it)
	farSeen     atomic.Bool    // a port's fast path has gone to another node at least once (see sendsFar)

	deadLetters  *eventstream.Subscription
	endpoints    *eventstream.Subscription // remote endpoints that terminate (gate)
	sink         *actor.PID                // discards replies (see localDirect.GetAutoResponse)
	gateway      *actor.PID                // answers Hellos from other nodes (gateway.go)
	gone         *idSet                    // PID ids of port actors that stopped and whose owner has not yet heard (see isPortChild)
	drops        drops                     // MessageDropped aggregates (drops.go)
	stray        straySeen                 // ports reported by PortSentOutside
	unstarted    unstartedWatch            // the PortNotStarted scan
	closed       bool                      // under unstarted.mu: close has run
	ownerWatches sync.Map                  // PID id → *ownerWatch of each actor with ReceiverMiddleware (localwatch.go)
}

// ExtensionID implements protoactor's extensions.Extension.
func (*Extension) ExtensionID() extensions.ExtensionID { return extensionID }

// Register installs the ports extension on system with opts. Call it before
// the first channel is created; without it, the first use installs the
// defaults. It returns ErrAlreadyRegistered if the system has one already.
func Register(system *actor.ActorSystem, opts ...Option) (*Extension, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	ext := newExtension(system, cfg)
	if prev, loaded := systems.LoadOrStore(system, ext); loaded {
		ext.close()
		return prev.(*Extension), ErrAlreadyRegistered
	}
	system.Extensions.Register(ext)
	return ext, nil
}

// Get returns the ports extension of system, installing one with the
// default options if there is none yet.
func Get(system *actor.ActorSystem) *Extension {
	if e, ok := systems.Load(system); ok {
		return e.(*Extension)
	}
	ext, err := Register(system)
	if errors.Is(err, ErrAlreadyRegistered) {
		return ext
	}
	return ext
}

// Unregister removes the extension of system: its EventStream
// subscriptions, its timers and the actor that answers other nodes' Hellos.
// Call it when the system is done with ports (before system.Shutdown); the
// actors package's Plugin.Shutdown does not (it ends its contexts and leaves
// the extension, with its Stats, to the actors that are not contexts).
// Ports still alive in the system keep working but no longer count in
// Stats, and a later Get installs a fresh extension with the defaults.
func Unregister(system *actor.ActorSystem) {
	if e, ok := systems.LoadAndDelete(system); ok {
		e.(*Extension).close()
	}
}

func newExtension(system *actor.ActorSystem, cfg config) *Extension {
	e := &Extension{system: system, cfg: cfg, gone: newIDSet()}
	e.log = cfg.logger
	if e.log == nil {
		e.log = system.Logger().With(slog.String("lib", "entangle/ports"))
	}
	if !processLayoutOK {
		e.log.Warn("protoactor's ActorProcess is not laid out as this version of entangle expects (see ports/registry.go): messages between ports in this process take the slower path through the port actors")
	}
	e.tr = cfg.transport
	if e.tr == nil {
		g := newGate(e)
		e.tr = directTransport{sys: system, gate: g}
		e.fast = true
		e.endpoints = system.EventStream.SubscribeWithPredicate(func(ev any) {
			g.nodeGone(ev.(*remote.EndpointTerminatedEvent).Address)
		}, func(ev any) bool { _, ok := ev.(*remote.EndpointTerminatedEvent); return ok })
	}
	e.metrics = newInstruments(e)
	e.deadLetters = system.EventStream.SubscribeWithPredicate(e.onDeadLetter, isPortDeadLetter)
	e.sink, _ = system.ProcessRegistry.Add(sinkProcess{}, "entangle-sink-"+system.ProcessRegistry.NextId())
	if pid, err := system.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return &gatewayActor{e: e} }), gatewayName); err == nil {
		e.gateway = pid
	}
	return e
}

func (e *Extension) close() {
	if t, ok := e.tr.(directTransport); ok {
		t.gate.stop()
	}
	e.metrics.close()
	e.stopDrops()
	e.unstarted.mu.Lock()
	e.closed = true
	e.unstarted.mu.Unlock()
	e.stopUnstarted()
	if e.sink != nil {
		e.system.ProcessRegistry.Remove(e.sink)
		e.sink = nil
	}
	if e.gateway != nil {
		_ = e.system.Root.StopFuture(e.gateway).Wait()
		e.gateway = nil
	}
	if e.deadLetters != nil {
		e.system.EventStream.Unsubscribe(e.deadLetters)
		e.deadLetters = nil
	}
	if e.endpoints != nil {
		e.system.EventStream.Unsubscribe(e.endpoints)
		e.endpoints = nil
	}
}

// Stats is a snapshot of the ports of one actor system.
type Stats struct {
	OpenPorts      int64 // handles that are neither closed nor shipped
	PortActors     int64 // live port actors, in any role
	Proxies        int64 // port actors forwarding for a port that moved
	QueuedMessages int64 // messages that reached a port and wait for dispatch (summed from per-owner stripes without stopping anyone: while messages move, off by those in flight, never below 0)
	Dropped        int64 // messages dropped so far (closed port, overflow, doomed channel)
	ProtocolErrors int64 // protocol messages rejected so far
	RebuildErrors  int64 // messages posted here that the other end could not rebuild (RemoteRebuildFailed)
}

// Stats returns the counters of the system's ports. Ports that were never
// closed show up in OpenPorts; compare it before and after a piece of work
// to find ports you forgot to close.
func (e *Extension) Stats() Stats {
	return Stats{
		OpenPorts:      e.openHandles.Load(),
		PortActors:     e.actors.Load(),
		Proxies:        e.proxies.Load(),
		QueuedMessages: e.queuedNow(),
		Dropped:        e.dropped.Load(),
		ProtocolErrors: e.protoErrors.Load(),
		RebuildErrors:  e.rebuildErrs.Load(),
	}
}

// queuedNow is the queued count users see: the stripes' sum, read while
// messages may be moving between them, so never shown below zero.
func (e *Extension) queuedNow() int64 { return max(0, e.queued.Load()) }

// CloseEvents returns the close-event mode the extension was configured with.
func (e *Extension) CloseEvents() CloseEventMode { return e.cfg.closeEvents }

// System returns the actor system the extension belongs to.
func (e *Extension) System() *actor.ActorSystem { return e.system }

// sinkProcess is a protoactor process that discards everything sent to it.
type sinkProcess struct{}

func (sinkProcess) SendUserMessage(*actor.PID, any)   {}
func (sinkProcess) SendSystemMessage(*actor.PID, any) {}
func (sinkProcess) Stop(*actor.PID)                   {}

// sinkReply is the answer of an actor without ReceiverMiddleware to a
// direct message; it goes to the sink.
type sinkReply struct{}

func (sinkReply) IgnoreDeadLetterLogging() {}
