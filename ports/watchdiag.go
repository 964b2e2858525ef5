package ports

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/entangle-go/entangle/internal/wire"
)

// The diagnostics of misuse: a port that holds messages unstarted, an owner
// spawned before remote started, a port handle sent as a plain message.
// Each is published on the EventStream and written to the extension's
// logger at Warn, once per port (or owner), never per message.

// PortNotStarted is published when a port has held messages for longer
// than the threshold of WithUnstartedWarning (default five seconds)
// because its owner never called Start, OnMessage or OnData on it. It is published
// once per episode: again only after the port's queue was emptied (or the
// port started) and filled up again unstarted.
type PortNotStarted struct {
	Port   *actor.PID
	Owner  *actor.PID
	Queued int       // messages waiting when it was published
	Since  time.Time // when the port was first seen holding messages unstarted
}

// Log implements Diagnostic.
func (e *PortNotStarted) Log() (slog.Level, string, []any) {
	return slog.LevelWarn, "port holds messages but was never started (call Start, OnMessage or OnData on it)", []any{slog.Any("port", e.Port), slog.Any("owner", e.Owner), slog.Int("queued", e.Queued), slog.Time("since", e.Since)}
}

// OwnerNotReachable is published once per actor when an actor that owns
// ports has the address "nonhost" while protoactor remote runs on its
// system: it was spawned before remote.Start, so other nodes cannot answer
// it, and its ports' traffic with other nodes fails (their peers there see
// the channel as lost). Spawn port owners after remote.Start.
type OwnerNotReachable struct {
	Owner         *actor.PID
	SystemAddress string // the system's address now
}

// Log implements Diagnostic.
func (e *OwnerNotReachable) Log() (slog.Level, string, []any) {
	return slog.LevelWarn, "port owner was spawned before remote.Start: other nodes cannot reach it", []any{slog.Any("owner", e.Owner), slog.String("system_address", e.SystemAddress)}
}

// PortSentOutside is published when a *MessagePort reaches an actor with
// ReceiverMiddleware as a plain message (ctx.Send, ctx.Request, a Future)
// instead of in a transfer list of PostMessage or PostTo: the message
// itself, or a field, element or value of it at the top level (a struct,
// a pointer to one, a slice, an array or a map), when the port is owned by
// another actor. Such a handle still belongs to its owner; the receiver
// cannot use it (an InvalidStateError at first use). It is published once
// per port.
type PortSentOutside struct {
	Receiver    *actor.PID
	Sender      *actor.PID // from the envelope; nil if the message had none
	Port        *actor.PID
	Owner       *actor.PID // the port's owner
	MessageType string
}

// Log implements Diagnostic.
func (e *PortSentOutside) Log() (slog.Level, string, []any) {
	return slog.LevelWarn, "a MessagePort was sent as a plain message: transfer it with PostMessage or PostTo", []any{slog.Any("receiver", e.Receiver), slog.Any("sender", e.Sender), slog.Any("port", e.Port), slog.Any("owner", e.Owner), slog.String("message_type", e.MessageType)}
}

// warn publishes a misuse diagnostic and writes it to the logger.
func (e *Extension) warn(d Diagnostic) {
	if !e.cfg.diagnostics {
		return
	}
	e.system.EventStream.Publish(d)
	level, msg, attrs := d.Log()
	e.log.Log(context.Background(), level, msg, attrs...)
}

// checkAddress reports an owner spawned before remote started, once.
func (o *owner) checkAddress() {
	if o.addressChecked {
		return
	}
	if o.self.GetAddress() != wire.UnstartedAddress {
		o.addressChecked = true
		return
	}
	if addr := o.ext.system.Address(); addr != wire.UnstartedAddress {
		o.addressChecked = true
		o.ext.warn(&OwnerNotReachable{Owner: o.self, SystemAddress: addr})
	}
}

// straySeen remembers the ports already reported by PortSentOutside.
type straySeen struct{ ports sync.Map }

// checkStray reports the ports carried by msg, a plain message that reached
// the owner's code, if any.
func (o *owner) checkStray(self, sender *actor.PID, msg any) {
	var found []*MessagePort
	switch m := msg.(type) {
	case *MessagePort:
		found = []*MessagePort{m}
	case *MessageEvent:
		if m.Target == nil {
			return // PostTo's event: its ports were transferred
		}
		found = []*MessagePort{m.Target}
	case nil, *MessageErrorEvent, *CloseEvent, string, int, int64, []byte, bool, float64:
		return
	default:
		found = portsAtTop(m)
	}
	for _, p := range found {
		if p == nil || p.core == nil {
			continue
		}
		c := p.core
		if c.own.self.Equal(self) {
			continue // its own port, in a message to itself: fine
		}
		if _, dup := o.ext.stray.ports.LoadOrStore(c, struct{}{}); dup {
			continue
		}
		o.ext.warn(&PortSentOutside{Receiver: self, Sender: sender, Port: c.pid, Owner: c.own.self, MessageType: fmt.Sprintf("%T", msg)})
	}
}

// portTypes caches, per type, whether a value of it can hold a
// *MessagePort at the top level.
var portTypes sync.Map // reflect.Type -> bool

var portType = reflect.TypeOf((*MessagePort)(nil))

