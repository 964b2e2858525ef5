package actors

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/contextmsg"
	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

// Worker is the creator's handle on a dedicated worker, the web's Worker
// object. It belongs to the creating context and is used only from inside
// its Receive. Messages from the worker arrive in the creator's mailbox as
// *ports.MessageEvent values for which From reports true; the worker's
// errors that it did not mark handled arrive as *ErrorEvent values whose
// Worker is this handle (see ErrorEvent).
type Worker struct {
	pid     *actor.PID
	port    *ports.MessagePort // the creator's end of the implicit channel
	state   *contextState      // the worker's
	creator *contextState
	// terminated is set by Terminate: the implicit port is closed and
	// the worker's errors are no longer delivered. Creator's goroutine.
	terminated bool
}

// WorkerOptions configure NewWorker.
type WorkerOptions struct {
	// Name is the worker's name, as new Worker(url, {name}) gives it
	// (Scope.Name, self.name in a script), and its actor name under its
	// creator; "" picks an actor name and leaves the worker's name empty.
	Name string
}

// NewWorker starts a dedicated worker running the actor that producer
// makes, as a child actor of the calling context (a window, iframe or
// another worker: workers nest). The worker has the caller's origin.
//
// An implicit channel joins the handle and the worker: the creator posts
// with w.PostMessage, the worker with WorkerPostMessage; neither side
// needs Start, and messages posted before the worker runs are held and
// delivered after its Started. The worker's code sees *actor.Started once
// its end of the channel is ready.
func NewWorker(ctx actor.Context, producer actor.Producer, opts WorkerOptions, props ...actor.PropsOption) (*Worker, error) {
	s, err := contextOf(ctx, "NewWorker")
	if err != nil {
		return nil, err
	}
	if s.closing.Load() {
		return nil, newError(messages.ErrInvalidState, "NewWorker: the context is being destroyed")
	}
	ch, err := ports.NewMessageChannel(ctx)
	if err != nil {
		return nil, err
	}
	// The handle is made first: the worker names it in the errors it
	// reports (it never reads it; the creator does).
	w := &Worker{creator: s}
	child := &contextState{plugin: s.plugin, behaviour: &dedicatedWorker{handle: w, name: opts.Name}, origin: s.origin, parent: s}
	w.state = child
	pid, err := s.spawnChild(ctx, child, "worker", opts.Name, producer, props)
	if err != nil {
		_ = ch.Port1.Close(ctx)
		_ = ch.Port2.Close(ctx)
		return nil, err
	}
	if err := ch.Port1.Start(ctx); err != nil {
		return nil, err
	}
	if err := contextmsg.PostTo(ctx, pid, nil, contextmsg.Options{Meta: contextmsg.Meta{Kind: kindWorkerInit}, Source: ctx.Self()}, []messages.Transferable{ch.Port2}); err != nil {
		return nil, err
	}
	w.pid, w.port = pid, ch.Port1
	if s.workers == nil {
		s.workers = make(map[*ports.MessagePort]*Worker)
	}
	s.workers[ch.Port1] = w
	return w, nil
}

// PID returns the worker's PID.
func (w *Worker) PID() *actor.PID {
	if w == nil {
		return nil
	}
	return w.pid
}

// PostMessage is worker.postMessage(message, transfer): it posts a
// structured clone of data to the worker over the implicit channel. After
// the worker has ended (Terminate, TerminateGracefully, or its own Close),
// the post is that of ports.MessagePort.PostMessage on a closed or
// disentangled port: by default the message is dropped silently, as on the
// web. Errors are those of ports.MessagePort.PostMessage.
func (w *Worker) PostMessage(ctx actor.Context, data any, transfer ...messages.Transferable) error {
	if w == nil {
		return newError(messages.ErrInvalidState, "PostMessage on a nil Worker")
	}
	return w.port.PostMessage(ctx, data, transfer...)
}

// From reports whether ev came from this worker over its implicit channel.
func (w *Worker) From(ev *ports.MessageEvent) bool {
	return w != nil && ev != nil && ev.Target == w.port
}

// Terminate is worker.terminate(), following the HTML Standard's
// "terminate a worker": the worker's queued tasks are discarded, and the
// creator's end of the implicit channel is closed at once, which empties
// its queue: messages the worker posted that the creator has not yet
// received are dropped (counted in the ports' Stats().Dropped and reported
// as ports.MessageDropped), and nothing the worker posts over the implicit
// channel, nor an ErrorEvent of the worker, reaches the creator after
// Terminate returns, not even what was already on its way. Then the
// worker is destroyed: its nested workers are terminated, its other ports
// close (their peers get a CloseEvent after the messages already posted on
// them) and the ports it had posted away finish their transfer. Calling it
// again, or after TerminateGracefully, does nothing more. It must be
// called by the creator.
//
// TerminateGracefully is the ending that loses nothing.
func (w *Worker) Terminate(ctx actor.Context) error {
	if err := w.checkCreator(ctx, "Terminate"); err != nil {
		return err
	}
	if !w.terminated {
		w.terminated = true
		_ = w.port.Close(ctx)
		if w.creator.plugin.ports.CloseEvents() != ports.CloseEventsBoth {
			// No CloseEvent comes for the closed end (see the event
			// layer): forget it now.
			delete(w.creator.workers, w.port)
		}
	}
	if !w.state.closing.Load() {
		w.state.requestDestroy(ctx)
	}
	return nil
}

