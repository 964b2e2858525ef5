package ports

// Helpers shared by the package's tests: an actor system with ports
// registered, the probe (a test context that hands the test its port events
// and runs code on its own goroutine), and short ways to make, move, read
// and watch ports.

import (
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const waitFor = 5 * time.Second

// newSystem returns an actor system with protoactor's logging silenced and
// a ports extension configured with opts.
func newSystem(t testing.TB, opts ...Option) *actor.ActorSystem {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}), actor.WithDeadLetterThrottleInterval(time.Millisecond))
	_, err := Register(sys, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { Unregister(sys) })
	return sys
}

// probe is a test context: an actor with ReceiverMiddleware whose Receive
// hands every event to the test through a channel, and which runs test
// code on its own goroutine on request.
type probe struct {
	t      testing.TB
	sys    *actor.ActorSystem
	pid    *actor.PID
	events chan any
	name   string
}

type runOn struct {
	f    func(actor.Context)
	done chan struct{}
}

var probeSeq atomic.Int64

func newProbe(t testing.TB, sys *actor.ActorSystem, name string) *probe {
	t.Helper()
	return newHookProbe(t, sys, name, nil)
}

// newHookProbe is newProbe whose Receive first runs hook for every port
// event, on the actor's goroutine, inside Receive (so the hook may use
// the event's ports), and then hands the event to the test.
func newHookProbe(t testing.TB, sys *actor.ActorSystem, name string, hook func(ctx actor.Context, ev any)) *probe {
	t.Helper()
	p := &probe{t: t, sys: sys, events: make(chan any, 100000), name: name}
	props := actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *runOn:
			m.f(c)
			close(m.done)
		case *MessageEvent, *CloseEvent, *MessageErrorEvent:
			if hook != nil {
				hook(c, m)
			}
			p.events <- m
		}
	}, actor.WithReceiverMiddleware(ReceiverMiddleware))
	pid, err := sys.Root.SpawnNamed(props, fmt.Sprintf("%s-%d", name, probeSeq.Add(1)))
	require.NoError(t, err)
	p.pid = pid
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	return p
}

// do runs f on the probe's goroutine, inside its Receive, and waits.
func (p *probe) do(f func(ctx actor.Context)) {
	p.t.Helper()
	done := make(chan struct{})
	p.sys.Root.Send(p.pid, &runOn{f: f, done: done})
	select {
	case <-done:
	case <-time.After(waitFor):
		p.t.Fatalf("%s: timed out running code on the actor", p.name)
	}
}

// next waits for the probe's next event.
func (p *probe) next() any {
	p.t.Helper()
	select {
	case ev := <-p.events:
		return ev
	case <-time.After(waitFor):
		p.t.Fatalf("%s: timed out waiting for an event", p.name)
		return nil
	}
}

// nextMessage waits for the next event and requires a MessageEvent.
func (p *probe) nextMessage() *MessageEvent {
	p.t.Helper()
	ev := p.next()
	me, ok := ev.(*MessageEvent)
	require.Truef(p.t, ok, "%s: want *MessageEvent, got %T %+v", p.name, ev, ev)
	return me
}

// nextClose waits for the next event and requires a CloseEvent.
func (p *probe) nextClose() *CloseEvent {
	p.t.Helper()
	ev := p.next()
	ce, ok := ev.(*CloseEvent)
	require.Truef(p.t, ok, "%s: want *CloseEvent, got %T %+v", p.name, ev, ev)
	return ce
}

// quiet asserts that no event arrives for d.
func (p *probe) quiet(d time.Duration) {
	p.t.Helper()
	select {
	case ev := <-p.events:
		p.t.Fatalf("%s: unexpected event %T %+v", p.name, ev, ev)
	case <-time.After(d):
	}
}

func newChannel(t testing.TB, pr *probe) *MessageChannel {
	t.Helper()
	var ch *MessageChannel
	pr.do(func(ctx actor.Context) {
		var err error
		ch, err = NewMessageChannel(ctx)
		require.NoError(t, err)
	})
	return ch
}

// moveTo transfers port (owned by from) to to with PostTo and returns the
// handle to receives.
func moveTo(t testing.TB, from, to *probe, port *MessagePort) *MessagePort {
	t.Helper()
	from.do(func(ctx actor.Context) { require.NoError(t, PostTo(ctx, to.pid, "move", port)) })
	ev := to.nextMessage()
	require.Len(t, ev.Ports, 1)
	require.Nil(t, ev.Target)
	return ev.Ports[0]
}

