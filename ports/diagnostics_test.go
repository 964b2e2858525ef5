package ports

// The EventStream diagnostics: each kind is published, logs itself, and
// names the port it is about.

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiagnosticsEvents(t *testing.T) {
	sys := newSystem(t)
	events := make(chan Diagnostic, 64)
	sub := sys.EventStream.Subscribe(func(evt any) {
		if d, ok := evt.(Diagnostic); ok {
			events <- d
		}
	})
	defer sys.EventStream.Unsubscribe(sub)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, b.pid, nil, ch.Port2)) })
	p := b.nextMessage().Ports[0]
	b.do(func(ctx actor.Context) { require.NoError(t, p.Close(ctx)) })
	a.nextClose()
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "nobody listens")) })
	seen := map[string]bool{}
	deadline := time.After(waitFor)
	for !(seen["*ports.PortTransferred"] && seen["*ports.PortClosed"] && seen["*ports.MessageDropped"]) {
		select {
		case d := <-events:
			level, msg, attrs := d.Log()
			assert.NotEmpty(t, msg)
			assert.NotEmpty(t, attrs)
			assert.GreaterOrEqual(t, int(level), -4)
			seen[typeName(d)] = true
		case <-deadline:
			t.Fatalf("diagnostics seen so far: %v", seen)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *PortTransferred:
		return "*ports.PortTransferred"
	case *PortClosed:
		return "*ports.PortClosed"
	case *MessageDropped:
		return "*ports.MessageDropped"
	case *ProtocolRejected:
		return "*ports.ProtocolRejected"
	}
	return "?"
}

// The EventStream diagnostics name the right actors.
func TestDiagnosticsNameTheirPorts(t *testing.T) {
	sys := newSystem(t)
	transferred := subscribe[*PortTransferred](t, sys)
	dropped := subscribe[*MessageDropped](t, sys)
	closed := subscribe[*PortClosed](t, sys)
	rejected := subscribe[*ProtocolRejected](t, sys)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ch := newChannel(t, a)
	oldPID := ch.Port2.PID()
	moved := moveTo(t, a, b, ch.Port2)
	pt := receive(t, transferred, "PortTransferred")
	assert.True(t, pt.From.Equal(oldPID))
	assert.True(t, pt.To.Equal(moved.PID()))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	pc := receive(t, closed, "PortClosed")
	assert.True(t, pc.Port.Equal(ch.Port1.PID()))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "after close")) })
	md := receive(t, dropped, "MessageDropped")
	assert.True(t, md.Port.Equal(ch.Port1.PID()))
	sys.Root.Send(moved.PID(), &userMsg{key: 7})
	pr := receive(t, rejected, "ProtocolRejected")
	assert.True(t, pr.Port.Equal(moved.PID()))
}