// TerminateGracefully ends the worker without losing what it posted: its
// queued tasks are discarded and it is destroyed as by Terminate, but the
// creator's end of the implicit channel stays open until the worker's
// end closes, so every message the worker posted before it ends (in the
// task it is running when TerminateGracefully is called, too) is still
// delivered to the creator, in order; then the worker is gone. It is what
// Terminate did before it followed the standard; the web has no such
// call. Calling it again does nothing more; Terminate may still be called
// after it to drop what has not arrived yet. It must be called by the
// creator.
func (w *Worker) TerminateGracefully(ctx actor.Context) error {
	if err := w.checkCreator(ctx, "TerminateGracefully"); err != nil {
		return err
	}
	if !w.state.closing.Load() {
		w.state.requestDestroy(ctx)
	}
	return nil
}

// checkCreator returns an InvalidStateError unless ctx is the creator of
// the worker.
func (w *Worker) checkCreator(ctx actor.Context, call string) error {
	if _, err := contextOf(ctx, call); err != nil {
		return err
	}
	if w == nil {
		return newError(messages.ErrInvalidState, call+" on a nil Worker")
	}
	if !ctx.Self().Equal(w.creator.self) {
		return newError(messages.ErrInvalidState, call+": a worker is terminated by its creator")
	}
	return nil
}

// WorkerPostMessage is the dedicated worker's self.postMessage(message,
// transfer): it posts to the worker's creator over the implicit channel.
// It returns an InvalidStateError if ctx is not a dedicated worker.
func WorkerPostMessage(ctx actor.Context, data any, transfer ...messages.Transferable) error {
	s, err := contextOf(ctx, "WorkerPostMessage")
	if err != nil {
		return err
	}
	w, ok := s.behaviour.(*dedicatedWorker)
	if !ok || w.port == nil {
		return newError(messages.ErrInvalidState, "WorkerPostMessage: "+ctx.Self().String()+" is not a dedicated worker")
	}
	return w.port.PostMessage(ctx, data, transfer...)
}

// dedicatedWorker is the behaviour of a dedicated worker: its code starts
// once its end of the implicit channel has arrived, and that port's close
// is the plugin's business, not the code's.
type dedicatedWorker struct {
	plainKind
	// name is the worker's name (Scope.Name): WorkerOptions.Name.
	name string
	// handle is the creator's Worker for this worker, carried in the
	// errors it reports to the creator; only the creator reads it.
	handle *Worker
	// port is the worker's end of the implicit channel, nil until it
	// has arrived.
	port *ports.MessagePort
	// heldStarted is the Started held back until port has arrived.
	heldStarted *actor.MessageEnvelope
}

func (*dedicatedWorker) kind() Kind     { return KindDedicatedWorker }
func (*dedicatedWorker) browsing() bool { return false }

// started holds the Started back until the implicit port is here, so
// that the user's code can post from its first task.
func (w *dedicatedWorker) started(_ *contextState, env *actor.MessageEnvelope) bool {
	if w.port == nil {
		w.heldStarted = env
		return false
	}
	return true
}

// event takes the implicit port (see onWorkerInit) and swallows its
// CloseEvent.
func (w *dedicatedWorker) event(ctx actor.Context, _ *contextState, ev any, meta contextmsg.Meta, next actor.ReceiverFunc) bool {
	switch m := ev.(type) {
	case *ports.MessageEvent:
		if meta.Kind != kindWorkerInit {
			return false
		}
		w.onWorkerInit(ctx, m, next)
		return true
	case *ports.CloseEvent:
		return w.port != nil && m.Target == w.port
	}
	return false
}

// onWorkerInit takes the worker's end of the implicit channel, starts it,
// and runs the user's Started that was held back for it.
func (w *dedicatedWorker) onWorkerInit(ctx actor.Context, m *ports.MessageEvent, next actor.ReceiverFunc) {
	if w.port != nil || len(m.Ports) != 1 {
		closeAll(ctx, m.Ports)
		return
	}
	w.port = m.Ports[0]
	_ = w.port.Start(ctx)
	if env := w.heldStarted; env != nil {
		w.heldStarted = nil
		next(ctx, env)
	}
}

// FromCreator reports whether ev came from the creator of this dedicated
// worker, over the worker's implicit channel.
func (g *Scope) FromCreator(ev *ports.MessageEvent) bool {
	w, ok := g.s.behaviour.(*dedicatedWorker)
	return ok && ev != nil && w.port != nil && ev.Target == w.port
}
