// Package actors gives a Go program the web's contexts on Proto.Actor:
// windows, cross-origin iframes, dedicated workers and shared workers, each
// an actor whose mailbox is its event loop and whose MessagePorts (package
// ports) are its children. A program can then be structured the way a web
// app is: a window that embeds frames, hands them ports, runs work in
// workers, and shares a worker between several windows.
//
// # Mapping to the HTML Standard
//
//	web platform                               here
//	-----------------------------------------  ------------------------------------------------------
//	browsing context (window, tab)             an actor spawned from WindowProps(origin, producer)
//	origin / opaque origin                     origin.Origin (package actors/origin): Parse, Opaque; "null" if opaque
//	<iframe> (nested browsing context)         CreateIFrame(ctx, origin, producer, opts): a child actor
//	WindowProxy (frame.contentWindow, parent)  *WindowProxy: CreateIFrame's result, Scope.Parent, Scope.Top, WindowOf(pid)
//	window.postMessage(msg, targetOrigin, t)   (*WindowProxy).PostMessage(ctx, data, targetOrigin, transfer...)
//	MessageEvent origin / source / ports       ports.MessageEvent: Origin, Source (a PID), Ports
//	iframe.remove(), window.close()            RemoveIFrame(ctx, frame), Close(ctx), Plugin.Destroy(pid)
//	new Worker(url)                            NewWorker(ctx, producer, opts): a child actor
//	worker.postMessage / self.postMessage      (*Worker).PostMessage / WorkerPostMessage(ctx, ...)
//	worker.terminate() / self.close()          (*Worker).Terminate(ctx) / Close(ctx); (*Worker).TerminateGracefully(ctx) loses nothing
//	new SharedWorker(url, name)                NewSharedWorker(ctx, script, name, producer): .Port
//	connect event (e.ports[0], e.source)       *ConnectEvent{Port, Ports, Source} in the shared worker
//	event loop: one task at a time             the context's mailbox: one message is one task
//	uncaught exception, error event            a panic in a task: *ErrorEvent to the context and the EventStream
//	event.preventDefault() on an error event   (*ErrorEvent).PreventDefault(), while Receive handles it
//	worker.onerror (error at the Worker)       *ErrorEvent in the creator, Worker set, unless the worker prevented it
//	setTimeout / clearTimeout                  SetTimeout(ctx, d, fn) / ClearTimeout(ctx, id)
//	global object (window, self)               ScopeOf(ctx): Kind, Origin, Name, Parent, Top
//
// # Using it
//
// Register the plugin on an actor system, spawn a window, and let it do
// what a page does:
//
//	plugin, _ := actors.Register(system)
//	system.Root.Spawn(actors.WindowFunc(origin.MustParse("https://app.example"), func(ctx actor.Context) {
//		switch m := ctx.Message().(type) {
//		case *actor.Started:
//			frame, _ := actors.CreateIFrame(ctx, origin.MustParse("https://widget.example"), widget, actors.IFrameOptions{})
//			ch, _ := ports.NewMessageChannel(ctx)
//			_ = ch.Port1.Start(ctx)
//			_ = frame.PostMessage(ctx, "init", "https://widget.example", ch.Port2)
//		case *ports.MessageEvent:
//			fmt.Println("the widget says", m.Data)
//		}
//	}))
//	defer plugin.Shutdown(ctx)
//
// A context's code is an ordinary protoactor actor (or receive function):
// WindowProps returns plain *actor.Props, so users keep their own
// middleware (it runs after the plugin's and sees the events), naming,
// dispatcher and mailbox. Contexts run on ports.NewGoroutineDispatcher
// unless their props name another dispatcher: protoactor's scheduling (a
// goroutine per mailbox run), with the goroutine's stack grown for a
// context's deep path before it runs; and on a mailbox of the plugin's
// unless their props name another (actor.WithMailbox): protoactor's
// default unbounded mailbox in behaviour (the same order, suspension,
// throughput, batches and failure escalation) that allocates nothing when
// it schedules a run, and has no mailbox middleware (name
// actor.Unbounded(stats...) for statistics). Events arrive as ordinary messages,
// one Receive each. Code outside any actor uses a Bridge: a browsing context that owns
// ports for it and queues their events for Go code (Receive with a
// context.Context, a Go channel, request/reply), plus Plugin.Run and
// actorstest.WaitQuiet (package actors/actorstest) for tests.
//
// # Lifecycle
//
// Destroying a context (Close, RemoveIFrame, Terminate,
// TerminateGracefully, Plugin.Destroy, Plugin.Shutdown, or a PoisonPill
// sent to it) discards its queued tasks, destroys its nested contexts
// first, closes its open ports (their peers get a CloseEvent after every
// message posted before) and lets the ports it had posted away finish
// their transfer; then the actor stops. Nothing that was posted is lost on
// the way, with one exception that the standard makes: Worker.Terminate
// also closes the creator's end of the worker's implicit channel at once,
// dropping what the worker posted there that the creator has not received
// yet (TerminateGracefully delivers it). A hard Stop of a context skips
// all that: its nested contexts stop at once, its open ports close as the
// stop begins (their peers get a CloseEvent with ports.CloseByPeer) and
// the ports it had in transit are lost (their peers get one with
// ports.CloseLost).
//
// A dedicated worker is a child actor of its creator and ends with it. A
// shared worker is a top-level actor; it lives while at least one context
// that connected to it is alive (the web's owner set), then closes itself.
//
// Plugin.Shutdown ends the plugin's contexts, and only them: the ports
// extension (ports.Get) stays registered with its Stats, so that actors
// that are not contexts and own ports through ports.ReceiverMiddleware
// keep their channels; a later Register attaches a fresh plugin to the
// same extension. Call ports.Unregister when the system is done with
// ports.
//
// # Failures and supervision
//
// A panic in a task (the context's Receive, middleware added after the
// plugin's, a port's OnMessage or OnData handler, a timer callback, a continuation
// given to ctx.ReenterAfter, a function given to Plugin.Run) is the web's
// uncaught exception: that task ends, an *ErrorEvent is delivered to the
// context as its next task and published on the EventStream, and the
// context keeps running with its ports and nested contexts.
// ErrorEvent.Message is the message the user's code was handling (the
// port's *ports.MessageEvent, say), never the plumbing it came in.
//
// In a dedicated worker the error then goes on, as the HTML Standard's
// "report an exception" says: unless the worker's code calls
// ev.PreventDefault() while its Receive handles the event, the creator
// gets an *ErrorEvent for that worker (ev.Worker is the creator's handle,
// ev.Context the worker where the panic happened, ev.Message nil) as a
// task of its own; if the creator does not call PreventDefault either and
// is itself a dedicated worker, the error goes on to its creator, and so
// on up to the first window or iframe. Errors do not go from a shared
// worker to the contexts connected to it, nor from an iframe to its
// parent. Nothing of a worker reaches its creator after Terminate. The
// creator's event is a task of its own: it may come before messages the
// worker posted earlier (on the web, too, they come from different task
// sources).
//
// Contexts never restart for a user panic: a protoactor restart would stop
// all their children, ports included. No failure of the user's tasks
// reaches protoactor's supervision; one can only escape the guard from the
// context's producer, a context decorator, or the plugin's or ports' own
// code. If one does, the supervisor strategy of the context's parent (the
// creator, for an iframe or a dedicated worker; the root's, for a window,
// a shared worker or a bridge) decides, as for any actor:
//
//   - Resume: the message that failed is lost; the context keeps its
//     ports, nested contexts and timers, and its ports go on delivering.
//   - Restart: its open ports close first (their peers get a CloseEvent
//     with ports.CloseByPeer), ports in transit from it are lost
//     (ports.CloseLost) and its nested contexts stop; then a fresh
//     instance of its code gets *actor.Started, with the same PID and
//     Scope but none of those ports (a dedicated worker's implicit channel
//     is gone too: what it posts there is dropped). Prefer Stop or Resume
//     for contexts.
//   - Stop: a hard Stop (see Lifecycle).
//   - Escalate: the parent fails in turn, and its own parent's strategy
//     decides for it (and for all its children, this context included).
//
// Actors that are not contexts have no guard: a panic goes to protoactor's
// supervision, whose default directive, Restart, closes their ports (see
// ports.ReceiverMiddleware); a parent whose strategy resumes them
// (actor.NewOneForOneStrategy with actor.ResumeDirective) keeps their
// ports through a panic.

