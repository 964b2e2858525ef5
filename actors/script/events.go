package script

import (
	"errors"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/internal/rawmsg"
	"github.com/entangle-go/entangle/ports"
)

// The events that reach the realm from its mailbox, each a task:
// messages (on a port, posted to the window, from the worker's creator),
// messageerror, a port's close, a shared worker's connect.

// route returns where a message event goes: the MessagePort object it
// arrived on, the Worker object whose worker sent it, or the global for a window message, a message from the
// creator of this worker, or a message posted straight to the context.
// The source is the sender's window (the global itself for a window
// posting to itself), or null. target is nil for a port the realm no
// longer has.
func (r *realm) route(target *ports.MessagePort, ev *ports.MessageEvent, source *actor.PID) (*goja.Object, goja.Value) {
	if target != nil {
		if ev != nil && r.scope.FromCreator(ev) {
			return r.global, goja.Null()
		}
		if e, ok := r.ports.byPort[target]; ok {
			return e.obj, goja.Null()
		}
		if w := r.workerOf(ev); w != nil {
			return w.obj, goja.Null()
		}
		return nil, nil
	}
	if source == nil {
		return r.global, goja.Null()
	}
	return r.global, r.windowSource(source)
}

// onMessage fires a message event (or messageerror, when the data cannot
// be rebuilt in this realm).
func (r *realm) onMessage(m *ports.MessageEvent) {
	if !r.ready() {
		releaseRaw(m.Data)
		closePorts(r, m.Ports)
		return
	}
	r.beginTask()
	defer r.endTask()
	target, source := r.route(m.Target, m, m.Source)
	if target == nil {
		releaseRaw(m.Data)
		closePorts(r, m.Ports)
		return
	}
	// The data is rebuilt, the event made and, when at most one listener
	// can run, dispatched, all in one call into the engine (deliver).
	saved := r.delivery
	r.delivery = delivery{m: m, target: target, source: source}
	r.nested(r.deliverFn)
	d := r.delivery
	r.delivery = saved
	switch {
	case d.failed:
		closePorts(r, m.Ports)
		r.fireMessage(target, "messageerror", goja.Null(), m.Origin, source, nil)
	case d.ev != nil && d.done == nil:
		r.endDispatch(d.ev)
	case d.done != nil:
		r.drive(target, d.ev, d.done)
	}
}

// delivery is the message onMessage is delivering: what deliver reads
// (the message, where it goes, its source) and what it leaves (whether
// the data could not be rebuilt; the event and what messageInline
// returned). It lives in the realm, so that a message costs no closure.
type delivery struct {
	m      *ports.MessageEvent
	target *goja.Object
	source goja.Value

	failed bool
	ev     *goja.Object
	done   goja.Value
}

// deliver rebuilds the data of r.delivery and makes and begins its event
// (run by nested, as r.deliverFn).
func (r *realm) deliver() {
	d := &r.delivery
	data, err := r.decode(d.m)
	if err != nil {
		d.failed = true
		return
	}
	ev, done := r.messageInline(d.target, data, d.m.Origin, d.source, d.m.Ports)
	d = &r.delivery // a delivery nested in messageInline has restored it
	d.ev, d.done = ev, done
}

// messageInline makes the message event of a message and begins its
// dispatch at target, inside a call into the engine (see nested), as
// fireInline does: the event is an object of MessageEvent.prototype with
// its own isTrusted and its state (see agentState) made here, which the
// surface's uaMessage registers before it dispatches the event (running
// its only listener, if it has at most one). It returns the event (nil if it could not be made) and what
// fireInline returns.
func (r *realm) messageInline(target *goja.Object, data goja.Value, origin string, source goja.Value, ps []*ports.MessagePort) (*goja.Object, goja.Value) {
	ev := r.rt.CreateObject(r.messageProto)
	if err := ev.DefineAccessorProperty("isTrusted", r.trustedGetter, nil, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		r.uncaught(err)
		return nil, nil
	}
	s := r.newAgentState(target, r.messageType, data, r.originValue(origin), source, r.eventPorts(ps))
	if fn := r.onlyHandler(target); fn != nil {
		return ev, r.runHandler(fn, target, ev, s)
	}
	done, err := r.call(r.uaMessage, goja.Undefined(), target, ev, s.obj)
	if err == nil {
		return ev, done
	}
	return ev, r.afterThrow(ev, err)
}

