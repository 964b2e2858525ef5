package ports

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// instruments are the OpenTelemetry instruments of the ports extension.
// They exist only when the actor system was created with a meter provider
// (actor.WithMetricProviders); all of them are observed from the
// extension's counters in one callback, so the message path pays nothing.
//
// Names follow protoactor's style:
//
//	protoactor_messageport_open_count        ports neither closed nor shipped
//	protoactor_messageport_actor_count       live port actors (any role)
//	protoactor_messageport_proxy_count       port actors forwarding for a moved port
//	protoactor_messageport_queued_count      messages waiting in port queues
//	protoactor_messageport_dropped_count     messages dropped so far
//	protoactor_messageport_protocol_error_count protocol messages rejected so far
type instruments struct {
	reg metric.Registration
}

func newInstruments(e *Extension) *instruments {
	mp := e.system.Config.MetricsProvider
	if mp == nil {
		return nil
	}
	meter := mp.Meter("github.com/entangle-go/entangle/ports")
	open, err1 := meter.Int64ObservableGauge("protoactor_messageport_open_count", metric.WithDescription("MessagePorts that are neither closed nor shipped"))
	actors, err2 := meter.Int64ObservableGauge("protoactor_messageport_actor_count", metric.WithDescription("live port actors"))
	proxies, err3 := meter.Int64ObservableGauge("protoactor_messageport_proxy_count", metric.WithDescription("port actors forwarding for a port that moved"))
	queued, err4 := meter.Int64ObservableGauge("protoactor_messageport_queued_count", metric.WithDescription("messages that reached a port and wait for dispatch"))
	dropped, err5 := meter.Int64ObservableCounter("protoactor_messageport_dropped_count", metric.WithDescription("messages dropped"))
	proto, err6 := meter.Int64ObservableCounter("protoactor_messageport_protocol_error_count", metric.WithDescription("port protocol messages rejected"))
	for _, err := range []error{err1, err2, err3, err4, err5, err6} {
		if err != nil {
			e.log.Warn("ports: cannot create metric instruments", "error", err)
			return nil
		}
	}
	attrs := metric.WithAttributes(attribute.String("address", e.system.Address()))
	reg, err := meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		o.ObserveInt64(open, e.openHandles.Load(), attrs)
		o.ObserveInt64(actors, e.actors.Load(), attrs)
		o.ObserveInt64(proxies, e.proxies.Load(), attrs)
		o.ObserveInt64(queued, e.queuedNow(), attrs)
		o.ObserveInt64(dropped, e.dropped.Load(), attrs)
		o.ObserveInt64(proto, e.protoErrors.Load(), attrs)
		return nil
	}, open, actors, proxies, queued, dropped, proto)
	if err != nil {
		e.log.Warn("ports: cannot register metric callback", "error", err)
		return nil
	}
	return &instruments{reg: reg}
}

func (i *instruments) close() {
	if i != nil && i.reg != nil {
		_ = i.reg.Unregister()
	}
}
