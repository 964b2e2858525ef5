package actors

// Has reports whether id is a live context of the plugin (for tests).
func (p *Plugin) Has(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.contexts[id]
	return ok
}

// UserVisible is userVisible (for tests).
var UserVisible = userVisible
