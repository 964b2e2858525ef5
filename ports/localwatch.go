package ports

import (
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
// once. Other actors (the custodian of a shipped port's carrier is a
// context) and actors on other nodes are watched with protoactor, as are
// port actors whose mailbox cannot be found (see processLayoutOK).

// portWatchers is the list of port actors of this process that watch a
// port actor; gonePortWatchers stands for it once that actor has stopped.
type portWatchers struct {
	pids []*actor.PID
}

var gonePortWatchers = &portWatchers{}

// lostPort is what a port actor of this process sends each port actor that
// watches it as it stops.
type lostPort struct{ who *actor.PID }

// watchedCore returns the core of who if it is a port actor of this
// process that is still registered, nil otherwise. A PID with the address
// of a system before remote started ("nonhost") names an actor of this
// process, as it does for the transport, so that a watch made before
// remote.Start and the unwatch after it take the same path.
func (e *Extension) watchedCore(who *actor.PID) *portCore {
	if who == nil {
		return nil
	}
	if a := who.GetAddress(); a != e.system.Address() && a != wire.UnstartedAddress {
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
	switch c.watchedBy {
	case gonePortWatchers:
		return false
	case nil:
		c.watchedBy = &portWatchers{}
	}
	c.watchedBy.pids = append(c.watchedBy.pids, watcher)
	return true
}

// removeWatcher takes watcher out of c's list, if it is there.
func (c *portCore) removeWatcher(watcher *actor.PID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := c.watchedBy; w != nil && w != gonePortWatchers {
		w.pids = removePID(w.pids, watcher)
	}
}

// takeWatchers closes c's list and returns who was in it: from now on a
// watch of c's actor finds it gone.
func (c *portCore) takeWatchers() []*actor.PID {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.watchedBy
	c.watchedBy = gonePortWatchers
	if w == nil || w == gonePortWatchers {
		return nil
	}
	return w.pids
}

// announceGone tells the port actors of this process that watch c's actor
// (ctx's) that it has stopped. It runs once the actor has stopped, so the
// lostPort is the last thing each of them gets from it. A watcher that
// has stopped meanwhile is not sent anything.
func (e *Extension) announceGone(ctx actor.Context, c *portCore) {
	for _, w := range c.takeWatchers() {
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
