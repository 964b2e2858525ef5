package actors

import (
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is the invoker of a mailbox under test: it notes what it is
// handed, and runs a hook for a user message if one is set for it.
type recorder struct {
	mu        sync.Mutex
	got       []any
	escalated []any // the messages handed to EscalateFailure
	reasons   []any
	on        map[any]func()
}

func (r *recorder) InvokeSystemMessage(m any) { r.note(m) }

func (r *recorder) InvokeUserMessage(m any) {
	r.note(m)
	if r.on == nil {
		return // (a batch, a slice, cannot be a key)
	}
	if f := r.on[m]; f != nil {
		f()
	}
}

func (r *recorder) EscalateFailure(reason, m any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reasons = append(r.reasons, reason)
	r.escalated = append(r.escalated, m)
}

func (r *recorder) note(m any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
}

func (r *recorder) seen() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]any(nil), r.got...)
}

// heldDispatcher keeps the runs it is given until the test runs them.
type heldDispatcher struct {
	throughput int
	runs       []func()
}

func (d *heldDispatcher) Schedule(fn func()) { d.runs = append(d.runs, fn) }
func (d *heldDispatcher) Throughput() int    { return d.throughput }

// runAll runs what was scheduled, including what those runs schedule.
func (d *heldDispatcher) runAll() {
	for len(d.runs) > 0 {
		fn := d.runs[0]
		d.runs = d.runs[1:]
		fn()
	}
}

func newTestMailbox(r *recorder, throughput int) (*contextMailbox, *heldDispatcher) {
	d := &heldDispatcher{throughput: throughput}
	m := newContextMailbox().(*contextMailbox)
	m.RegisterHandlers(r, d)
	m.Start()
	return m, d
}

type batch []any

func (b batch) GetMessages() []any { return b }

var (
	sysA    = &actor.Started{}
	sysB    = &actor.Stop{}
	suspend = &actor.SuspendMailbox{}
	resume  = &actor.ResumeMailbox{}
)

// What the mailbox hands on, and in which order, for messages posted
// before its run.
func TestContextMailboxOrder(t *testing.T) {
	inner := batch{"b1", "b2"}
	env := &actor.MessageEnvelope{Message: batch{"e1"}}
	for _, tt := range []struct {
		name       string
		user, sys  []any
		throughput int
		want       []any
		wantLeft   int // user messages still queued after the run
	}{
		{name: "user messages in the order posted", user: []any{1, 2, 3}, want: []any{1, 2, 3}},
		{name: "system messages first", user: []any{1, 2}, sys: []any{sysA, sysB}, want: []any{sysA, sysB, 1, 2}},
		{name: "suspended: system messages only", user: []any{1, 2}, sys: []any{suspend, sysA}, want: []any{sysA}, wantLeft: 2},
		{name: "resumed", user: []any{1}, sys: []any{suspend, sysA, resume}, want: []any{sysA, 1}},
		{name: "a batch: its messages, then itself", user: []any{0, inner, 3}, want: []any{0, "b1", "b2", inner, 3}},
		{name: "a batch in an envelope", user: []any{env}, want: []any{"e1", env}},
		{name: "more than the throughput in one run", user: []any{1, 2, 3, 4, 5}, throughput: 1, want: []any{1, 2, 3, 4, 5}},
		{name: "nothing", want: nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{}
			throughput := tt.throughput
			if throughput == 0 {
				throughput = 300
			}
			m, d := newTestMailbox(r, throughput)
			for _, u := range tt.user {
				m.PostUserMessage(u)
			}
			for _, s := range tt.sys {
				m.PostSystemMessage(s)
			}
			if len(tt.user)+len(tt.sys) > 0 {
				require.Len(t, d.runs, 1, "one run scheduled for every message posted while idle")
			}
			d.runAll()
			assert.Equal(t, tt.want, r.seen())
			assert.Equal(t, tt.wantLeft, m.UserMessageCount())
			assert.Empty(t, r.reasons, "nothing escalated")
		})
	}
}

