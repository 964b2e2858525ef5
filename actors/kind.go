package actors

// Kind is the kind of web context an actor plays.
type Kind uint8

// The kinds of context.
const (
	// KindWindow is a top-level browsing context (a window or tab).
	KindWindow Kind = iota + 1
	// KindIFrame is a nested browsing context, created by another
	// browsing context with CreateIFrame.
	KindIFrame
	// KindDedicatedWorker is a dedicated worker, created with NewWorker.
	KindDedicatedWorker
	// KindSharedWorker is a shared worker, created or connected to with
	// NewSharedWorker.
	KindSharedWorker
	// KindBridge is the context behind a Bridge, for code outside actors.
	KindBridge
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindWindow:
		return "window"
	case KindIFrame:
		return "iframe"
	case KindDedicatedWorker:
		return "dedicated-worker"
	case KindSharedWorker:
		return "shared-worker"
	case KindBridge:
		return "bridge"
	}
	return "unknown"
}

// isBrowsing reports whether contexts of kind k are browsing contexts
// (they have window.postMessage and can embed iframes).
func (k Kind) isBrowsing() bool {
	return k == KindWindow || k == KindIFrame || k == KindBridge
}

// Message kinds carried in contextmsg.Meta.Kind between contexts.
const (
	kindWindowMessage = "entangle/window"
	kindWorkerInit    = "entangle/worker-init"
	kindConnect       = "entangle/connect"
)
