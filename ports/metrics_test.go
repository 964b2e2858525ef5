package ports

import (
	"context"
	"log/slog"
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
