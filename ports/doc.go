// Package ports is the web's Channel Messaging API for Proto.Actor: a
// MessageChannel's two MessagePorts are child actors of the actor that owns
// them, entangled with each other, and transferring a port in a message
// moves it under the receiving actor.
//
// # For protoactor users
//
// Nothing here needs windows, workers or browser knowledge; the actors are
// your own (examples/plainactors is a complete program with two nodes).
// A MessageChannel is a pair of connected ends, the MessagePorts: what one
// end's owner posts, the other end's owner receives, in order, exactly
// once. A port can itself be sent in a message: it then moves to the
// receiving actor (this is what the web calls transferring; the old handle
// is "detached": it no longer works).
//
//   - Plain actors: any actor (PropsFromProducer, PropsFromFunc, your own
//     structs) owns ports once its props carry the middleware:
//     actor.WithReceiverMiddleware(ports.ReceiverMiddleware). It turns port
//     traffic into *MessageEvent, *MessageErrorEvent and *CloseEvent
//     messages in the actor's Receive. Every actor that creates or receives
//     ports needs it.
//   - The first link: an actor that has a PID but no port yet sends with
//     ports.PostTo(ctx, pid, data, port) (ctx.Send cannot carry a port: the
//     handle would still belong to the sender). The receiver gets a
//     *MessageEvent whose Ports it now owns.
//   - A received port holds its messages until its new owner calls
//     Start(ctx) (events in Receive) or OnMessage(ctx, f) (a handler):
//     forget it and they pile up (PortNotStarted reports it).
//   - Data is copied (a structured clone: the receiver never shares memory
//     with the sender). A struct that crosses nodes must be registered with
//     messages.Register, under the same name, on both nodes.
//   - Two nodes: call ports.Get(system) before remote.Start (the extension
//     subscribes to the EventStream, which races with remote's first
//     publishes), start remote before spawning the actors that own ports
//     (an actor spawned before has the address "nonhost" and cannot be
//     reached: OwnerNotReachable reports it), and register the message
//     types on both nodes.
//   - The extension of a system lives until ports.Unregister(system). The
//     actors package's Plugin.Shutdown ends its windows and workers only:
//     plain actors keep their ports and Stats keep counting.
//   - Errors are returned at once, typed (see Errors): a port used from the
//     wrong actor, data that cannot be copied, a wrong transfer list. A
//     post on a closed or moved port is silently dropped, as on the web;
//     WithPostErrors(true) makes it an error (ErrPortClosed, ErrDetached).
//   - Failures: see Failures and supervision.
//
// A middleware-less actor can still receive PostTo messages: it gets the
// *MessageEvent itself, in mailbox order with its other messages, or a
// *MessageErrorEvent (messages.ErrInvalidState) for a message that carried
// ports, which are then closed as its Receive returns (their peers get a
// CloseEvent). From another node, such an actor first receives the
// protocol's own message and then the event: use the middleware there.
//
// # Mapping to the HTML Standard
//
//	web platform                                  here
//	--------------------------------------------  -----------------------------------------------------
//	realm / event loop that owns a port           any actor with ReceiverMiddleware; its mailbox
//	new MessageChannel()                          NewMessageChannel(ctx): two child port actors, entangled
//	MessagePort                                   *MessagePort, a handle owned by one actor
//	port.postMessage(message, transfer)           (*MessagePort).PostMessage(ctx, data, transfer...)
//	port message queue, disabled until start()    a queue per port, released by Start, OnMessage or OnData
//	port.start() / port.onmessage = f             Start(ctx) / OnMessage(ctx, f)
//	port.on('message', f) (Node.js)               OnData(ctx, f): f gets the data itself, no event is made
//	port.close()                                  Close(ctx)
//	receiveMessageOnPort(port) (Node.js)          TryReceive(ctx)
//	message event                                 *MessageEvent in the owner's mailbox (Data, Ports, Target)
//	messageerror event                            *MessageErrorEvent
//	close event on the other port                 *CloseEvent, after the messages posted before the close
//	transfer steps / transfer-receiving steps     the port actor freezes; the receiver spawns a successor
//	                                              that claims the state; the old actor forwards, retires
//	StructuredSerializeWithTransfer               the messages package (Serialize, with transfer)
//	window.postMessage-style first contact        PostTo(ctx, pid, data, transfer...)
//
// # Using it
//
// An actor owns ports when its props carry the middleware:
//
//	props := actor.PropsFromProducer(newMyActor,
//		actor.WithReceiverMiddleware(ports.ReceiverMiddleware))
//
// Each event is one message in the owner's mailbox, so the owner needs a
// mailbox that keeps every message in order and never blocks: protoactor's
// default (unbounded) one. With actor.BoundedDropping events are lost for
// good (their messages stay queued, never dispatched), and with
// actor.Bounded a Start that releases more waiting messages than the
// mailbox holds blocks the owner on its own mailbox.
//
// Events arrive as ordinary messages, one Receive each:
//
//	func (a *myActor) Receive(ctx actor.Context) {
//		switch m := ctx.Message().(type) {
//		case *actor.Started:
//			ch, _ := ports.NewMessageChannel(ctx)
//			_ = ch.Port1.Start(ctx)
//			_ = ports.PostTo(ctx, a.worker, "hello", ch.Port2) // port2 moves to the worker
//		case *ports.MessageEvent: // from one of my ports (m.Target), or posted to me (Target nil)
//		case *ports.CloseEvent: // the other end closed, or its owner went away
//		}
//	}
//
// A handle is used only from inside its owner's Receive (like a JavaScript
// object belongs to its realm); any other caller gets an error matching
// messages.ErrInvalidState and changes nothing. Inside a handler set with
// OnMessage or OnData, use what it is given: ctx.Message() is not set there.
// A handler set with OnData gets each message's data and ports
// themselves, as Node.js's port.on('message') does: no MessageEvent is
// made, so a burst costs the receiving owner no allocation beyond the data
// (BenchmarkWindowThroughput's ondata rows).
//
// A port's events reach the owner like the tasks of one task source on the
// web: in order for that port, but not in a fixed order with the owner's
// other messages. Messages from another actor share one notification in the
// owner's mailbox: the owner dispatches up to 64 of them, each in a Receive
// of its own, then lets its other messages (timers, other senders) have
// their turn, so a port's events may come before a plain message that
// reached the mailbox while they were queued. Port actors are ordinary
// children of the owner and show up in ctx.Children(); stopping them
// directly is a hard stop of those ports (their peers get CloseLost).
//
// # Guarantees
//
// Per direction, messages are delivered in the order posted, exactly once,
// whatever happens to either end in between: transfers of one end or of
// both at once, a port sent on again before it was ever started, a port
// transferred from inside the handler of its own message. A port received
// by transfer starts with its queue disabled, holding what was sent to it.
//
// Close: after Close, the closed port dispatches nothing more (messages that
// had reached it but were not dispatched are dropped, and ports inside them
// are closed in turn); messages it posted before closing are still
// delivered to the other end, which then gets exactly one CloseEvent. With
// WithCloseEvents(CloseEventsBoth) the closing end gets one too (Node.js);
// with CloseEventsNone nobody does.
//
// Stopping owners: a graceful stop (a PoisonPill) is lossless: the owner's
// open ports close as above, and the owner stops only once the ports it
// posted away have reached their new owners. A hard Stop, or a restart
// after a panic, is fail-stop, like a lost node: the peers of its ports
// deliver the in-order prefix they have, then get one CloseEvent. As the
// stop begins, ReceiverMiddleware closes the owner's open ports, so their
// peers usually get everything the owner posted and CloseByPeer; where a
// route breaks instead (a port in transit whose holder died, a proxy, a
// port actor stopped with work still queued) the peer gets CloseLost, and
// a port in transit is lost. Nothing hangs and nothing leaks in either
// case.
//
// # How it works
//
// Each end of a channel numbers the messages it sends (1, 2, 3, ...; the
// numbers survive transfers) and every port actor reorders what it receives
// by number, so only FIFO order per sender and receiver is assumed, which is
// what protoactor gives in-process and over remote. Transferring a port
// freezes its actor (it keeps receiving, holds the queue) and puts a token
// in the message; the receiving actor's middleware spawns a successor that
// presents the token, receives the state and the queue, and takes over. The
// old actor stays as a proxy that forwards in order until the other end has
// been told (Bypass) to send to the successor, then retires. Close travels
// the route with the last number, so the other end knows when it has
// everything. Every protocol message carries the receiving actor's
// unguessable route key and names its sender; a port actor acts only on
// messages from its current route neighbours (see Security). All protocol
// messages are protobuf types from one
// closed set (internal/wire), ready to cross nodes; user data crosses
// nodes only as the bytes of the messages package's Record.
//
// In the steady state of a channel whose ends are in this process, a
// message skips both port actors: PostMessage numbers it and appends it to
// the receiving port's queue itself (see fast.go), after telling the
// holders of the ports it carries, if any, that the receiving owner has
// it. Across nodes, the sending owner sends a numbered message without
// ports to the other node itself, and there the receiving port's mailbox appends it to the queue
// while the port actor is idle. The first such post on a port in one of
// the owner's turns leaves at once; the ones after it in the same turn
// travel together, as one protoactor message of up to 2 KiB of records
// (a run), when the turn ends, or at most 250 µs after the run began if the
// turn goes on (a continuation of ReenterAfter is a turn of its own only
// in the actors package's contexts). A post with an empty transfer list is
// cloned at post time (messages.StructuredClone) and travels in this
// process as that Go value, without a Record; it is serialized only if its
// receiving end turns out to be on another node. A flat struct (a struct,
// or a pointer to one, whose fields are all booleans, integers, floats,
// strings or such structs held by value) posted to another node is cloned at post time too, and its
// bytes, the same a Record would have, are written straight from the
// clone and read back on the other node without a Record: a burst of
// them carried 1.3x to 2.2x as many messages per second in this project's
// benchmarks (BenchmarkRemotePortThroughput/struct). The port actors stay in
// charge of everything else.
//
// The source, by what each file does:
//
//	port.go, channel.go               the MessagePort handle; NewMessageChannel
//	handler.go                        OnMessage and OnData: a handler in place of Receive
//	post.go                           the post path, sending side: PostMessage, PostTo, the fast hand-off
//	flatmap.go                        a posted map of primitives: copied whole, or its entries travel and the receiver builds it
//	queue.go                          a port's queue (in the core) and the owner's notifications
//	deliver.go                        the post path, receiving side: events dispatched, ports adopted
//	closeevent.go                     whether, when and why a port gets its CloseEvent; where it is made
//	fast.go                           when the port actors let posts skip them (pause, resume)
//	core.go, message.go               the core shared by handle and actor; messages in flight
//	portactor.go, roles.go            the port actor's loop and lifecycle; one state type per role
//	sequence.go                       numbering posts; putting what arrives back in number order
//	transfer.go                       the transfer: freeze, serve the claim, custody news
//	adopt.go                          the transfer at the new owner: claim and adopt
//	proxy.go                          the old actor as a proxy, the bypass, retiring
//	close.go                          closing an end, the other end's Closed, a route that breaks
//	neighbours.go                     the route-neighbour check: who may speak to a port actor
//	strangers.go                      messages held from senders not known yet
//	watch.go                          the watch of neighbours, holders and custodians; deaths
//	localwatch.go                     the watch between port actors of this process
//	abandon.go                        returning the ports of messages never to be dispatched
//	owner.go, middleware.go           an owner's ports state; ReceiverMiddleware; stops
//	mailbox.go, segqueue.go           the port actor's mailbox (its queues: internal/mailq); the queues' structures
//	gateway.go                        the protocol-version handshake with other nodes
//	remote.go, transport.go           sending to port actors, here and on other nodes
//	farrun.go, farrun_accept.go       posts to another node gathered in runs; taking a run in
//	extension.go, options.go          the extension of one actor system; options; Stats
//	diagnostics.go, metrics.go        EventStream diagnostics; OpenTelemetry instruments
//	drops.go, watchdiag.go            MessageDropped aggregates; the diagnostics of misuse
//	quiet.go                          protocol news sent so that it never becomes a dead letter
//	debug.go                          the inspect snapshot and trace hook (tests)
//	errors.go                         this package's errors (see Errors)
//	dispatcher.go, drain.go           NewDispatcher; Drain
//	goroutinedispatcher.go            NewGoroutineDispatcher
//
// # Across nodes
//
// Ports work across actor systems joined by protoactor's own remote layer
// (gRPC); nothing else carries the traffic. Start remote (remote.Start)
// before spawning the owners: an actor spawned earlier keeps the address
// "nonhost" and cannot be answered (OwnerNotReachable). A channel's ends may live on different
// nodes, a port may be transferred to an owner on another node, and both
// ends may move at once: per direction, delivery stays exactly once and in
// order. Values cross as Record bytes: a struct type must be registered
// with messages.Register on both nodes, and one that the receiver cannot
// rebuild (unregistered, or beyond its WithDecodeLimits) becomes a
// MessageErrorEvent at the receiving port, after which the channel goes on;
// the ports it carried close. The sending node hears of it:
// RemoteRebuildFailed (a diagnostic, also logged) and Stats.RebuildErrors.
//
// Versions: before the first protocol message to another node, the
// extension sends it a Hello (ProtocolVersion) and holds the traffic until
// the node answers with the same version. A node where nothing answers yet
// (its extension starts with its first owner) is asked again, for up to
// five seconds. A node that answers with another version, has no ports
// extension by then, goes away meanwhile, or does not answer in time gets
// nothing else: what was waiting for it is treated as undeliverable (the
// ports it carried close at their peers) and PeerRejected is published. This
// matters because the pinned protoactor crashes a node that receives a
// protobuf type it does not know, inside its gRPC handler where nothing can
// recover it; the Hello and the actor names it uses never change.
//
// Failures: port actors watch their route neighbours on other nodes. When
// a node stops or dies (protoactor reports AddressTerminated), every
// surviving end whose route went through it delivers the in-order prefix
// it has and then gets exactly one CloseEvent with CloseLost; nothing is
// delivered twice, and ports in transit to or from that node close on the
// surviving side. The guarantee across a node failure is at-most-once: a
// prefix, never a duplicate, never a reordering.
//
// Security: every protocol message carries the route key of the port actor
// it is for, a random 64-bit number that only its route neighbours know;
// a message without the right key is dropped and reported
// (ProtocolRejected), so a context cannot reach a port it was never given
// by guessing PIDs. Each message also names its sender: user messages by
// the sending incarnation's key, control messages by its Ref (PID and
// key). A port actor acts only on messages from its current route
// neighbours, the actor it sends to and the actors that send to it, so a
// sender that knows only a port's route key, or speaks for an incarnation
// that has handed its part of the route on, cannot move the port's state.
// The limit of this check: the identity is the key, and an incarnation
// that hands a port on knows its successor's key (it addressed the State
// to it), so the node that held the port can still speak as that
// successor to the other end. Keeping it out would take a secret per
// sender and receiver that the receiver gives the sender directly; that
// is not built. Between nodes you do not trust, mutual TLS decides who may
// send at all. In detail:
//
//   - a neighbour's key with another PID is refused and reported at once;
//   - a control message from an actor that has said it is done is dropped
//     and reported; a user message from it is taken only if numbered at or
//     below the last one it said it had sent (the sending port's owner
//     sends those itself on the fast path, and one may overtake the
//     sending actor's last word), and refused and reported otherwise;
//   - a message from an actor not known at all is held, never acted on,
//     until its sender is announced: the news of a new neighbour and the
//     neighbour's first message travel by different actors, with no order
//     between them. One still held after a second is reported (it stays
//     held, since a legitimate sender can be that late on a slow route);
//     at most 65,536 messages and 16 MiB of records are held per port
//     actor, and what is held when the actor stops, or when its route
//     breaks, is dropped like a message that arrives after the stop (the
//     ports it carried close).
//
// Claims, Landed and Abandon carry a token's nonce instead, State and
// ClaimRejected must come from the holder being claimed, and BypassRetry
// (which only makes a proxy ask again) is checked by key alone. See
// neighbours.go.
//
// Give every node's remote.Configure the option RemoteReceiveLimit:
// protoactor sends what is queued for a node in batches of up to 1,000
// messages, one gRPC message each, and gRPC's server refuses one over
// 4 MiB by default, which breaks the connection and closes the ports with
// an end across it. Small posts travel in runs that keep a batch under
// that; a burst of larger ones does not.
//
// What a foreign host that can reach a node's gRPC port can still do:
// send any protoactor message to any actor by name (including a protobuf
// type the node does not know, which crashes the pinned protoactor),
// flood it (one that has learnt a port's route key can make that port
// hold up to 65,536 messages, 16 MiB, that it never acts on), or replay
// traffic it has observed on the wire, neighbours' keys included. Without
// transport security, anyone on the network path can read and forge
// traffic. Turn TLS on with remote's own options, on every node:
//
//	creds, _ := credentials.NewServerTLSFromFile("node.crt", "node.key")
//	clientCreds, _ := credentials.NewClientTLSFromFile("ca.crt", "")
//	r := remote.NewRemote(system, remote.Configure("0.0.0.0", 8090,
//		remote.WithServerOptions(grpc.Creds(creds)),
//		remote.WithDialOptions(grpc.WithTransportCredentials(clientCreds))))
//
// (mutual TLS, with grpc.Creds built from a tls.Config that sets ClientAuth
// and ClientCAs, also limits who may connect at all).
//
// # Errors
//
// The DOMException-named sentinels ErrDataClone, ErrInvalidState and
// ErrSyntax live in package messages, which both ports and actors import;
// every error of this package for a misuse or a value that cannot be cloned
// matches one of them under errors.Is. A port used outside its owner's
// Receive or by another actor, a nil MessagePort, an actor without
// ReceiverMiddleware or one that is stopping: messages.ErrInvalidState.
// Data that cannot be cloned or a wrong transfer list, and data the
// receiver cannot rebuild (MessageErrorEvent.Err, TryReceive):
// messages.ErrDataClone. Register returns ErrAlreadyRegistered, and with
// WithPostErrors(true) a dropped post returns ErrPortClosed or ErrDetached;
// all three also match messages.ErrInvalidState. See errors.go.
//
// # Failures and supervision
//
// ReceiverMiddleware adds no failure handling of its own: a panic in an
// actor that owns ports (in its Receive or in a port's OnMessage handler)
// goes to protoactor's supervision like any other, and the directive of
// the actor's parent decides what happens to its ports:
//
//   - Resume: the message that failed is lost; the actor keeps its ports
//     and they go on delivering.
//   - Restart (protoactor's default): the middleware closes the actor's
//     open ports as the restart begins (their peers get a CloseEvent with
//     CloseByPeer, after every message posted before), then protoactor
//     stops the port actors with the actor's other children: ports in
//     transit from the actor are lost (CloseLost at their peers). The fresh
//     instance starts with no ports.
//   - Stop: the same, and the actor is gone.
//   - Escalate: the parent fails in turn; its own parent's directive then
//     applies.
//
// The port actors are the owner's children, so the owner's own strategy
// applies to them too. With actor.NewAllForOneStrategy, another child's
// panic restarts them: a restarted port actor has lost its state, so its
// end fails as on a bug in the port actor itself (the owner's handle and
// the other end get a CloseEvent with CloseLost) and the actor stops.
//
// To keep a port owner's ports through a failure, spawn it from a parent
// whose strategy resumes it:
//
//	resume := actor.NewOneForOneStrategy(10, time.Second, func(any) actor.Directive { return actor.ResumeDirective })
//
// Actors spawned from system.Root are supervised by the root's guardian
// strategy (RootContext.WithGuardian).
//
// # Queues, limits and leaks
//
// Queues are unlimited by default, as on the web. WithQueueLimit bounds
// each port's queue (messages and bytes) and WithOverflowPolicy chooses
// what happens when it is full (close the channel, the default, or drop
// the message). A port closed by its limit closes as if its owner had
// closed it: the other end gets what the owner posted before the close
// (on another node too: the closed end stays until its owner's posts
// have left), then its CloseEvent. OpenPorts(ctx) and (*Extension).Stats
// report open ports per owner and per system, so ports that were never
// closed can be found.
//
// # Observability
//
// Every diagnostic is a value on the actor system's EventStream that
// implements Diagnostic (its Log method gives a level, a message and slog
// attributes); WithDiagnostics(false) turns them all off. Those marked
// "logged" are also written to the extension's logger (WithLogger; default
// the system's, with lib=entangle/ports), at the level Log gives. None is
// published per delivered message.
//
//	event             level  logged  when                                             fields
//	----------------  -----  ------  -----------------------------------------------  ---------------------------------------------
//	PortClosed        debug  no      a port actor closes its end                      Port, Reason
//	PortTransferred   debug  no      a port's successor took over from its old actor  From, To
//	MessageDropped    debug  no      messages dropped at one port for one reason:     Port, Reason, Count, Bytes, First, Last, Final
//	                                 posted on a closed, moved or doomed port, over
//	                                 a queue limit, arriving at or waiting in a
//	                                 closed port; the first at once, then at most
//	                                 one per interval (WithDropReports, default 1s),
//	                                 and the rest when the port actor stops (Final)
//	ProtocolRejected  warn   no      a port actor ignored a protocol message (wrong   Port, Message, Reason, Role
//	                                 key, not a route neighbour, duplicate, out of
//	                                 place); zero in a healthy system
//	PeerRejected      warn   no      another node cannot be spoken to (another        Address, Version, Reason
//	                                 protocol version, no ports extension, no answer
//	                                 in time); what waited for it is undeliverable
//	PortNotStarted    warn   yes     a port has held messages unstarted longer than   Port, Owner, Queued, Since
//	                                 WithUnstartedWarning (default 5s; 0: off); once
//	                                 per port and episode
//	OwnerNotReachable warn   yes     an owner has the address "nonhost" while remote  Owner, SystemAddress
//	                                 runs (spawned before remote.Start); once per
//	                                 owner, seen at its next message
//	PortSentOutside   warn   yes     another actor's *MessagePort reached an actor    Receiver, Sender, Port, Owner, MessageType
//	                                 with the middleware as a plain message
//	                                 (ctx.Send), bare or at the top level of a
//	                                 struct, slice, array or map; once per port
//	RemoteRebuildFailed warn yes    the other node could not rebuild a message this  Port, Peer, Seq, Reason
//	                                 node's port sent (unregistered type, decode
//	                                 limits); once per message, counted in
//	                                 Stats.RebuildErrors (no instrument)
//
// With a meter provider (actor.WithMetricProviders) the extension observes
// its Stats as OpenTelemetry instruments, each with the attribute address
// (the system's address):
//
//	instrument                                    kind     Stats field     what
//	--------------------------------------------  -------  --------------  ------------------------------------------
//	protoactor_messageport_open_count             gauge    OpenPorts       handles neither closed nor shipped
//	protoactor_messageport_actor_count            gauge    PortActors      live port actors, in any role
//	protoactor_messageport_proxy_count            gauge    Proxies         port actors forwarding for a moved port
//	protoactor_messageport_queued_count           gauge    QueuedMessages  messages waiting in port queues
//	protoactor_messageport_dropped_count          counter  Dropped         messages dropped so far (every one)
//	protoactor_messageport_protocol_error_count   counter  ProtocolErrors  protocol messages rejected so far
//
// Internal protocol messages never show as dead letters or log lines in
// ordinary work (posts, transfers, closes, stops) within one process; a
// DeadLetterEvent of this package's types there means a real loss (a PostTo
// to an actor that had stopped, say), and the ports it carried are closed.
// Between nodes, a control message (a Closed, a Bypass) that reaches a port
// actor just after it stopped is still a dead letter on the receiving
// node, with protoactor's INFO line there; nothing is lost by it.
//
// # Differences from browsers
//
//   - The close event is not gated by start(): a port whose queue is empty
//     gets it at once; one with messages waiting gets it after Start (or
//     TryReceive) has taken them. Browsers differ among themselves here
//     (most do not ship the close event at all).
//   - A transferred port whose channel had already closed does not fire
//     close again at its new owner; but if the actor holding a port in
//     transit is stopped hard, the port arrives closed and fires close
//     (CloseLost), even if an earlier owner had seen one.
//   - Ports that are in transit inside each other's queues (port A is in a
//     message waiting in B's queue while B is in a message waiting in A's
//     queue) can never be received. Browsers reclaim such cycles by garbage
//     collection; here they stay frozen, with their peers waiting, until the
//     actors that hold them are stopped hard. Start or close ports before
//     posting them into one another.
//   - A graceful stop waits for ports the owner posted away to be claimed.
//     If such a port sits in the queue of a port that is never started, the
//     owner lingers (as an empty parent) until it is stopped hard.
//   - Messages posted between the ports of one actor that were never
//     transferred are delivered in global posting order, as the standard's
//     unshipped port message queue requires, among the ports whose queues
//     were started when the messages arrived. Messages that waited in a
//     queue not yet started are dispatched from its Start (or OnMessage, OnData)
//     on, after every message already due on the actor's other ports, even
//     ones posted later; the standard would interleave them by posting
//     time. Each port keeps its own queue, and merging them by posting
//     time would put an owner-wide ordered queue on every delivery. Once a
//     port has moved, its order is only guaranteed per direction of its
//     own channel.
//
// # After Close
//
// A closed or transferred handle is inert: PostMessage still validates and
// transfers what its own transfer list names (buffers are detached, listed
// ports are shipped and closed with the dropped message) and returns nil,
// or ErrPortClosed / ErrDetached with WithPostErrors(true); the drop is
// counted in Stats either way. Start, Close, OnMessage and OnData return nil;
// TryReceive reports nothing. A second Close is a no-op.
package ports
