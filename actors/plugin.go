package actors

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/extensions"
	"github.com/entangle-go/entangle/internal/stripe"
	"github.com/entangle-go/entangle/ports"
)

var extensionID = extensions.NextExtensionID()

// plugins maps each actor system to its plugin (protoactor's extension
// table is not safe for lookups racing with a registration).
var plugins sync.Map // *actor.ActorSystem -> *Plugin

// Plugin is entangle's contexts on one actor system: its options, the
// shared-worker registry, and the list of live contexts that Shutdown
// terminates. Get it with Register or Get. The ports extension it uses is
// the system's (ports.Get), shared with plain actors that own ports; it
// outlives the plugin.
type Plugin struct {
	system *actor.ActorSystem
	ports  *ports.Extension
	log    *slog.Logger
	cfg    config

	mu       sync.Mutex
	contexts map[string]*contextState // PID id -> live context
	shared   map[sharedKey]*sharedEntry
	down     bool
	changed  chan struct{} // closed and replaced whenever contexts changes

	// startMu guards starting, the PID ids of contexts spawned but not
	// yet started (apart from mu: NewSharedWorker spawns under mu).
	startMu      sync.Mutex
	starting     map[string]struct{}
	startChanged chan struct{} // closed and replaced whenever starting shrinks

	tasks   stripe.Counter // tasks run by contexts (for actorstest; each context adds to a stripe of its own, see countTask)
	dropped atomic.Int64   // window messages dropped by the origin check
}

// ExtensionID implements protoactor's extensions.Extension.
func (*Plugin) ExtensionID() extensions.ExtensionID { return extensionID }

// Register attaches the plugin to system with opts. It also registers the
// ports extension with the ports options given by WithPortOptions (or the
// defaults), unless the system has one already (plain actors used ports
// first, or an earlier plugin was Shutdown): the plugin then uses that one,
// and WithPortOptions is ignored. It returns ErrAlreadyRegistered, with the
// existing plugin, if the system has the plugin already (and not Shutdown).
func Register(system *actor.ActorSystem, opts ...Option) (*Plugin, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	p := &Plugin{
		system:   system,
		cfg:      cfg,
		contexts: make(map[string]*contextState),
		shared:   make(map[sharedKey]*sharedEntry),
		changed:  make(chan struct{}),

		starting:     make(map[string]struct{}),
		startChanged: make(chan struct{}),
	}
	p.log = cfg.logger
	if p.log == nil {
		p.log = system.Logger().With(slog.String("lib", "entangle/actors"))
	}
	if prev, loaded := plugins.LoadOrStore(system, p); loaded {
		return prev.(*Plugin), ErrAlreadyRegistered
	}
	ext, err := ports.Register(system, cfg.portOptions...)
	if err != nil && !errors.Is(err, ports.ErrAlreadyRegistered) {
		plugins.Delete(system)
		return nil, err
	}
	p.ports = ext
	system.Extensions.Register(p)
	return p, nil
}

// Get returns the plugin of system, registering it with the default
// options if there is none yet.
func Get(system *actor.ActorSystem) *Plugin {
	if p, ok := plugins.Load(system); ok {
		return p.(*Plugin)
	}
	p, _ := Register(system)
	return p
}

// System returns the actor system the plugin is attached to.
func (p *Plugin) System() *actor.ActorSystem { return p.system }

// Ports returns the ports extension the plugin's contexts use.
func (p *Plugin) Ports() *ports.Extension { return p.ports }

// Logger returns the plugin's logger (the system's, unless WithLogger).
func (p *Plugin) Logger() *slog.Logger { return p.log }

// Contexts returns the number of live contexts of the plugin.
func (p *Plugin) Contexts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.contexts)
}

func (p *Plugin) add(s *contextState) error {
	// Registered before it stops counting as starting, so that waitQuiet
	// and Shutdown, which look at both, never see it in neither; and
	// registered even after Shutdown has begun, so that Shutdown waits for
	// it to destroy itself.
	p.mu.Lock()
	p.notifyLocked()
	p.contexts[s.self.GetId()] = s
	down := p.down
	p.mu.Unlock()
	p.started(s.self.GetId())
	if down {
		return ErrShutdown
	}
	return nil
}

