package ports

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/internal/wire"
)

// stranger is a held message.
type stranger struct {
	msg      any
	at       time.Time
	size     int
	reported bool
}

// heldSize is what a held message counts against maxStrangerBytes.
func heldSize(m any) int {
	switch m := m.(type) {
	case *userMsg:
		return m.size()
	case *wire.Msg:
		return len(m.GetRecord())
	}
	return 0
}

// strangerCheck is the timer's reminder to report what is held too long.
type strangerCheck struct{}

func (*strangerCheck) IgnoreDeadLetterLogging() {}

// hold keeps m, from the unknown sender whose key is key, until its
// sender becomes a neighbour (releaseStrangers), within the bounds; past
// them m is refused and reported.
func (a *portActor) hold(ctx actor.Context, key uint64, m any) {
	size := heldSize(m)
	if a.strangerCount >= maxStrangers || a.strangerBytes+size > maxStrangerBytes {
		a.reject(ctx, m, "too many messages held from actors that are not route neighbours")
		return
	}
	if a.strangers == nil {
		a.strangers = make(map[uint64][]stranger)
	}
	a.strangers[key] = append(a.strangers[key], stranger{msg: m, at: time.Now(), size: size})
	a.strangerCount++
	a.strangerBytes += size
	if a.strangerTimer == nil {
		a.armStrangerTimer(ctx, strangerGrace)
	}
}

func (a *portActor) armStrangerTimer(ctx actor.Context, d time.Duration) {
	root, self := a.ext().system.Root, ctx.Self()
	a.strangerTimer = time.AfterFunc(d, func() { root.Send(self, &strangerCheck{}) })
}

// onStrangerCheck reports the held messages that have waited strangerGrace,
// and sets the timer again for the others.
func (a *portActor) onStrangerCheck(ctx actor.Context) {
	a.strangerTimer = nil
	now := time.Now()
	var next time.Duration
	for _, list := range a.strangers {
		for i := range list {
			s := &list[i]
			if s.reported {
				continue
			}
			if wait := strangerGrace - now.Sub(s.at); wait > 0 {
				if next == 0 || wait < next {
					next = wait
				}
				continue
			}
			s.reported = true
			a.report(ctx, s.msg, "from an actor that is not a route neighbour (held in case it becomes one)")
		}
	}
	if next > 0 {
		a.armStrangerTimer(ctx, next)
	}
}

// releaseStrangers handles, in the order they arrived, the held messages
// of senders that have become neighbours.
func (a *portActor) releaseStrangers(ctx actor.Context) {
	for a.role != roleDone && a.strangerCount > 0 {
		key, ok := a.knownStranger()
		if !ok {
			return
		}
		list := a.strangers[key]
		m := list[0].msg
		a.strangerBytes -= list[0].size
		if len(list) == 1 {
			delete(a.strangers, key)
		} else {
			list[0] = stranger{}
			a.strangers[key] = list[1:]
		}
		a.strangerCount--
		before := a.strangerCount
		a.handle(ctx, m)
		if a.strangerCount > before {
			return // held again: its sender is no neighbour after all
		}
	}
}

// knownStranger returns the key of a neighbour that has messages held.
func (a *portActor) knownStranger() (uint64, bool) {
	held := func(r *wire.Ref) bool {
		if _, ok := a.strangers[r.GetKey()]; ok {
			// As admit sees it: a Ref without a PID is no one.
			return a.neighbour(r.GetKey()) != nil
		}
		return false
	}
	if a.peer != nil && held(a.peer) {
		return a.peer.GetKey(), true
	}
	for _, s := range a.senders {
		if held(s) {
			return s.GetKey(), true
		}
	}
	for _, s := range a.former {
		if held(s) {
			return s.GetKey(), true
		}
	}
	return 0, false
}

// holding reports how many messages from unknown senders this actor holds.
func (a *portActor) holding() int {
	if a.neighbours == nil {
		return 0
	}
	return a.strangerCount
}

// dropStrangers gives up what is still held when the actor stops, as if
// it had arrived after the stop (see Extension.undelivered).
func (a *portActor) dropStrangers() {
	if a.neighbours == nil {
		return
	}
	if a.strangerTimer != nil {
		a.strangerTimer.Stop()
		a.strangerTimer = nil
	}
	held := a.strangers
	a.strangers, a.strangerCount, a.strangerBytes = nil, 0, 0
	for _, list := range held {
		for _, s := range list {
			a.ext().undelivered(s.msg)
		}
	}
}
