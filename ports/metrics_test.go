package ports

// Counts: OpenPorts, Stats, the OpenTelemetry metrics, and what idle ports
// cost.

import (
	"context"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func TestMetricsWithMeterProvider(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond), actor.WithMetricProviders(mp))
	_, err := Register(sys)
	require.NoError(t, err)
	defer Unregister(sys)
	a := newProbe(t, sys, "a")
	newChannel(t, a)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if g, ok := m.Data.(metricdata.Gauge[int64]); ok && len(g.DataPoints) > 0 {
				got[m.Name] = g.DataPoints[0].Value
			}
			if s, ok := m.Data.(metricdata.Sum[int64]); ok && len(s.DataPoints) > 0 {
				got[m.Name] = s.DataPoints[0].Value
			}
		}
	}
	assert.Equal(t, int64(2), got["protoactor_messageport_open_count"])
	assert.Equal(t, int64(2), got["protoactor_messageport_actor_count"])
	assert.Contains(t, got, "protoactor_messageport_proxy_count")
	assert.Contains(t, got, "protoactor_messageport_queued_count")
	assert.Contains(t, got, "protoactor_messageport_dropped_count")
	assert.Contains(t, got, "protoactor_messageport_protocol_error_count")
}

func TestOpenPortCounts(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ext := Get(sys)
	ch := newChannel(t, a)
	var n int
	a.do(func(ctx actor.Context) { n = OpenPorts(ctx) })
	assert.Equal(t, 2, n)
	assert.Equal(t, int64(2), ext.Stats().OpenPorts)
	assert.Equal(t, int64(2), ext.Stats().PortActors)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		n = OpenPorts(ctx)
	})
	assert.Equal(t, 1, n)
	a.nextClose()
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Close(ctx)) })
	eventually(t, func() bool { return ext.Stats().PortActors == 0 }, "port actors stop after both ends closed")
	assert.Equal(t, int64(0), ext.Stats().OpenPorts)
}

// OpenPorts and Stats follow ports through creation, transfer and close.
func TestOpenPortsAndStatsFollowTransfers(t *testing.T) {
	sys := newSystem(t)
	a, b := newProbe(t, sys, "a"), newProbe(t, sys, "b")
	ext := Get(sys)
	openAt := func(p *probe) int {
		var n int
		p.do(func(ctx actor.Context) { n = OpenPorts(ctx) })
		return n
	}
	ch := newChannel(t, a)
	assert.Equal(t, 2, openAt(a))
	assert.Equal(t, 0, openAt(b))
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, 1)) })
	assert.Equal(t, int64(1), ext.Stats().QueuedMessages)
	moved := moveTo(t, a, b, ch.Port2)
	assert.Equal(t, 1, openAt(a))
	assert.Equal(t, 1, openAt(b))
	assert.Equal(t, int64(2), ext.Stats().OpenPorts)
	waitPortActors(t, sys, 2)
	eventually(t, func() bool { return ext.Stats().QueuedMessages == 1 }, "the queued message moved with the port")
	assert.Equal(t, []any{1}, startAndRead(t, b, moved, 1))
	assert.Equal(t, int64(0), ext.Stats().QueuedMessages)
	assert.Equal(t, int64(0), ext.queued.Load(), "the stripes sum to zero, unclamped")
	b.do(func(ctx actor.Context) { require.NoError(t, moved.Close(ctx)) })
	assert.Equal(t, 0, openAt(b))
	a.nextClose()
	assert.Equal(t, 1, openAt(a), "a port whose peer closed is open until its owner closes it")
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.Close(ctx)) })
	assert.Equal(t, 0, openAt(a))
	waitPortActors(t, sys, 0)
	assert.Equal(t, int64(0), ext.Stats().OpenPorts)
}

// An idle port costs no goroutine.
func TestIdlePortsCostNoGoroutine(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	before := runtime.NumGoroutine()
	a.do(func(ctx actor.Context) {
		for i := 0; i < 500; i++ {
			ch, err := NewMessageChannel(ctx)
			require.NoError(t, err)
			require.NoError(t, ch.Port1.PostMessage(ctx, i))
			require.NoError(t, ch.Port2.Start(ctx))
		}
	})
	for i := 0; i < 500; i++ {
		a.nextMessage()
	}
	time.Sleep(100 * time.Millisecond) // let protoactor's mailbox goroutines finish
	assert.Less(t, runtime.NumGoroutine()-before, 20, "1000 idle ports")
	assert.Equal(t, int64(1000), Get(sys).Stats().PortActors)
}
