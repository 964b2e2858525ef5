package script

import (
	"log/slog"
	"weak"

	"github.com/dop251/goja"
)

// HTML's unhandled promise rejections: a promise rejected with no handler
// is about to be notified until its task ends; then, if still unhandled,
// it gets an unhandledrejection event (cancelable; logged if not
// canceled) and becomes outstanding. An outstanding promise that gets a
// handler later gets a rejectionhandled event, in a task of its own. The
// outstanding set is weak, as the standard says: a promise nothing else
// keeps is forgotten.

// rejectionTracking is the realm's state of unhandled rejections.
type rejectionTracking struct {
	// soon: rejected without a handler during this task, in order.
	soon []*goja.Promise
	// notifying: the list being notified, and which of it got a handler
	// meanwhile (by a listener of an earlier one's event).
	notifying []*goja.Promise
	handled   map[*goja.Promise]bool
	// outstanding: notified and still unhandled.
	outstanding map[weak.Pointer[goja.Promise]]struct{}
	// pruneAt is the size of outstanding at which dead entries are
	// dropped.
	pruneAt int
}

// rejectionHandled is the task that fires rejectionhandled.
type rejectionHandled struct{ p *goja.Promise }

// maxRejectionRounds bounds the rounds of unhandledrejection events whose
// listeners leave new unhandled rejections.
const maxRejectionRounds = 16

// track is the runtime's promise rejection tracker.
func (r *realm) track(p *goja.Promise, op goja.PromiseRejectionOperation) {
	t := &r.rejected
	switch op {
	case goja.PromiseRejectionReject:
		t.soon = append(t.soon, p)
	case goja.PromiseRejectionHandle:
		for i, q := range t.soon {
			if q == p {
				t.soon = append(t.soon[:i], t.soon[i+1:]...)
				return
			}
		}
		// Outstanding first: a promise of the list being notified whose
		// own event has fired is outstanding already.
		k := weak.Make(p)
		if _, ok := t.outstanding[k]; ok {
			delete(t.outstanding, k)
			r.ctx.Send(r.ctx.Self(), &rejectionHandled{p: p})
			return
		}
		for _, q := range t.notifying {
			if q == p {
				t.handled[p] = true
				return
			}
		}
	}
}

// notifyRejections is HTML's "notify about rejected promises" for the
// promises the task rejected and left unhandled.
func (r *realm) notifyRejections() {
	t := &r.rejected
	for round := 0; len(t.soon) > 0 && round < maxRejectionRounds && !r.interrupted; round++ {
		t.notifying, t.soon = t.soon, nil
		t.handled = make(map[*goja.Promise]bool)
		for _, p := range t.notifying {
			if p.State() != goja.PromiseStateRejected || t.handled[p] {
				continue
			}
			reason := p.Result()
			ev, err := r.agentEvent(r.js.rejectionEvent, r.rt.ToValue(p), reason, r.rt.ToValue(false))
			if err != nil {
				continue
			}
			if r.fire(r.global, ev) {
				msg := "Uncaught (in promise) " + r.describe(reason)
				r.reports = append(r.reports, errorReport{Message: msg, Rejection: true})
				r.log(slog.LevelError, msg)
			} else {
				r.reports = append(r.reports, errorReport{Message: "(in promise) " + r.describe(reason), Rejection: true, Canceled: true})
			}
			if !t.handled[p] {
				r.outstand(p)
			}
		}
		t.notifying, t.handled = nil, nil
	}
	t.soon = nil
}

// outstand adds p to the outstanding set, dropping the entries of
// promises gone since the set last doubled.
func (r *realm) outstand(p *goja.Promise) {
	t := &r.rejected
	if t.outstanding == nil {
		t.outstanding = make(map[weak.Pointer[goja.Promise]]struct{})
	}
	t.outstanding[weak.Make(p)] = struct{}{}
	if len(t.outstanding) >= t.pruneAt {
		for k := range t.outstanding {
			if k.Value() == nil {
				delete(t.outstanding, k)
			}
		}
		t.pruneAt = max(64, 2*len(t.outstanding))
	}
}

// onRejectionHandled fires rejectionhandled for a promise that was
// outstanding and got a handler.
func (r *realm) onRejectionHandled(m *rejectionHandled) {
	if !r.ready() {
		return
	}
	r.beginTask()
	defer r.endTask()
	ev, err := r.agentEvent(r.js.rejectionEvent, r.rt.ToValue(m.p), m.p.Result(), r.rt.ToValue(true))
	if err != nil {
		r.uncaught(err)
		return
	}
	r.fire(r.global, ev)
}