func (p *Plugin) remove(s *contextState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.contexts[s.self.GetId()]; !ok {
		return
	}
	delete(p.contexts, s.self.GetId())
	p.notifyLocked()
}

// notifyLocked wakes those who wait for a change of contexts or starting.
func (p *Plugin) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// spawner is the SpawnFunc of every context's Props: it notes the context
// as starting before protoactor spawns it, so that waitQuiet also waits
// for contexts whose Started has not run yet (and for the messages already
// waiting in their mailboxes).
func spawner(system *actor.ActorSystem, id string, props *actor.Props, parent actor.SpawnerContext) (pid *actor.PID, err error) {
	p := Get(system)
	p.startMu.Lock()
	p.starting[id] = struct{}{}
	p.startMu.Unlock()
	ok := false
	defer func() {
		if !ok {
			p.started(id)
		}
	}()
	pid, err = actor.DefaultSpawner(system, id, props, parent)
	ok = err == nil
	return pid, err
}

// started forgets a starting context: it has run its Started, or its
// spawn failed.
func (p *Plugin) started(id string) {
	p.startMu.Lock()
	defer p.startMu.Unlock()
	if _, ok := p.starting[id]; ok {
		delete(p.starting, id)
		close(p.startChanged)
		p.startChanged = make(chan struct{})
	}
}

// startingCount returns how many contexts have been spawned and not yet
// started, and a channel closed when that shrinks.
func (p *Plugin) startingCount() (int, <-chan struct{}) {
	p.startMu.Lock()
	defer p.startMu.Unlock()
	return len(p.starting), p.startChanged
}

// Shutdown terminates every context of the plugin gracefully, as closing
// every window and terminating every worker would: each context's queued
// tasks are discarded, its nested contexts are destroyed first, the ports
// it posted away finish their transfer, its open ports close (their peers
// get a CloseEvent after the messages already posted), and then it stops.
// Shutdown returns nil when all the plugin's contexts are gone, or the
// context's error if ctx ends first; the contexts left then are stopped
// hard (their ports' peers get a CloseEvent with CloseLost).
//
// After Shutdown has begun, no new context can start (spawning one fails
// with ErrShutdown in its Started), and the plugin is removed from the
// system: a later Register or Get attaches a fresh plugin, which uses the
// same ports extension. protoactor's ActorSystem.Shutdown stops no actors;
// call this first.
//
// Shutdown ends the plugin's contexts only. The ports extension stays
// registered, with its Stats: actors that are not contexts and own ports
// through ports.ReceiverMiddleware keep their ports, and their channels
// keep working. Call ports.Unregister when the actor system itself is done
// with ports.
func (p *Plugin) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	p.down = true
	var roots []*contextState
	for _, s := range p.contexts {
		if s.parent == nil {
			roots = append(roots, s)
		}
	}
	for _, e := range p.shared {
		e.dead = true
	}
	p.mu.Unlock()
	for _, s := range roots {
		s.requestDestroy(p.system.Root)
	}
	err := p.waitEmpty(ctx)
	if err != nil {
		p.mu.Lock()
		var left []*actor.PID
		for _, s := range p.contexts {
			left = append(left, s.self)
		}
		p.mu.Unlock()
		for _, pid := range left {
			p.system.Root.Stop(pid)
		}
		short, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = p.waitEmpty(short)
		cancel()
	}
	plugins.CompareAndDelete(p.system, p)
	return err
}

// waitEmpty waits until the plugin has no live context, and none that
// was spawned and has yet to start (it will find the plugin down and
// destroy itself).
func (p *Plugin) waitEmpty(ctx context.Context) error {
	for {
		p.mu.Lock()
		n, ch := len(p.contexts), p.changed
		p.mu.Unlock()
		starting, startCh := p.startingCount()
		if n == 0 && starting == 0 {
			return nil
		}
		select {
		case <-ch:
		case <-startCh:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