// portsAtTop returns the *MessagePorts in v at the top level: v's fields
// (through one pointer), elements or map values. Types that cannot hold
// one are found out once and skipped after.
func portsAtTop(v any) []*MessagePort {
	t := reflect.TypeOf(v)
	can, known := portTypes.Load(t)
	if known && !can.(bool) {
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	holds := false
	var out []*MessagePort
	switch rv.Kind() {
	case reflect.Struct:
		for i := 0; i < rv.NumField(); i++ {
			if rv.Type().Field(i).Type == portType {
				holds = true
				if p, ok := fieldPort(rv.Field(i)); ok {
					out = append(out, p)
				}
			}
		}
	case reflect.Slice, reflect.Array, reflect.Map:
		if rv.Type().Elem() == portType {
			holds = true
			if rv.Kind() == reflect.Map {
				it := rv.MapRange()
				for it.Next() {
					if p, ok := fieldPort(it.Value()); ok {
						out = append(out, p)
					}
				}
			} else {
				for i := 0; i < rv.Len(); i++ {
					if p, ok := fieldPort(rv.Index(i)); ok {
						out = append(out, p)
					}
				}
			}
		}
	}
	if !known {
		portTypes.Store(t, holds)
	}
	return out
}

// fieldPort returns the *MessagePort in f, also from an unexported field.
func fieldPort(f reflect.Value) (*MessagePort, bool) {
	if f.IsNil() {
		return nil, false
	}
	return (*MessagePort)(f.UnsafePointer()), true
}

// unstartedWatch looks for ports that hold messages unstarted. It runs
// every quarter of the threshold while the system has port actors (armed
// by the first one, see watchUnstarted).
type unstartedWatch struct {
	mu    sync.Mutex
	armed bool
	timer *time.Timer
	// seen maps a core holding messages unstarted to when it was first
	// seen so, and whether it was reported; touched by scans only.
	seen map[*portCore]*unstartedSince
	// cands are the cores that got a message while not started (see
	// noteUnstarted), under mu; a scan drops those that no longer hold
	// any, so the scan looks only at ports that may be holding.
	cands map[*portCore]struct{}
}

// noteUnstarted records that c, not started, got a message into an empty
// queue. It is called under c.mu.
func (e *Extension) noteUnstarted(c *portCore) {
	if e.cfg.unstartedAfter <= 0 || !e.cfg.diagnostics {
		return
	}
	w := &e.unstarted
	w.mu.Lock()
	if w.cands == nil {
		w.cands = map[*portCore]struct{}{}
	}
	w.cands[c] = struct{}{}
	w.mu.Unlock()
}

// forgetUnstarted takes the core of a port actor that has stopped out of
// the scan's candidates at once: a scan comes only every quarter of the
// threshold, and a core left here until then would keep its actor's memory
// alive (a transferred port gets its first message before it is started,
// so at 50,000 transfers a second, some 60,000 dead ports and 100 MB at
// the default threshold). A core in the scan's seen map (one found
// holding messages) stays there until the next scan.
func (e *Extension) forgetUnstarted(c *portCore) {
	if e.cfg.unstartedAfter <= 0 || !e.cfg.diagnostics {
		return // noteUnstarted keeps nothing
	}
	w := &e.unstarted
	w.mu.Lock()
	if w.cands != nil {
		delete(w.cands, c)
	}
	w.mu.Unlock()
}

type unstartedSince struct {
	at       time.Time
	reported bool
}

// watchUnstarted arms the scan if it is not armed (a port actor started).
func (e *Extension) watchUnstarted() {
	if e.cfg.unstartedAfter <= 0 || !e.cfg.diagnostics {
		return
	}
	w := &e.unstarted
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.armed || e.closed {
		return
	}
	w.armed = true
	w.timer = time.AfterFunc(e.cfg.unstartedAfter/4, e.scanUnstarted)
}

// scanUnstarted reports the ports that have held messages unstarted for
// longer than the threshold, and rearms while port actors are alive.
func (e *Extension) scanUnstarted() {
	w := &e.unstarted
	now := time.Now()
	if w.seen == nil {
		w.seen = map[*portCore]*unstartedSince{}
	}
	w.mu.Lock()
	cands := make([]*portCore, 0, len(w.cands))
	for c := range w.cands {
		cands = append(cands, c)
	}
	w.mu.Unlock()
	holding := map[*portCore]int{}
	for _, c := range cands {
		c.mu.Lock()
		n := 0
		if c.live && c.state == handleOpen && !c.enabled {
			n = c.q.len()
		}
		if n == 0 {
			// Under c.mu, so that a message arriving now records the
			// core again after this (noteUnstarted runs under c.mu).
			w.mu.Lock()
			delete(w.cands, c)
			w.mu.Unlock()
		}
		c.mu.Unlock()
		if n > 0 {
			holding[c] = n
		}
	}
	for c := range w.seen {
		if _, ok := holding[c]; !ok {
			delete(w.seen, c) // started, emptied or gone: the episode ends
		}
	}
	for c, n := range holding {
		s := w.seen[c]
		if s == nil {
			w.seen[c] = &unstartedSince{at: now}
			continue
		}
		if !s.reported && now.Sub(s.at) >= e.cfg.unstartedAfter {
			s.reported = true
			e.warn(&PortNotStarted{Port: c.pid, Owner: c.own.self, Queued: n, Since: s.at})
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if e.actors.Load() == 0 || e.closed {
		w.armed = false
		w.cands = nil // no port actor is live: the cores left here are gone
		return
	}
	w.timer.Reset(e.cfg.unstartedAfter / 4)
}

// stopUnstarted stops the scan (the extension is closing).
func (e *Extension) stopUnstarted() {
	w := &e.unstarted
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.armed = false
}
