package script

import (
	"runtime"
	"sync"
	"weak"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/messages"
)

// Host is the script host of one actors plugin: the options its realms
// run with. Get it with Register or Get. It goes away with its plugin.
type Host struct {
	plugin weak.Pointer[actors.Plugin]
	cfg    config
}

// hosts maps each actors plugin to its script host; an entry leaves when
// its plugin is garbage.
var hosts sync.Map // weak.Pointer[actors.Plugin] -> *Host

// ErrAlreadyRegistered is returned by Register, with the existing host,
// when the plugin has a script host already (Register was called before,
// or a realm started with the defaults). It matches
// messages.ErrInvalidState.
var ErrAlreadyRegistered = &messages.DOMException{Name: "InvalidStateError", Message: "script: the plugin already has a script host"}

// Register attaches a script host with opts to plugin. Call it before the
// first realm of the plugin starts; a realm that starts without one gets
// the defaults (see Get).
func Register(plugin *actors.Plugin, opts ...Option) (*Host, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	key := weak.Make(plugin)
	h := &Host{plugin: key, cfg: cfg}
	if prev, loaded := hosts.LoadOrStore(key, h); loaded {
		return prev.(*Host), ErrAlreadyRegistered
	}
	runtime.AddCleanup(plugin, func(k weak.Pointer[actors.Plugin]) { hosts.Delete(k) }, key)
	return h, nil
}

// Get returns the script host of the system's actors plugin (actors.Get),
// registering one with the default options if there is none yet.
func Get(system *actor.ActorSystem) *Host {
	p := actors.Get(system)
	if h, ok := hosts.Load(weak.Make(p)); ok {
		return h.(*Host)
	}
	h, _ := Register(p)
	return h
}

// Plugin returns the actors plugin the host belongs to.
func (h *Host) Plugin() *actors.Plugin { return h.plugin.Value() }