// originCache keeps the value of the origin of the last messages (most
// come from one origin).
type originCache struct {
	s string
	v goja.Value
}

// originValue returns origin as a value of the realm.
func (r *realm) originValue(origin string) goja.Value {
	if r.origins.v == nil || r.origins.s != origin {
		r.origins.s, r.origins.v = origin, r.rt.ToValue(origin)
	}
	return r.origins.v
}

// fireMessage makes a MessageEvent of the user agent and fires it.
func (r *realm) fireMessage(target *goja.Object, typ string, data goja.Value, origin string, source goja.Value, ps []*ports.MessagePort) {
	ev, err := r.agentEvent(r.js.messageEvent, r.rt.ToValue(typ), data, r.rt.ToValue(origin), source, r.portArray(ps), r.now())
	if err != nil {
		r.uncaught(err)
		return
	}
	r.fire(target, ev)
}

// portArray returns the MessagePort objects of ps, as an event's ports
// (undefined for none: the surface's shared empty array).
func (r *realm) portArray(ps []*ports.MessagePort) goja.Value {
	if len(ps) == 0 {
		return goja.Undefined()
	}
	objs := make([]any, len(ps))
	for i, p := range ps {
		objs[i] = r.adoptPort(p)
	}
	return r.rt.NewArray(objs...)
}

// decode rebuilds a message's data in this realm (a panic of the codec,
// such as a makePort that throws, is a failure to rebuild).
func (r *realm) decode(m *ports.MessageEvent) (v goja.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, errors.New("script: the message could not be rebuilt")
		}
	}()
	switch d := m.Data.(type) {
	case *rawmsg.Raw:
		if d.Record != nil {
			return r.codec.deserialize(d.Record, m.Ports)
		}
		return r.codec.fromGo(d.Value)
	default:
		return r.codec.fromGo(d)
	}
}

// releaseRaw hands back the Record of data that will not be read.
func releaseRaw(data any) {
	if d, ok := data.(*rawmsg.Raw); ok && d.Record != nil {
		d.Record.Release()
	}
}

// closePorts closes ports the realm received but will not hand to its
// script.
func closePorts(r *realm, ps []*ports.MessagePort) {
	for _, p := range ps {
		_ = p.Close(r.ctx)
	}
}

// onMessageError fires messageerror where the message would have gone.
func (r *realm) onMessageError(m *ports.MessageErrorEvent) {
	if !r.ready() {
		return
	}
	r.beginTask()
	defer r.endTask()
	var probe *ports.MessageEvent
	if m.Target != nil {
		probe = &ports.MessageEvent{Target: m.Target} // FromCreator looks at Target only
	}
	target, source := r.route(m.Target, probe, m.Source)
	if target == nil {
		return
	}
	r.fireMessage(target, "messageerror", goja.Null(), m.Origin, source, nil)
}

// onClose fires a port's close event; the port then leaves the realm.
func (r *realm) onClose(m *ports.CloseEvent) {
	if !r.ready() {
		return
	}
	e, ok := r.ports.byPort[m.Target]
	if !ok {
		if w := r.workerOf(&ports.MessageEvent{Target: m.Target}); w != nil {
			r.forgetWorker(w) // the worker has ended
		}
		return
	}
	r.ports.remove(e)
	_ = m.Target.Close(r.ctx)
	r.firePlainTask(e.obj, "close")
}

// firePlainTask fires a plain Event of the user agent named typ at target,
// as a task.
func (r *realm) firePlainTask(target *goja.Object, typ string) {
	r.beginTask()
	defer r.endTask()
	ev, err := r.agentEvent(r.js.plainEvent, r.rt.ToValue(typ))
	if err != nil {
		r.uncaught(err)
		return
	}
	r.fire(target, ev)
}

// onConnect fires a shared worker's connect event: a MessageEvent whose
// ports and source are the new connection's port.
func (r *realm) onConnect(m *actors.ConnectEvent) {
	if !r.ready() {
		_ = m.Port.Close(r.ctx)
		return
	}
	r.beginTask()
	defer r.endTask()
	r.fireMessage(r.global, "connect", r.rt.ToValue(""), "", r.adoptPort(m.Port), []*ports.MessagePort{m.Port})
}
