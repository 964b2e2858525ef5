package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The gate's flush may send through the gate again: a message protoactor
// cannot route (here, to a node that has no remote endpoint, as when
// remote stops during a handshake) becomes a dead letter on the flushing
// goroutine, and the extension answers a dead Bypass with a BypassRetry to
// its proxy, which is on that node too. The flush must not hold the gate's
// lock while it sends, or it waits for itself; the BypassRetry goes behind
// the flushed messages, and the gate opens when nothing is left.
func TestGateFlushMaySendThroughTheGateAgain(t *testing.T) {
	sys := newSystem(t)
	e := Get(sys)
	tr, ok := e.tr.(directTransport)
	require.True(t, ok, "the extension sends with protoactor")
	g := tr.gate
	const addr = "nowhere.invalid:1"
	proxy := actor.NewPID(addr, "proxy")
	bypass := &wire.Bypass{Key: 1, Proxy: &wire.Ref{Pid: proxy, Key: 2}}
	g.mu.Lock()
	g.peers[addr] = &peer{queue: []held{{to: actor.NewPID(addr, "target"), msg: bypass}}}
	g.mu.Unlock()

	opened := make(chan struct{})
	go func() {
		g.open(addr)
		close(opened)
	}()
	select {
	case <-opened:
	case <-time.After(waitFor):
		t.Fatal("the flush waits for the gate's own lock")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.peers[addr]
	assert.True(t, p.ok, "the gate is open")
	assert.Empty(t, p.queue, "what was sent during the flush was flushed too")
}
