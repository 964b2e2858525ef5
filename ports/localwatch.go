package ports

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// The watch between two port actors of this process. A protoactor watch
// costs a Watch system message, the watched actor's extras (a watcher set
// among them) and, at the death, a Terminated that the watcher must put
// behind the dead actor's last messages with a message to itself
// (checkLost), since protoactor delivers it ahead of them. A port actor
// that watches another port actor of this process is entered in that
// actor's core instead, and the watched actor, as it stops (Stopped),
// sends each of its watchers a lostPort itself: that message comes after
// everything it sent them before, so the watcher looks at the death at
// once. An actor with ReceiverMiddleware (the custodian of a shipped
// port's carrier, a context that has the message carrying the port) is
// watched the same way through its ownerWatch, which it answers from its
// Stopped. Other actors and actors on other nodes are watched with
// protoactor, as are port actors whose mailbox cannot be found (see
// processLayoutOK).

// watchList is the list of port actors of this process that watch an
// actor (a port actor, through its core, or an actor with
// ReceiverMiddleware, through its ownerWatch); gone once that actor has
// stopped.
type watchList struct {
	mu   sync.Mutex
	pids []*actor.PID
	gone bool
	buf  [2]*actor.PID // pids' first array: a port is watched by one or two actors, as a rule
}

// stoppedWatchList stands for the list of a port actor that stopped
// without ever being watched, so that such a stop allocates nothing.
var stoppedWatchList = &watchList{gone: true}

// add enters watcher and reports true, or reports false once the actor
// has stopped.
func (w *watchList) add(watcher *actor.PID) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gone {
		return false
	}
	if w.pids == nil {
		w.pids = w.buf[:0]
	}
	w.pids = append(w.pids, watcher)
	return true
}

// remove takes watcher out and reports whether it was there. The list is
// changed in place: nothing else holds its array until take, after which
// nothing changes it.
func (w *watchList) remove(watcher *actor.PID) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, p := range w.pids {
		if p.Equal(watcher) {
			n := copy(w.pids[i:], w.pids[i+1:])
			w.pids[i+n] = nil
			w.pids = w.pids[:i+n]
			return true
		}
	}
	return false
}

// take closes the list and returns who was in it (nothing the second
// time).
func (w *watchList) take() []*actor.PID {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gone {
		return nil
	}
	pids := w.pids
	w.pids, w.gone = nil, true
	return pids
}

// ownerWatch is the watchList of an actor with ReceiverMiddleware, which a
// port actor watches while that actor has the message carrying its port
// (it is the carrier's custodian). The extension keeps one per such actor
// from its Started to its Stopped (ownerWatches, by PID id); a restart
// keeps it, as protoactor keeps an actor's watchers. A watch that comes
// before the actor's Started is protoactor's, and so is the unwatch that
// does not find the watcher in the list. ReceiverMiddleware answers the
// watchers from the Stopped it sees, after the actor's own code, even if
// that code panics.
type ownerWatch struct {
	proc actor.Process // the actor's process: its incarnation
	watchList
}

// lostPort is what a port actor of this process sends each port actor that
// watches it as it stops.
type lostPort struct{ who *actor.PID }

// watchListOf returns the watchList of who if it is a port actor of this
// process that is still registered, or an actor with ReceiverMiddleware
// whose ownerWatch belongs to the process registered under who's id now
// (a name spawned again while the actor that had it is still in its
// Stopped, which protoactor unregisters first, is another actor, watched
// with protoactor until it has started); nil otherwise. A PID with the
// address of a system before remote started ("nonhost") names an actor of
// this process, as it does for the transport, so that a watch made before
// remote.Start and the unwatch after it take the same path.
func (e *Extension) watchListOf(who *actor.PID) *watchList {
	if who == nil {
		return nil
	}
	if a := who.GetAddress(); a != e.system.Address() && a != wire.UnstartedAddress {
		return nil
	}
	p, ok := e.localProcess(who)
	if !ok {
		return nil
	}
	if mb := portMailboxOf(p); mb != nil {
		return mb.core.watchers()
	}
	if w, ok := e.ownerWatches.Load(who.GetId()); ok && w.(*ownerWatch).proc == p {
		return &w.(*ownerWatch).watchList
	}
	return nil
}

// watchers returns c's watchList, made with the first watch.
func (c *portCore) watchers() *watchList {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchedBy == nil {
		c.watchedBy = &watchList{}
	}
	return c.watchedBy
}

// dropWatcher takes who out of c's list, if it is in it, without making a
// list for a core that has none.
func (c *portCore) dropWatcher(who *actor.PID) {
	c.mu.Lock()
	w := c.watchedBy
	c.mu.Unlock()
	if w != nil {
		w.remove(who)
	}
}

// stopWatchers closes c's list as its actor stops and returns who was in
// it: from now on a watch of that actor finds it gone.
func (c *portCore) stopWatchers() []*actor.PID {
	c.mu.Lock()
	w := c.watchedBy
	if w == nil {
		c.watchedBy = stoppedWatchList
	}
	c.mu.Unlock()
	if w == nil {
		return nil
	}
	return w.take()
}

// ownerStarted enters o's ownerWatch, made at its first start (a restart
// keeps it, with its process), in the extension's books.
func (e *Extension) ownerStarted(o *owner) {
	if o.watchers == nil {
		proc, _ := e.system.ProcessRegistry.GetLocal(o.self.GetId())
		o.watchers = &ownerWatch{proc: proc}
	}
	e.ownerWatches.Store(o.self.GetId(), o.watchers)
}

// ownerStopped tells the port actors that watch o's actor (ctx's) that it
// has stopped, and takes its ownerWatch out of the books (unless the name
// already belongs to another actor).
func (e *Extension) ownerStopped(ctx actor.Context, o *owner) {
	w := o.watchers
	if w == nil {
		return
	}
	e.ownerWatches.CompareAndDelete(o.self.GetId(), w)
	e.tellLost(ctx, w.take())
}

// tellLost sends each watcher a lostPort from ctx's actor, which has
// stopped: it runs once the actor has stopped, so the lostPort is the last
// thing each of them gets from it. A watcher that has stopped meanwhile
// is not sent anything.
func (e *Extension) tellLost(ctx actor.Context, watchers []*actor.PID) {
	for _, w := range watchers {
		e.sendNews(ctx, w, &lostPort{who: ctx.Self()})
	}
}

// onLostPort looks at the death of a port actor of this process that this
// one watched: at once, since nothing that actor sent comes after the
// lostPort, unless a look at that death is on its way already
// (checkLostBehind) and will come.
func (a *portActor) onLostPort(ctx actor.Context, who *actor.PID) {
	a.forgetWatch(who)
	if a.neighbours != nil && containsPID(a.lostDue, who) {
		return
	}
	a.onCheckLost(ctx, who)
}