// startAndRead starts port (owned by pr) and returns the data of the next
// n events, requiring each to be a MessageEvent on port.
func startAndRead(t testing.TB, pr *probe, port *MessagePort, n int) []any {
	t.Helper()
	pr.do(func(ctx actor.Context) { require.NoError(t, port.Start(ctx)) })
	return readN(t, pr, port, n)
}

// readN returns the data of the next n events of pr, requiring each to be a
// MessageEvent on port.
func readN(t testing.TB, pr *probe, port *MessagePort, n int) []any {
	t.Helper()
	got := make([]any, 0, n)
	for len(got) < n {
		ev := pr.nextMessage()
		require.Samef(t, port, ev.Target, "%s: a message for another port: %v", pr.name, ev.Data)
		got = append(got, ev.Data)
	}
	return got
}

// seq returns []any{from, ..., to}.
func seq(from, to int) []any {
	out := []any{}
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// closesOf reads events from pr until it has seen n CloseEvents and returns
// them by target; any MessageEvent in between fails the test.
func closesOf(t testing.TB, pr *probe, n int) map[*MessagePort][]CloseReason {
	t.Helper()
	out := map[*MessagePort][]CloseReason{}
	for seen := 0; seen < n; seen++ {
		ce := pr.nextClose()
		out[ce.Target] = append(out[ce.Target], ce.Reason)
	}
	return out
}

// eventually waits until cond holds.
func eventually(t testing.TB, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", msg)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitPortActors waits until the system has no port actors left beyond
// want and no proxies.
func waitPortActors(t testing.TB, sys *actor.ActorSystem, want int64) {
	t.Helper()
	ext := Get(sys)
	eventually(t, func() bool {
		s := ext.Stats()
		return s.PortActors == want && s.Proxies == 0
	}, fmt.Sprintf("port actors settle at %d (stats now %+v)", want, ext.Stats()))
}

// subscribe collects the diagnostics of type T published on sys.
func subscribe[T any](t testing.TB, sys *actor.ActorSystem) chan T {
	t.Helper()
	ch := make(chan T, 1024)
	sub := sys.EventStream.Subscribe(func(evt any) {
		if v, ok := evt.(T); ok {
			select {
			case ch <- v:
			default:
			}
		}
	})
	t.Cleanup(func() { sys.EventStream.Unsubscribe(sub) })
	return ch
}

// receive waits for one value from ch.
func receive[T any](t testing.TB, ch chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitFor):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

func assertAttached(t testing.TB, ts ...interface{ Detached() bool }) {
	t.Helper()
	for i, x := range ts {
		assert.Falsef(t, x.Detached(), "entry %d (%v) was detached", i, x)
	}
}

// twin compares two clones of one value, the one a post in this process
// delivers and the record path's (the same comparison as the messages
// package's own tests): the same types, the same bits
// (float32 NaN payloads included), the same slice capacities, the same
// nil-ness, and the same aliasing (a bijection between their pointers and
// maps). It returns "" or the first difference.
func twin(a, b any) string {
	s := &twinState{fwd: map[ident]ident{}, back: map[ident]ident{}}
	if err := s.eq(reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem(), "root"); err != nil {
		return err.Error()
	}
	return ""
}

// ident is an object of one clone: its address and type.
type ident struct {
	p uintptr
	t reflect.Type
}

type twinState struct{ fwd, back map[ident]ident }

func (s *twinState) pair(a, b reflect.Value, path string) (bool, error) {
	ia, ib := ident{a.Pointer(), a.Type()}, ident{b.Pointer(), b.Type()}
	fa, okA := s.fwd[ia]
	fb, okB := s.back[ib]
	switch {
	case okA != okB || okA && (fa != ib || fb != ia):
		return true, fmt.Errorf("%s: aliasing differs", path)
	case okA:
		return true, nil
	}
	s.fwd[ia], s.back[ib] = ib, ia
	return false, nil
}

// bits returns the memory of v (a value of a pointer-free type).
func bits(v reflect.Value) string {
	c := reflect.New(v.Type())
	c.Elem().Set(v) // a memory copy: no float conversion
	return string(unsafe.Slice((*byte)(c.UnsafePointer()), v.Type().Size()))
}

func (s *twinState) eq(a, b reflect.Value, path string) error {
	if a.Kind() == reflect.Interface {
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: nil-ness differs", path)
			}
			return nil
		}
		a, b = a.Elem(), b.Elem()
	}
	if a.Type() != b.Type() {
		return fmt.Errorf("%s: type %v and %v", path, a.Type(), b.Type())
	}
	t := a.Type()
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		if bits(a) != bits(b) {
			return fmt.Errorf("%s: %v and %v differ in their bits", path, a, b)
		}
	case reflect.String:
		if a.String() != b.String() {
			return fmt.Errorf("%s: %q and %q", path, a.String(), b.String())
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() || a.Cap() != b.Cap() {
			return fmt.Errorf("%s: slice nil-ness, length or capacity differs: %v/%d/%d and %v/%d/%d",
				path, a.IsNil(), a.Len(), a.Cap(), b.IsNil(), b.Len(), b.Cap())
		}
		for i := 0; i < a.Len(); i++ {
			if err := s.eq(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if err := s.eq(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			f := t.Field(i)
			if f.Name == "_" || !f.IsExported() {
				if f.Type.Size() > 0 && bits(reflectField(a, i)) != bits(reflectField(b, i)) {
					return fmt.Errorf("%s.%s: unexported or blank field differs", path, f.Name)
				}
				continue
			}
			if err := s.eq(a.Field(i), b.Field(i), path+"."+f.Name); err != nil {
				return err
			}
		}
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: map nil-ness differs", path)
			}
			return nil
		}
		if seen, err := s.pair(a, b, path); seen || err != nil {
			return err
		}
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: map length %d and %d", path, a.Len(), b.Len())
		}
		return s.mapEntries(a, b, path)
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: pointer nil-ness differs", path)
			}
			return nil
		}
		if seen, err := s.pair(a, b, path); seen || err != nil {
			return err
		}
		return s.eq(a.Elem(), b.Elem(), path)
	default:
		return fmt.Errorf("%s: cannot compare kind %v", path, t.Kind())
	}
	return nil
}