// A message posted during a run is handled by that run; one posted after
// it is over schedules a new one.
func TestContextMailboxSchedulesOncePerIdleSpell(t *testing.T) {
	r := &recorder{}
	m, d := newTestMailbox(r, 300)
	r.on = map[any]func(){1: func() { m.PostUserMessage(2) }}
	m.PostUserMessage(1)
	require.Len(t, d.runs, 1)
	d.runs[0]()
	assert.Equal(t, []any{1, 2}, r.seen())
	m.PostUserMessage(3)
	require.Len(t, d.runs, 2, "a message after the run schedules another")
	d.runs[1]()
	assert.Equal(t, []any{1, 2, 3}, r.seen())
	assert.Equal(t, 0, m.UserMessageCount())
}

// A run yields the processor after Throughput+1 messages and goes on (as
// protoactor's default mailbox does), and again after as many more. The
// yield is recorded among the messages, so the test does not depend on
// which goroutine Go's scheduler runs next.
func TestContextMailboxYieldsAfterThroughput(t *testing.T) {
	r := &recorder{}
	m, d := newTestMailbox(r, 2)
	var order []any
	m.yield = func() { order = append(order, "yield") }
	r.on = map[any]func(){}
	for i := range 7 {
		m.PostUserMessage(i)
		r.on[i] = func() { order = append(order, i) }
	}
	d.runAll()
	assert.Equal(t, []any{0, 1, 2, 3, 4, 5, 6}, r.seen())
	assert.Equal(t, []any{0, 1, 2, "yield", 3, 4, 5, "yield", 6}, order)
	assert.Empty(t, d.runs, "one run did it all")
}

// The mailbox the contexts get yields with runtime.Gosched.
func TestContextMailboxYieldsWithGosched(t *testing.T) {
	m := newContextMailbox().(*contextMailbox)
	require.NotNil(t, m.yield)
	assert.Equal(t, reflect.ValueOf(runtime.Gosched).Pointer(), reflect.ValueOf(m.yield).Pointer())
}

// Each message is posted just as the run that handled the one before is
// ending, on a dispatcher that runs each run on a goroutine of its own: a
// message that arrives between a run's last look at its queues and its
// idle mark must still be handled (a lost wake-up would strand it). User
// messages; and system messages while suspended, which a suspended mailbox
// must still run, with the held user message released by the Resume.
func TestContextMailboxStrandsNoMessage(t *testing.T) {
	const rounds = 100_000
	for _, tt := range []struct {
		name string
		sys  bool
	}{
		{"user messages", false},
		{"system messages while suspended", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan any, 1)
			m := newContextMailbox().(*contextMailbox)
			m.RegisterHandlers(invokerFunc(func(msg any) { got <- msg }), contextDispatcher)
			post := m.PostUserMessage
			if tt.sys {
				m.PostSystemMessage(suspend)
				m.PostUserMessage("held")
				post = m.PostSystemMessage
			}
			next := func(what string) any {
				select {
				case v := <-got:
					return v
				case <-time.After(5 * time.Second):
					require.FailNow(t, what+" stranded", "queued=%d scheduled=%v", m.UserMessageCount(), m.scheduled.Load())
					return nil
				}
			}
			for i := range rounds {
				post(i)
				require.Equal(t, i, next(fmt.Sprintf("message %d", i)))
			}
			if tt.sys {
				m.PostSystemMessage(resume)
				assert.Equal(t, "held", next("the held user message"))
			}
			require.Eventually(t, func() bool { return !m.scheduled.Load() }, 5*time.Second, time.Millisecond)
		})
	}
}

// A panic out of a message goes to EscalateFailure with that message, and
// the messages behind it are still handed on.
func TestContextMailboxEscalatesAPanic(t *testing.T) {
	r := &recorder{}
	m, d := newTestMailbox(r, 300)
	r.on = map[any]func(){"boom": func() { panic("boom panicked") }}
	for _, u := range []any{1, "boom", 2} {
		m.PostUserMessage(u)
	}
	d.runAll()
	assert.Equal(t, []any{1, "boom", 2}, r.seen())
	assert.Equal(t, []any{"boom"}, r.escalated)
	assert.Equal(t, []any{"boom panicked"}, r.reasons)
}

