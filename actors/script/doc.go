// Package script gives the contexts of package actors a JavaScript realm:
// a window, an iframe, a dedicated worker or a shared worker whose code is
// a script, run by the goja engine (github.com/dop251/goja), with the web
// surface a browser gives such a script for messaging. A script context
// is an actors context like any other: it has an origin, owns ports,
// nests, closes and is terminated the actors package's way, and a Go
// context and a JavaScript context share a channel as equals.
//
// # Using it
//
// Register the host (optional: the defaults apply otherwise), then spawn
// script contexts where Go contexts would be spawned:
//
//	plugin, _ := actors.Register(system)
//	script.Register(plugin, script.WithFS(os.DirFS("web")))
//	system.Root.Spawn(script.WindowProps(origin.MustParse("https://app.example"), script.File("main.js")))
//
// and from inside a context (Go or JavaScript):
//
//	w, _ := script.NewWorker(ctx, actors.WorkerOptions{}, script.File("worker.js"))
//	_ = w.PostMessage(ctx, "start", port)
//
// The sources run in order in the context's first task, in one call into
// the engine (no microtask runs between them); a source that does not
// compile or throws is reported as an error event, and the next one runs.
// Eval runs code in a realm from Go, as a task of its own.
//
// # The event loop
//
// Each context's realm is one goja runtime, touched only from the
// context's actor. The mailbox is the event loop: a message (a port's
// message, a window message, a timer, a close event) is one task, and the
// microtask checkpoint runs when the task's call into the engine returns.
// The events of the user agent are dispatched from Go, one call per
// listener, so microtasks run between listeners as in browsers; a
// dispatchEvent of script runs its listeners inside the script's call.
// Timers are the actors package's (actors.SetTimeout): each callback
// enters through the mailbox.
//
// # Lifecycle
//
// A script context lives and ends as the actors package says: window.close()
// and a worker's close() are actors.Close; Terminate, RemoveIFrame,
// Plugin.Destroy and Plugin.Shutdown end it from outside. Once it is being
// destroyed its realm runs nothing more: queued tasks are discarded,
// timers do not fire, its ports close (their peers get a close event) and
// the runtime goes with the actor. A realm that cannot be set up (which
// only a broken build can cause) logs why through the console sink and
// drops what it receives, closing the ports that come with it.
//
// # Values between Go and JavaScript
//
// A message is structured-cloned into a messages.Record (the same one a
// Go value travels in, across nodes too), and rebuilt in the receiving
// realm when it is delivered; a failure to rebuild is a messageerror.
//
//	JavaScript                      Go (messages package)
//	------------------------------  ------------------------------------------------
//	undefined / null                messages.Undefined / nil
//	boolean, string, number         bool, string, float64 (a Go integer becomes a
//	                                Number when it fits in 2^53 exactly, a BigInt
//	                                otherwise)
//	BigInt                          *big.Int
//	plain object                    *messages.Object (a Go struct arrives as a plain
//	                                object keyed by its field names as written; a
//	                                map with string keys as a plain object)
//	Array                           []any (a Go slice or array arrives as an Array;
//	                                a hole reads as messages.Undefined, other
//	                                own properties of the array are dropped)
//	Map, Set                        *messages.Map, *messages.Set
//	Date                            time.Time
//	RegExp, Error                   messages.RegExp, *messages.Error (with Cause)
//	Boolean, Number, String and     the primitive they wrap
//	BigInt wrapper objects
//	ArrayBuffer, typed array, view  *messages.ArrayBuffer, *messages.TypedArray,
//	                                *messages.DataView ([]byte arrives as Uint8Array)
//	Blob, File                      *messages.Blob, *messages.File
//	MessagePort (transferred)       *ports.MessagePort in the event's Ports
//
// Strings stay UTF-16 end to end: a lone surrogate survives a trip through
// Go and through another node. In Go such a string holds the lone
// surrogate's three-byte generalized UTF-8 form (WTF-8); posted back to a
// realm it is the original string again.
//
// Across nodes the same Record travels, and a Go struct of a named type
// crosses by its registered name (messages.Register): the receiving node,
// whether its context runs Go or a script, must have the type registered
// too; an unnamed struct type travels with its fields.
//
// # The web surface
//
// Each realm has: EventTarget, Event, MessageEvent, ErrorEvent,
// PromiseRejectionEvent, DOMException (names, legacy codes and
// constants), MessageChannel, MessagePort (postMessage with a transfer
// list or options, start, close, onmessage, onmessageerror, and onclose
// with the close event where the ports plugin's close-event mode fires
// it), structuredClone, queueMicrotask, setTimeout, setInterval and their
// clear functions, self and globalThis, location and origin, console
// (through WithConsole), reportError, the error, unhandledrejection and
// rejectionhandled events with onerror, onunhandledrejection and
// onrejectionhandled, and onmessage and
// onmessageerror on the global. Windows and iframes add window, parent,
// top, frames and window.postMessage(message, targetOrigin, transfer) or
// (message, options), to themselves and to the windows they know (parent,
// top, event.source). A dedicated worker's global is a
// DedicatedWorkerGlobalScope with postMessage, onmessage and close(); a
// shared worker's is a SharedWorkerGlobalScope with onconnect; both have
// importScripts. Every realm has Worker: new Worker(url, {name, type})
// starts a dedicated worker of the context (a child of its actor, as
// NewWorker makes) running the classic script at url, with postMessage,
// terminate, onmessage, onmessageerror and onerror. Scripts a realm loads
// itself (new Worker's, importScripts') are read from the file system
// given with WithFS: a URL of the realm's own origin, resolved against
// its location, names the file at its path (https://a.example/w/x.js is
// w/x.js); a window made from Go is at its origin's root, a worker at its
// script's URL. There is no network: a URL of another origin is a
// SecurityError for new Worker and a NetworkError for importScripts, and
// a worker script that cannot be read, or does not parse, is the plain
// error event at the Worker object that a failed run of a worker fires
// (no worker runs). As WebIDL
// says for a global's interface, these members are properties of the
// global object itself. Blob, File and FileReader come with the structured
// clone codec. The surface also gives Object.prototype the legacy accessor
// methods (__defineGetter__ and its kin) that browsers have and goja
// lacks.
//
// No Go value is reachable from a script beyond what the table above
// makes: the natives behind the surface are handed to its own files only.
//
// # Errors
//
// An uncaught exception (in a source, a listener, a timer, a microtask)
// fires an ErrorEvent at the global; if no listener cancels it, it is
// logged through the console sink at Error level and, in a dedicated
// worker, goes on to the creator the actors package's way: a Go creator
// gets an *actors.ErrorEvent whose Err is a *ScriptError; a script
// creator gets an ErrorEvent at the Worker object (error null), and, if
// no listener there cancels it, at its own global, from where it goes on
// as its own uncaught error does. A promise rejected and not
// handled by the end of its task fires unhandledrejection (cancelable);
// one not canceled is logged. If it gets a handler in a later task,
// rejectionhandled follows, in a task of its own.
//
// A task that runs longer than WithTaskLimit (default five seconds) is
// interrupted from a watchdog goroutine (goja's Interrupt, the only call a
// runtime takes from another goroutine): its pending microtasks are
// dropped, the realm gets an error event whose message says the task ran
// longer than its limit, and the context keeps serving its other tasks.
// Each context is an actor, so a script that loops forever stalls nothing
// but its own context, and only until the limit.
//
// # What is bounded and what is not
//
// Bounded: what the host hands a realm. Message sizes and port queues are
// the ports plugin's limits (ports.WithQueueLimit, the messages package's
// serialization and decode limits); pending timers are bounded by
// WithMaxTimers (and the actors plugin's WithMaxTimers); the depth of
// JavaScript calls is bounded (a RangeError beyond); a task's time by
// WithTaskLimit.
//
// Not bounded: a realm's heap. goja cannot limit the memory a script
// allocates, so a script that builds a huge value within its time limit
// can exhaust the process; run untrusted scripts in a process of their
// own. Microtasks queued by a task are not bounded in number (only in
// time, by the task limit). Ports a script never closes stay open until
// the context ends, as for Go contexts: no garbage collector reclaims an
// entangled port.
//
// # Differences from browsers
//
//   - setTimeout and setInterval take a function only: a string of code
//     throws a TypeError. There is no nesting clamp.
//   - There is no document, no DOM tree and no navigation: events have one
//     target on their path, and location is the context's origin with
//     "/" (a shared worker's is its script URL), read-only.
//   - new SharedWorker is not in the surface (Go starts shared workers
//     with NewSharedWorker), and new Worker runs classic scripts only: a
//     module worker (type "module") is a NotSupportedError, as goja runs
//     no modules. Scripts come from WithFS only (see The web surface).
//   - A dedicated worker's error reaches a Go creator as one
//     actors.ErrorEvent (see package actors).
//   - A MessagePort object cloned with structuredClone(port, {transfer})
//     keeps its port's started state: the new object does not need
//     start() again if the old one had been started.
//   - A MessagePort whose close event fired (its peer closed) is closed by
//     the realm then, which frees its port actor; so it can no longer be
//     transferred (a DataCloneError), where the standard leaves it
//     disentangled but transferable.
//   - ErrorEvent.message starts with "Uncaught ", as in Chromium.
//   - The message events of the user agent that carry no ports share one
//     frozen empty ports array (in browsers each event has its own).
//   - When at most one listener can run, an event of the user agent is
//     dispatched in one call into the engine; an exception of that
//     listener is reported before the microtasks it queued run, as in
//     browsers, but listeners of the error event it fires run without a
//     microtask checkpoint between them.
//   - The engine lacks WeakRef and FinalizationRegistry, resizable and
//     shared ArrayBuffers, ES modules and Intl (see goja).
//
// # Layout
//
//   - host.go: Host, Register, Get; options.go: the options; source.go:
//     Source, Code, File; contexts.go: WindowProps, CreateIFrame,
//     NewWorker, NewSharedWorker.
//   - realm.go: the realm actor, its start and its event loop; loop.go:
//     tasks, calls into the engine; stack.go: goja's value stack, kept
//     between calls; rejections.go: unhandled promise rejections;
//     watchdog.go: the task limit; dispatch.go: the user agent's event
//     dispatch, driven from Go; handler.go: a message event whose only
//     listener is an onmessage handler, dispatched from Go; events.go: the
//     events that arrive from the mailbox; report.go: uncaught exceptions,
//     ScriptError; ports.go: the MessagePort objects and their natives;
//     worker.go: the Worker objects; scripturl.go and importscripts.go:
//     the scripts a realm loads itself; global.go: the natives object,
//     window.postMessage, self.postMessage, location; timers.go;
//     console.go; throw.go: errors thrown into JavaScript; eval.go: Eval;
//     inspect.go: what the conformance runner reads of a realm.
//   - surface.go and js/: the web surface written in JavaScript (one file
//     per concept, compiled once per process): 00-domexception.js,
//     01-legacy.js, 10-events.js and 11-event-kinds.js (EventTarget and the
//     events), 20-ports.js (MessageChannel, MessagePort, structuredClone),
//     30-global.js (the global object), 35-worker.js (Worker), 40-blob.js
//     (Blob, File), 42-filereader.js (FileReader, ProgressEvent),
//     45-response.js (a Response to read a body with).
//   - codec.go: the contract of the structured clone codec; clone.go and
//     the other clone_*.go files: the codec (serialize with transfer,
//     deserialize, what a goja object really is, the intrinsics kept from
//     before any script ran); wtf8.go: UTF-16 strings as WTF-8 and back.
//   - wpt_*_test.go: the web platform tests runner (TestWPT), with
//     testdata/wpt-expectations.tsv.
package script
