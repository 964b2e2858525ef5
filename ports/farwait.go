package ports

// A closed end's wait for its owner's posts to another node. Posts on the
// fast path to the other end on another node are numbered by the owner
// and leave later, at once or in a run (farrun.go). When the port actor
// closes the end itself (a queue overflow under OverflowClose) while its
// owner is in a turn, its Closed counts posts that the owner still holds.
// The other end watches this actor across nodes and, once it has seen it
// stop, takes what has arrived and drops the rest as lost. So the closed
// end stays on as a tombstone until those posts have left: it sends the
// run that waits itself, and if a post is still between its number and
// the run, it waits for the owner to send it (the owner then wakes it).
// A message sent before the actor stops reaches the other node before the
// news of its stop, which travels the same way after it.

// farWakeWanted is set in farPending while the port actor waits for the
// count to fall to zero.
const farWakeWanted int32 = 1 << 30

// numberedFar counts a post numbered for another node; c.mu is held.
func (c *portCore) numberedFar() { c.farPending.Add(1) }

// leftFar counts n posts of c that have left and reports whether c's
// actor was waiting for the last of them: the caller then wakes it
// (wakeActor) once it holds no lock, since the actor may run on its
// goroutine.
func (c *portCore) leftFar(n int32) bool {
	return c.farPending.Add(-n) == farWakeWanted && c.farPending.CompareAndSwap(farWakeWanted, 0)
}

// wakeActor has c's actor run its Receive. An actor that stopped meanwhile
// (some other way than the wait it was woken for) gets nothing: the wake
// does not become a DeadLetterEvent of this package's type (see sendNews).
func (c *portCore) wakeActor() {
	e := c.own.ext
	e.sendNews(e.system.Root, c.pid, &wake{})
}

// wakeActors wakes the actors of cores, collected under the runs' mutex
// and woken once it is let go.
func wakeActors(cores []*portCore) {
	for _, c := range cores {
		c.wakeActor()
	}
}

// farSent reports whether every post this actor's owner numbered for
// another node has left. If not, it sends the run that waits for this
// port, and if a post is still on its way into a run, it asks to be woken
// when it has left and reports false.
func (a *portActor) farSent() bool {
	c := a.core
	if c.farPending.Load() == 0 {
		return true
	}
	c.own.sendRunOf(c)
	for {
		v := c.farPending.Load()
		if v&^farWakeWanted == 0 {
			return true
		}
		if v&farWakeWanted != 0 || c.farPending.CompareAndSwap(v, v|farWakeWanted) {
			return false
		}
	}
}

// sendRunOf sends c's run, if one waits, from c's actor's goroutine. If
// the runs' mutex is held, it leaves the run alone: whoever holds it is
// sending or adding to runs and counts down what leaves (the holder may
// even be this goroutine, which a run sent to a port of this process
// reached, its mailbox running the actor inline), and the actor waits to
// be woken instead. The wake that sendRun may report here is not needed:
// farSent reads the count again after this.
func (o *owner) sendRunOf(c *portCore) {
	r := &o.far
	if !r.mu.TryLock() {
		return
	}
	defer r.mu.Unlock()
	if p := r.find(c); p != nil {
		o.sendRun(o.ext.system.Root, p)
	}
}