// Scheduling a run allocates nothing: the mailbox hands the dispatcher the
// same function every time.
func TestContextMailboxSchedulesWithoutAllocating(t *testing.T) {
	r := &recorder{}
	m, d := newTestMailbox(r, 300)
	msg := any(1)
	m.PostUserMessage(msg) // the queue's first growth
	d.runAll()
	allocs := testing.AllocsPerRun(100, func() {
		m.PostUserMessage(msg)
		d.runs = d.runs[:0]
		m.run()
	})
	assert.Zero(t, allocs)
}

// Senders on many goroutines, on a dispatcher that runs each run on a
// goroutine of its own: every message is handed on once, each sender's in
// the order it posted them, never two at a time.
func TestContextMailboxUnderConcurrentSenders(t *testing.T) {
	const senders, each = 8, 2000
	type msg struct{ from, i int }
	var (
		mu      sync.Mutex
		next    [senders]int
		bad     []string
		running bool
		count   int
	)
	done := make(chan struct{})
	inv := invokerFunc(func(m any) {
		mu.Lock()
		if running {
			bad = append(bad, "two messages handed on at once")
		}
		running = true
		mu.Unlock()
		v := m.(msg)
		mu.Lock()
		running = false
		if v.i != next[v.from] {
			bad = append(bad, fmt.Sprintf("sender %d: got %d, want %d", v.from, v.i, next[v.from]))
		}
		next[v.from] = v.i + 1
		if count++; count == senders*each {
			close(done)
		}
		mu.Unlock()
	})
	m := newContextMailbox().(*contextMailbox)
	m.RegisterHandlers(inv, contextDispatcher)
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m.PostUserMessage(msg{s, i})
			}
		}()
	}
	wg.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		require.FailNow(t, "not every message was handed on", "%d of %d", count, senders*each)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, bad)
	// The last run marks the mailbox idle after it handed on the last
	// message: wait for that, so that no run is left behind the test.
	require.Eventually(t, func() bool { return !m.scheduled.Load() }, 5*time.Second, time.Millisecond)
}

type invokerFunc func(any)

func (f invokerFunc) InvokeSystemMessage(m any)   { f(m) }
func (f invokerFunc) InvokeUserMessage(m any)     { f(m) }
func (invokerFunc) EscalateFailure(reason, _ any) { panic(reason) }

// A context is on the contexts' mailbox unless its props name another,
// which then gets its messages (here, with mailbox statistics).
func TestContextsMailboxIsTheirsUnlessPropsNameOne(t *testing.T) {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	t.Cleanup(sys.Shutdown)
	posted := make(chan any, 16)
	stats := postedStats(posted)
	for _, tt := range []struct {
		name  string
		opts  []actor.PropsOption
		want  reflect.Type
		stats bool
	}{
		{name: "default", want: reflect.TypeFor[*contextMailbox]()},
		{name: "named by the props", opts: []actor.PropsOption{actor.WithMailbox(actor.Unbounded(stats))}, stats: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pid := sys.Root.Spawn(WindowProps(origin.MustParse("https://a.example"), Func(func(actor.Context) {}), tt.opts...))
			t.Cleanup(func() { _ = sys.Root.PoisonFuture(pid).Wait() })
			p, ok := sys.ProcessRegistry.GetLocal(pid.Id)
			require.True(t, ok)
			mb := reflect.ValueOf(p).Elem().FieldByName("mailbox")
			require.True(t, mb.IsValid(), "protoactor's ActorProcess has no mailbox field")
			if tt.want != nil {
				assert.Equal(t, tt.want, mb.Elem().Type())
				return
			}
			assert.NotEqual(t, reflect.TypeFor[*contextMailbox](), mb.Elem().Type())
			sys.Root.Send(pid, "hello")
			deadline := time.After(5 * time.Second)
			for {
				select {
				case m := <-posted:
					if m == "hello" {
						return
					}
				case <-deadline:
					require.FailNow(t, "the props' mailbox did not get the message")
				}
			}
		})
	}
}

// postedStats is mailbox statistics that pass on every posted message.
type postedStats chan any

func (postedStats) MailboxStarted() {}
func (s postedStats) MessagePosted(m any) {
	if e, ok := m.(*actor.MessageEnvelope); ok {
		m = e.Message
	}
	select {
	case s <- m:
	default:
	}
}
func (postedStats) MessageReceived(any) {}
func (postedStats) MailboxEmpty()       {}
