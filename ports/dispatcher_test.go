package ports

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// namedDispatcher is a dispatcher under test (d nil: protoactor's default).
type namedDispatcher struct {
	name string
	d    actor.Dispatcher
}

// ourDispatchers returns a fresh one of each of this package's dispatchers.
func ourDispatchers() []namedDispatcher {
	return []namedDispatcher{
		{"goroutine", NewGoroutineDispatcher(0)},
		{"pool", NewDispatcher(0, 10*time.Millisecond)},
	}
}

// Both dispatchers report the throughput they were given, protoactor's
// default 300 for none.
func TestDispatcherThroughput(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    actor.Dispatcher
		want int
	}{
		{"goroutine, 50", NewGoroutineDispatcher(50), 50},
		{"goroutine, 0", NewGoroutineDispatcher(0), 300},
		{"goroutine, negative", NewGoroutineDispatcher(-1), 300},
		{"pool, 50", NewDispatcher(50, 0), 50},
		{"pool, 0", NewDispatcher(0, 0), 300},
	} {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.d.Throughput()) })
	}
}

// Each scheduled function runs on a goroutine of its own, not the caller's
// and not one that another busy function holds: the first blocks until
// the second has run.
func TestDispatcherRunsEachScheduleOnItsOwnGoroutine(t *testing.T) {
	for _, tt := range ourDispatchers() {
		t.Run(tt.name, func(t *testing.T) {
			second := make(chan struct{})
			firstDone := make(chan struct{})
			// (From a goroutine of the test's own: a dispatcher that ran
			// the functions inline would block it, not the test.)
			go func() {
				tt.d.Schedule(func() {
					<-second
					close(firstDone)
				})
				tt.d.Schedule(func() { close(second) })
			}()
			select {
			case <-firstDone:
			case <-time.After(waitFor):
				t.Fatal("the second function did not run while the first waited for it")
			}
		})
	}
}

// Two owners on each dispatcher keep a round trip going over a channel:
// the deep path (middleware, Receive, a post, the port actors on the same
// goroutine) runs on the dispatcher's goroutines.
func TestOwnersOnEachDispatcherExchangeMessages(t *testing.T) {
	for _, tt := range append(ourDispatchers(), namedDispatcher{"protoactor's default", nil}) {
		t.Run(tt.name, func(t *testing.T) {
			sys := newSystem(t)
			opts := []actor.PropsOption{actor.WithReceiverMiddleware(ReceiverMiddleware)}
			if tt.d != nil {
				opts = append(opts, actor.WithDispatcher(tt.d))
			}
			const trips = 200
			done := make(chan int, 1)
			echo := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case *MessageEvent:
					if len(m.Ports) == 1 {
						assert.NoError(t, m.Ports[0].OnMessage(ctx, func(ctx actor.Context, ev *MessageEvent) {
							_ = ev.Target.PostMessage(ctx, ev.Data.(int)+1)
						}))
					}
				}
			}, opts...))
			var port *MessagePort
			got := 0
			starter := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
				switch m := ctx.Message().(type) {
				case func(actor.Context):
					m(ctx)
				case *MessageEvent:
					n := m.Data.(int)
					if got++; got == trips {
						done <- n
						return
					}
					_ = port.PostMessage(ctx, n+1)
				}
			}, opts...))
			// (assert, not require, on the actor's goroutine: a failure
			// shows, and the wait below times out.)
			sys.Root.Send(starter, func(ctx actor.Context) {
				ch, err := NewMessageChannel(ctx)
				if !assert.NoError(t, err) {
					return
				}
				port = ch.Port1
				assert.NoError(t, port.Start(ctx))
				assert.NoError(t, PostTo(ctx, echo, nil, ch.Port2))
				assert.NoError(t, port.PostMessage(ctx, 0))
			})
			select {
			case n := <-done:
				assert.Equal(t, 2*trips-1, n, "each trip adds one each way")
			case <-time.After(waitFor):
				t.Fatal("the round trips did not finish")
			}
			require.NoError(t, sys.Root.StopFuture(starter).Wait())
			require.NoError(t, sys.Root.StopFuture(echo).Wait())
		})
	}
}