// mapEntries matches the entries of two maps: keys that compare equal by
// ==, or for keys that hold pointers, by the order of a sorted print.
func (s *twinState) mapEntries(a, b reflect.Value, path string) error {
	if comparableByValue(a.Type().Key()) {
		for it := a.MapRange(); it.Next(); {
			k := it.Key()
			if k.Kind() == reflect.Float32 || k.Kind() == reflect.Float64 {
				if f := k.Float(); math.IsNaN(f) {
					continue // NaN keys cannot be looked up: lengths were compared
				}
			}
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Errorf("%s: key %v missing", path, k)
			}
			if err := s.eq(it.Value(), bv, fmt.Sprintf("%s[%v]", path, k)); err != nil {
				return err
			}
		}
		return nil
	}
	// Keys with identity: a map of one entry is all the fuzz targets make.
	if a.Len() == 1 {
		ia, ib := a.MapRange(), b.MapRange()
		ia.Next()
		ib.Next()
		if err := s.eq(ia.Key(), ib.Key(), path+"(key)"); err != nil {
			return err
		}
		return s.eq(ia.Value(), ib.Value(), path+"[key]")
	}
	return nil
}

// comparableByValue reports whether keys of t are equal in both clones
// exactly when equal by == (no pointers or interfaces inside).
func comparableByValue(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
		return false
	case reflect.Array:
		return comparableByValue(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !comparableByValue(t.Field(i).Type) {
				return false
			}
		}
	}
	return true
}

// reflectField returns field i of struct v, readable even when unexported.
func reflectField(v reflect.Value, i int) reflect.Value {
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	f := c.Field(i)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// recordBytes is v as a Record in binary form, as another node sends it.
func recordBytes(t *testing.T, v any) []byte {
	t.Helper()
	rec, err := messages.Serialize(v)
	require.NoError(t, err)
	b, err := rec.MarshalBinary()
	require.NoError(t, err)
	return b
}

// moveAndSettle moves port (owned by from) to to and waits until its peer
// (owned by from) has a message from the moved end: by then the peer knows
// the successor and has heard the old incarnation, returned as former,
// say it is done.
func moveAndSettle(t *testing.T, from, to *probe, port, peer *MessagePort) (former *wire.Ref, moved *MessagePort) {
	t.Helper()
	former = port.core.ref()
	moved = moveTo(t, from, to, port)
	to.do(func(ctx actor.Context) { require.NoError(t, moved.PostMessage(ctx, "moved")) })
	require.Equal(t, []any{"moved"}, startAndRead(t, from, peer, 1))
	return former, moved
}

// requireFormerRefused sends port, from sys, a Closed in the name of its
// former neighbour and requires it to be refused as such.
func requireFormerRefused(t *testing.T, sys *actor.ActorSystem, rejected chan *ProtocolRejected, port *MessagePort, former *wire.Ref) {
	t.Helper()
	sys.Root.Send(port.PID(), &wire.Closed{Key: port.core.key, From: former, Origin: former, Last: 1})
	pr := receive(t, rejected, "ProtocolRejected")
	require.Contains(t, pr.Reason, "no longer a route neighbour")
}
