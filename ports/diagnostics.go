package ports

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// The diagnostics below are published on the actor system's EventStream
// (unless turned off with WithDiagnostics(false)); the package
// documentation's Observability section lists them all, with
// PeerRejected (gateway.go) and those of watchdiag.go, in one table. None
// is published per delivered message. Each has a Log method so a
// subscriber can forward it to slog in one line:
//
//	system.EventStream.Subscribe(func(evt any) {
//		if d, ok := evt.(ports.Diagnostic); ok {
//			level, msg, attrs := d.Log()
//			logger.Log(context.Background(), level, msg, attrs...)
//		}
//	})

// Diagnostic is implemented by every diagnostic event of this package.
type Diagnostic interface {
	Log() (level slog.Level, msg string, attrs []any)
}

// PortClosed is published when a port actor closes its end of a channel.
type PortClosed struct {
	Port   *actor.PID
	Reason string
}

// Log implements Diagnostic.
func (e *PortClosed) Log() (slog.Level, string, []any) {
	return slog.LevelDebug, "port closed", []any{slog.Any("port", e.Port), slog.String("reason", e.Reason)}
}

// PortTransferred is published when a port's successor (under its new
// owner) has taken over from the actor that held it.
type PortTransferred struct {
	From *actor.PID // the old incarnation, now a proxy until it retires
	To   *actor.PID // the new incarnation
}

// Log implements Diagnostic.
func (e *PortTransferred) Log() (slog.Level, string, []any) {
	return slog.LevelDebug, "port transferred", []any{slog.Any("from", e.From), slog.Any("to", e.To)}
}

// MessageDropped reports messages dropped at one port for one reason: posted
// on a closed or transferred port or on a doomed channel, over a queue
// limit, arriving at a closed port, or waiting undispatched in a port's
// queue when the port was closed. It is an aggregate, published at most
// once per port, reason and interval (WithDropReports; default one
// second): the first drop at once, the drops that follow within the
// interval together when it ends, and what is pending when the port actor
// stops (Final set). Stats().Dropped counts every message.
type MessageDropped struct {
	Port   *actor.PID
	Reason string
	Count  int       // messages dropped in this report (at least 1)
	Bytes  int64     // their size (record bytes) where known, else 0
	First  time.Time // when the first of them was dropped
	Last   time.Time // when the last of them was dropped
	Final  bool      // the port actor stopped: no more reports for it
}

// Log implements Diagnostic.
func (e *MessageDropped) Log() (slog.Level, string, []any) {
	return slog.LevelDebug, "messages dropped", []any{slog.Any("port", e.Port), slog.String("reason", e.Reason), slog.Int("count", e.Count), slog.Int64("bytes", e.Bytes), slog.Time("first", e.First), slog.Time("last", e.Last), slog.Bool("final", e.Final)}
}

// ProtocolRejected is published when a port actor ignores a protocol
// message: a wrong route key, a sender that is not one of its current
// route neighbours (see the package documentation, Security), a duplicate,
// or a message that makes no sense in the actor's role. A message from an
// unknown sender is reported once it has been held for a second without
// its sender being announced; it stays held in case it is. In a healthy
// system the count is zero.
type ProtocolRejected struct {
	Port    *actor.PID
	Message string // the message's wire type (user messages: *wire.Msg)
	Reason  string
	Role    string // the port actor's role when it rejected the message
}

// Log implements Diagnostic.
func (e *ProtocolRejected) Log() (slog.Level, string, []any) {
	return slog.LevelWarn, "port protocol message rejected", []any{slog.Any("port", e.Port), slog.String("message", e.Message), slog.String("reason", e.Reason), slog.String("role", e.Role)}
}

func (e *Extension) publish(evt Diagnostic) {
	if !e.cfg.diagnostics {
		return
	}
	e.system.EventStream.Publish(evt)
}

// droppedUndispatched counts and reports the n messages that had reached
// port but were dropped undispatched because it closed.
func (e *Extension) droppedUndispatched(port *actor.PID, n int, reason string) {
	if n == 0 {
		return
	}
	e.dropped.Add(int64(n))
	e.reportDrop(port, reason, n, 0)
}
