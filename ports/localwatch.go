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
// actor; gone once that actor has stopped. Its owner (a portCore, an
// ownerWatch) holds the lock.
type watchList struct {
	pids []*actor.PID
	gone bool
}

// add enters watcher and reports true, or reports false once the actor
// has stopped.
func (w *watchList) add(watcher *actor.PID) bool {
	if w.gone {
		return false
	}
	w.pids = append(w.pids, watcher)
	return true
}

// remove takes watcher out and reports whether it was there.
func (w *watchList) remove(watcher *actor.PID) bool {
	n := len(w.pids)
	w.pids = removePID(w.pids, watcher)
	return len(w.pids) < n
}

// take closes the list and returns who was in it (nothing the second
// time).
func (w *watchList) take() []*actor.PID {
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
	mu   sync.Mutex
	watchList
}

// lostPort is what a port actor of this process sends each port actor that
// watches it as it stops.
type lostPort struct{ who *actor.PID }

// sameProcess reports whether who names an actor of this process. A PID
// with the address of a system before remote started ("nonhost") does, as
// it does for the transport, so that a watch made before remote.Start and
// the unwatch after it take the same path.
func (e *Extension) sameProcess(who *actor.PID) bool {
	if who == nil {
		return false
	}
	a := who.GetAddress()
	return a == e.system.Address() || a == wire.UnstartedAddress
}

// watchedCore returns the core of who if it is a port actor of this
// process that is still registered, nil otherwise.
func (e *Extension) watchedCore(who *actor.PID) *portCore {
	if !e.sameProcess(who) {
		return nil
	}
	p, ok := e.system.ProcessRegistry.GetLocal(who.GetId())
	if !ok {
		return nil
	}
	if mb := portMailboxOf(p); mb != nil {
		return mb.core
	}
	return nil
}

// addWatcher enters watcher in c's list and reports true, or reports false
// if c's actor has stopped already.
func (c *portCore) addWatcher(watcher *actor.PID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchedBy == nil {
		c.watchedBy = &watchList{}
	}
	return c.watchedBy.add(watcher)
}

// removeWatcher takes watcher out of c's list, if it is there.
func (c *portCore) removeWatcher(watcher *actor.PID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchedBy != nil {
		c.watchedBy.remove(watcher)
	}
}

// takeWatchers closes c's list and returns who was in it: from now on a
// watch of c's actor finds it gone.
func (c *portCore) takeWatchers() []*actor.PID {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchedBy == nil {
		c.watchedBy = &watchList{}
	}
	return c.watchedBy.take()
}

// ownerWatchOf returns the ownerWatch of who, an actor of this process
// with ReceiverMiddleware, or nil. The ownerWatch must be that of the
// process registered under who's id now: a name spawned again while the
// actor that had it is still in its Stopped (protoactor unregisters it
// first) is another actor, watched with protoactor until it has started.
func (e *Extension) ownerWatchOf(who *actor.PID) *ownerWatch {
	if !e.sameProcess(who) {
		return nil
	}
	w, ok := e.ownerWatches.Load(who.GetId())
	if !ok {
		return nil
	}
	ow := w.(*ownerWatch)
	if p, ok := e.system.ProcessRegistry.GetLocal(who.GetId()); !ok || p != ow.proc {
		return nil
	}
	return ow
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
	w.mu.Lock()
	pids := w.take()
	w.mu.Unlock()
	e.tellLost(ctx, pids)
}

// announceGone tells the port actors of this process that watch c's actor
// (ctx's) that it has stopped. It runs once the actor has stopped, so the
// lostPort is the last thing each of them gets from it.
func (e *Extension) announceGone(ctx actor.Context, c *portCore) {
	e.tellLost(ctx, c.takeWatchers())
}

// tellLost sends each watcher a lostPort from ctx's actor, which has
// stopped. A watcher that has stopped meanwhile is not sent anything.
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
