package leaktest

import "go.uber.org/goleak"

// Options are the goleak ignores for packages that run protoactor, with or
// without remote.
func Options() []goleak.Option {
	return []goleak.Option{
		// protoactor's dead-letter log throttle keeps a goroutine for its
		// interval (one second by default) after a dead letter, such as a
		// Terminated that reaches an actor which has just stopped. Its
		// name depends on the compiler's inlining: Go 1.26 inlines
		// NewThrottle into NewDeadLetter, Go 1.27 does not.
		goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1"),
		goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewThrottle.func1.1"),
		// protoactor remote's Shutdown leaves gRPC's own background
		// goroutines behind; only those are ignored.
		goleak.IgnoreAnyFunction("google.golang.org/grpc/internal/grpcsync.(*CallbackSerializer).run"),
		goleak.IgnoreAnyFunction("google.golang.org/grpc.(*ccBalancerWrapper).watcher"),
		goleak.IgnoreAnyFunction("google.golang.org/grpc/internal/transport.(*controlBuffer).get"),
		goleak.IgnoreAnyFunction("google.golang.org/grpc/internal/transport.(*http2Client).keepalive"),
		goleak.IgnoreAnyFunction("google.golang.org/grpc/internal/transport.(*http2Client).reader"),
		goleak.IgnoreAnyFunction("google.golang.org/grpc/internal/transport.(*http2Server).keepalive"),
		// After a node is killed, remote keeps dialing it over gRPC for a
		// while (a sleep between attempts, then gRPC's own reconnect).
		goleak.IgnoreAnyFunction("github.com/asynkron/protoactor-go/remote.(*endpointWriter).initialize"),
		goleak.IgnoreAnyFunction("google.golang.org/grpc.(*addrConn).resetTransport"),
	}
}
