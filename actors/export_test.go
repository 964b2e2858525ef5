package actors

import "github.com/asynkron/protoactor-go/actor"

// Has reports whether id is a live context of the plugin (for tests).
func (p *Plugin) Has(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.contexts[id]
	return ok
}

// UserVisible is userVisible (for tests).
var UserVisible = userVisible

// SetContextDispatcher makes d the dispatcher of contexts whose props are
// built from now on, until the returned function puts the old one back
// (for tests).
func SetContextDispatcher(d actor.Dispatcher) (restore func()) {
	old := contextDispatcher
	contextDispatcher = d
	return func() { contextDispatcher = old }
}