// # Errors
//
// The DOMException-named sentinels live in package messages, which ports
// and actors both import: messages.ErrDataClone, messages.ErrInvalidState,
// messages.ErrSyntax and messages.ErrRange. Every error this package
// raises for a misuse matches one of them with errors.Is, and its text
// starts with "actors: " and the DOMException's name. The package's own
// sentinels (errors.go) are of that family too: ErrAlreadyRegistered,
// ErrShutdown and ErrClosed each match messages.ErrInvalidState as well.
//
//	error                      returned by
//	-------------------------  ------------------------------------------------------------------
//	ErrAlreadyRegistered       Register, when the system has the plugin already
//	ErrShutdown                NewSharedWorker after Plugin.Shutdown has begun
//	ErrClosed                  Bridge.Next, Bridge.Await, BridgePort.Receive and Request, once the queue has ended
//	messages.ErrInvalidState   any call that must run inside a context (Close, CreateIFrame, RemoveIFrame,
//	                           NewWorker, Worker.Terminate, WorkerPostMessage, NewSharedWorker, SetTimeout,
//	                           ClearTimeout, WindowProxy.PostMessage) called from elsewhere; a call the
//	                           context's kind cannot make (postMessage or CreateIFrame from a worker,
//	                           WorkerPostMessage from a non-worker, Terminate by another than the creator);
//	                           CreateIFrame, NewWorker or NewSharedWorker from a closing context or without a
//	                           producer; RemoveIFrame of a context that is not the caller's frame; SetTimeout
//	                           with a nil callback; Plugin.Run for a PID that is not a live local context or
//	                           whose context stops first; Bridge.Do (and what uses it) after Bridge.Close
//	messages.ErrSyntax         WindowProxy.PostMessage with a targetOrigin that does not parse; CreateIFrame
//	                           and NewBridge with the zero Origin; NewSharedWorker with an empty script;
//	                           origin.Parse (package actors/origin)
//	messages.ErrRange          SetTimeout beyond WithMaxTimers
//	messages.ErrDataClone      the posts (WindowProxy.PostMessage, Worker.PostMessage, WorkerPostMessage,
//	                           Bridge.PostTo, ...) when data cannot be cloned or transferred, as ports.PostTo
//
// # Layout
//
// Each file holds one concept:
//
//   - plugin.go: Plugin, Register, Get, Shutdown, and the books of live
//     and starting contexts; options.go: the Register options.
//   - kind.go: Kind, and the behaviour interface behind which each kind
//     of context does what only it does (when it starts, on the events
//     meant for it, when it closes and stops). One file per kind, holding
//     that kind's state: window.go (WindowProps), iframe.go (CreateIFrame,
//     RemoveIFrame), worker.go (NewWorker, Worker, WorkerPostMessage),
//     sharedworker.go (NewSharedWorker, ConnectEvent, the registry and
//     owner set), bridge.go (Bridge, BridgePort). Adding a kind is adding
//     a file (and its Kind constant).
//   - state.go: the plugin's state of one context, its destroy sequence
//     and its nested contexts; props.go: the Props of a context;
//     middleware.go: the two layers every context runs (the task layer
//     before the ports middleware, the event layer after it).
//   - windowproxy.go: WindowProxy and window.postMessage; targetorigin.go:
//     the targetOrigin argument and the check at delivery (origins
//     themselves are package actors/origin).
//   - global.go: Scope, ScopeOf, Close, Plugin.Destroy; timer.go:
//     SetTimeout, ClearTimeout; uncaught.go: ErrorEvent and the guard of
//     every task; handling.go: what the user's code is handling, for
//     ErrorEvent.Message; workererror.go: a worker's errors on their way
//     to its creator; run.go: Plugin.Run; queue.go: the Bridge's Go queues;
//     quiet.go: what package actors/actorstest waits on; errors.go: the
//     sentinels.
//
// # Differences from browsers
//
//   - A window message whose target origin does not match is dropped at
//     delivery, as the standard says; the ports it carried are closed
//     (their peers get a CloseEvent) rather than left for a garbage
//     collector to find.
//   - Origins come from origin.Parse, not from loading documents; there is
//     no document.domain and no same-origin access to another context's
//     objects: contexts share nothing but messages.
//   - Event.source is a PID (wrap it with WindowOf), and a worker's
//     messages carry its implicit port as Target; Worker.From and
//     Scope.FromCreator tell them apart.
//   - A dedicated worker's code sees *actor.Started only once its end of
//     the implicit channel has arrived, so it can post from its first
//     task; messages posted to it before are held and delivered after.
//   - Timers are one-shot (SetTimeout); there is no setInterval, and no
//     nesting clamp: SetTimeout(0) is queued behind the messages already
//     in the mailbox. As on the web, a context's timers run in the order
//     of their due times, equal ones in the order they were set.
//   - origin.Parse and targetOrigin follow the URL Standard's parser for the
//     parts of a URL that make its origin (host parsing with IDNA, IPv4
//     and IPv6 forms, forbidden code points, default ports), without a
//     base URL: a relative targetOrigin such as "example.org" is a
//     SyntaxError, as in a browser.
//   - A shared worker's ConnectEvent also says who connected (Origin,
//     Owner); the web's connect event has origin "".
//   - The web has no way to stop all of a page's contexts at once;
//     Plugin.Shutdown does, with a deadline, because protoactor's
//     ActorSystem.Shutdown stops no actors.
//   - A worker's error reaches its creator as one ErrorEvent, with Worker
//     set: the creator's Receive plays both the Worker object's error
//     listener and the creator's own global error listener, which the web
//     fires one after the other; PreventDefault there stops it going
//     further up. The creator's event keeps Err and Stack (the web sets
//     its error to null and gives a message, filename and line instead);
//     its Message is nil. Only the first ErrorEvent, in the worker, is
//     published on the EventStream and logged.
//   - After Terminate, an error the worker had already reported and the
//     creator had not yet handled is dropped too; the standard's
//     "terminate a worker" leaves that task in the creator's queue.
//   - TerminateGracefully, the ending that delivers what the worker posted,
//     has no web counterpart.
//   - A failure that escapes a context's guard meets protoactor's
//     supervision (see Failures and supervision), which the web does not
//     have; the web's contexts do not restart.
package actors
