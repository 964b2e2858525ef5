// Event and EventTarget (the DOM Standard), with the listener list
// semantics and the dispatch of an event at a target that is alone on its
// path (no tree: every target here is a global, a port or a window proxy).
// A dispatch started by script (dispatchEvent) runs all its listeners
// here, nested; a dispatch by the user agent is begun by uaFire (or
// uaMessage), which runs the only listener itself, and otherwise driven
// from Go (dispatch.go) through uaList, uaInvoke and uaEnd, one outermost
// call per listener, so that microtasks run between listeners as in
// browsers.
(function (host, internal) {
	'use strict';
	const str = internal.toStr;
	// The listener lists are arrays of the surface's own; their methods
	// are taken now, so that a script that replaces Array.prototype's
	// methods later never sees them.
	const { slice, push, splice, indexOf } = internal.arrays;
	// The surface's weak maps here carry their methods as own properties,
	// taken now: a call is one plain method call (no bound functions), and
	// a script that replaces WeakMap.prototype.get later changes nothing.
	const ownMethods = (m, proto, names) => {
		for (const n of names) Object.defineProperty(m, n, { value: proto[n] });
		Object.setPrototypeOf(m, null);
		return m;
	};
	const weakMap = () => ownMethods(new WeakMap(), WeakMap.prototype, ['get', 'set', 'has']);
	internal.weakMap = weakMap;
	internal.weakSet = () => ownMethods(new WeakSet(), WeakSet.prototype, ['has', 'add']);
	const events = weakMap(); // event -> its state
	const lists = weakMap(); // target -> its listener list

	const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
	const ev = (self) => {
		const s = events.get(self);
		if (s === undefined) throw new TypeError('Illegal invocation');
		return s;
	};
	const global = globalThis;
	const listOf = (self) => {
		const l = lists.get(self == null ? global : self);
		if (l === undefined) throw new TypeError('Illegal invocation');
		return l;
	};
	const need = (n, count, what) => {
		if (n < count) throw new TypeError(`Failed to execute '${what}': ${count} argument${count > 1 ? 's' : ''} required, but only ${n} present.`);
	};
	// enumerable makes a prototype's accessors and methods enumerable, as
	// WebIDL attributes and operations are.
	const enumerable = (proto) => {
		for (const key of Object.getOwnPropertyNames(proto)) {
			if (key === 'constructor') continue;
			const d = Object.getOwnPropertyDescriptor(proto, key);
			d.enumerable = true;
			Object.defineProperty(proto, key, d);
		}
	};
	const constants = (ctor, table) => {
		for (const [k, v] of Object.entries(table)) {
			const d = { value: v, enumerable: true, writable: false, configurable: false };
			Object.defineProperty(ctor, k, d);
			Object.defineProperty(ctor.prototype, k, d);
		}
	};
	const expose = (name, value) => Object.defineProperty(global, name, { value, writable: true, configurable: true });
	const tag = (ctor, name) => Object.defineProperty(ctor.prototype, Symbol.toStringTag, { value: name, configurable: true });

	// An event's state: type, flags (below), target, currentTarget
	// (cur), timeStamp, the kind of event (k: 0 for Event; the subclasses
	// of 11-event-kinds.js set theirs) and the kind's own fields (x). The
	// eventPhase is AT_TARGET while the event is dispatched (every target
	// is alone on its path), NONE otherwise. A state has at most 7
	// properties: goja keeps an object's properties in a Go map, which
	// grows out of its first, small group at the 8th, as it does when a
	// property of a full group is written.
	const BUBBLES = 1, CANCELABLE = 2, COMPOSED = 4, STOP = 8, STOP_NOW = 16, CANCELED = 32,
		PASSIVE = 64, DISPATCHING = 128, INITIALIZED = 256, TRUSTED = 512;
	const state = (type, flags, k, x, time = host.now()) => ({ type, flags, target: null, cur: null, time, k, x });
	const isTrusted = { get isTrusted() { return (ev(this).flags & TRUSTED) !== 0; } };
	const trusted = { get: Object.getOwnPropertyDescriptor(isTrusted, 'isTrusted').get, enumerable: true, configurable: false };
	const has = (s, f) => (s.flags & f) !== 0;
	// The kinds of event (s.k) that 11-event-kinds.js defines.
	const K_MESSAGE = 1;
	internal.kinds = { K_MESSAGE, K_ERROR: 2, K_REJECTION: 3 };
	internal.messageFields = { M_DATA: 0, M_ORIGIN: 1, M_LAST_EVENT_ID: 2, M_SOURCE: 3, M_PORTS: 4 };
	// Events of the user agent without ports share one frozen empty array
	// (freezing is costly, and nothing can change it).
	const freeze = Object.freeze;
	const noPorts = freeze([]);
	internal.noPorts = noPorts;
	// made registers the state of a new event (constructed, or made by the
	// user agent with Object.create) and gives it its own isTrusted.
	const made = (e, s) => {
		events.set(e, s);
		Object.defineProperty(e, 'isTrusted', trusted);
		return e;
	};
	// madeByAgent registers the state of an event of the user agent; Go
	// gives it its isTrusted (defining it from Go is cheaper).
	const madeByAgent = (e, s) => {
		events.set(e, s);
		return e;
	};

	class Event {
		constructor(type, init) {
			if (type === undefined && arguments.length < 1) need(0, 1, 'Event');
			let flags = INITIALIZED;
			if (init !== undefined && init !== null) {
				if (!isObject(init)) throw new TypeError("Failed to construct 'Event': The provided value is not of type 'EventInit'.");
				if (init.bubbles) flags |= BUBBLES;
				if (init.cancelable) flags |= CANCELABLE;
				if (init.composed) flags |= COMPOSED;
			}
			made(this, state(str(type), flags, 0, null));
		}
		get type() { return ev(this).type; }
		get target() { return ev(this).target; }
		get srcElement() { return ev(this).target; }
		get currentTarget() { return ev(this).cur; }
		composedPath() {
			const s = ev(this);
			return s.cur === null ? [] : [s.cur];
		}
		get eventPhase() { return has(ev(this), DISPATCHING) ? 2 : 0; }
		stopPropagation() { ev(this).flags |= STOP; }
		get cancelBubble() { return has(ev(this), STOP); }
		set cancelBubble(v) { if (v) ev(this).flags |= STOP; }
		stopImmediatePropagation() { ev(this).flags |= STOP | STOP_NOW; }
		get bubbles() { return has(ev(this), BUBBLES); }
		get cancelable() { return has(ev(this), CANCELABLE); }
		get returnValue() { return !has(ev(this), CANCELED); }
		set returnValue(v) { if (!v) cancel(ev(this)); }
		preventDefault() { cancel(ev(this)); }
		get defaultPrevented() { return has(ev(this), CANCELED); }
		get composed() { return has(ev(this), COMPOSED); }
		get timeStamp() { return ev(this).time; }
		initEvent(type, bubbles = false, cancelable = false) {
			if (type === undefined && arguments.length < 1) need(0, 1, 'initEvent');
			const s = ev(this);
			if (has(s, DISPATCHING)) return;
			reinit(s, type, bubbles, cancelable);
		}
	}
	const cancel = (s) => {
		if ((s.flags & (CANCELABLE | PASSIVE)) === CANCELABLE) s.flags |= CANCELED;
	};
	const reinit = (s, type, bubbles, cancelable) => {
		s.flags = (s.flags & COMPOSED) | INITIALIZED | (bubbles ? BUBBLES : 0) | (cancelable ? CANCELABLE : 0);
		s.target = null;
		s.type = str(type);
	};
	constants(Event, { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 });
	enumerable(Event.prototype);
	tag(Event, 'Event');

	// flatten reads the options argument of add/removeEventListener.
	const flatten = (options, all) => {
		const o = { capture: false, once: false, passive: false };
		if (typeof options === 'boolean') {
			o.capture = options;
		} else if (isObject(options)) {
			o.capture = !!options.capture;
			if (all) {
				o.once = !!options.once;
				o.passive = !!options.passive;
			}
		} else if (options !== undefined && options !== null) {
			o.capture = !!options;
		}
		return o;
	};

	class EventTarget {
		constructor() {
			lists.set(this, []);
		}
		addEventListener(type, callback, options) {
			need(arguments.length, 2, 'addEventListener');
			const list = listOf(this);
			if (callback !== null && callback !== undefined && !isObject(callback)) {
				throw new TypeError("Failed to execute 'addEventListener': parameter 2 is not of type 'Object'.");
			}
			const o = flatten(options, true);
			type = str(type);
			if (callback === null || callback === undefined) return;
			for (let i = 0; i < list.length; i++) {
				const l = list[i];
				if (l.type === type && l.callback === callback && l.capture === o.capture) return;
			}
			push(list, { type, callback, capture: o.capture, once: o.once, passive: o.passive, removed: false, h: undefined });
			changed(this == null ? global : this, type);
		}
		removeEventListener(type, callback, options) {
			need(arguments.length, 2, 'removeEventListener');
			const list = listOf(this);
			const o = flatten(options, false);
			type = str(type);
			for (let i = 0; i < list.length; i++) {
				const l = list[i];
				if (l.type === type && l.callback === callback && l.capture === o.capture) {
					l.removed = true;
					splice(list, i, 1);
					changed(this == null ? global : this, type);
					return;
				}
			}
		}
		dispatchEvent(event) {
			need(arguments.length, 1, 'dispatchEvent');
			const target = this == null ? global : this;
			listOf(target);
			const s = events.get(event);
			if (s === undefined) throw new TypeError("Failed to execute 'dispatchEvent': parameter 1 is not of type 'Event'.");
			if (has(s, DISPATCHING) || !has(s, INITIALIZED)) {
				throw internal.domException("Failed to execute 'dispatchEvent': The event is already being dispatched.", 'InvalidStateError');
			}
			s.flags &= ~TRUSTED;
			return dispatch(target, event, s);
		}
	}
	enumerable(EventTarget.prototype);
	tag(EventTarget, 'EventTarget');

	const removeListener = (target, l) => {
		const list = lists.get(target);
		const i = indexOf(list, l);
		if (i >= 0) splice(list, i, 1);
		l.removed = true;
		changed(target, l.type);
	};

	// changed tells Go, after each change of target's listeners of type
	// message (and of the value of its onmessage), which function runs
	// when a message event is dispatched at target, if target has only
	// one listener of the type: the value of onmessage if that listener
	// is the handler and its value is a function, or the callback of a
	// listener added with addEventListener if it is a function and the
	// listener is not once (a message event is not cancelable, so passive
	// changes nothing); otherwise null, and Go dispatches through
	// uaMessage. Go calls that function itself, with target as this and
	// no other call of the surface in between (see handler.go).
	const onlyHandler = host.onlyMessageHandler;
	const changed = (target, type) => {
		if (type !== 'message') return;
		const list = lists.get(target);
		let only = null;
		for (let i = 0; list !== undefined && i < list.length; i++) {
			if (list[i].type !== type) continue;
			if (only !== null) {
				only = null;
				break;
			}
			only = list[i];
		}
		let fn = null;
		if (only !== null) {
			const h = only.h;
			if (h !== undefined) {
				if (typeof h.value === 'function') fn = h.value;
			} else if (!only.once && typeof only.callback === 'function') {
				fn = only.callback;
			}
		}
		onlyHandler(target, fn);
	};

	// invokeOne is the DOM's inner invoke for one listener; it returns
	// false once the event's stop immediate propagation flag is set.
	const invokeOne = (target, event, s, l, capture) => {
		if (l.removed || l.type !== s.type || l.capture !== capture) return true;
		if (l.once) removeListener(target, l);
		if (l.passive) s.flags |= PASSIVE;
		try {
			const cb = l.callback;
			if (l.h !== undefined) {
				runHandler(target, l.type, l.h, event);
			} else if (typeof cb === 'function') {
				cb.call(target, event);
			} else {
				const handle = cb.handleEvent;
				if (typeof handle !== 'function') throw new TypeError("The listener's handleEvent is not a function");
				handle.call(cb, event);
			}
		} finally {
			s.flags &= ~PASSIVE;
		}
		return (s.flags & STOP_NOW) === 0;
	};
	const begin = (target, s) => {
		s.flags |= DISPATCHING;
		s.target = target;
		s.cur = target;
	};
	const end = (s) => {
		s.cur = null;
		s.flags &= ~(DISPATCHING | STOP | STOP_NOW);
		return (s.flags & CANCELED) === 0;
	};
	const snapshot = (target, s) => {
		if (has(s, STOP)) return null;
		const list = lists.get(target);
		return list === undefined || list.length === 0 ? null : slice(list);
	};
	// dispatch runs a dispatch inside the current call (script's
	// dispatchEvent, and the user agent's events fired while script runs):
	// an exception in a listener is reported, and the next listener runs.
	const dispatch = (target, event, s) => {
		begin(target, s);
		for (let phase = 0; phase < 2; phase++) {
			const capture = phase === 0;
			const list = snapshot(target, s);
			if (list === null) continue;
			for (let i = 0; i < list.length; i++) {
				const l = list[i];
				let go = true;
				try {
					go = invokeOne(target, event, s, l, capture);
				} catch (e) {
					internal.report(e);
				}
				if (!go) break;
			}
		}
		return end(s);
	};

	// within calls fn from a frame of JavaScript, so that what fn runs
	// (scripts run by a native) is nested in one outermost call.
	internal.within = (fn) => fn();
	internal.isObject = isObject;
	internal.need = need;
	internal.enumerable = enumerable;
	internal.constants = constants;
	internal.expose = expose;
	internal.tag = tag;
	internal.eventState = ev;
	internal.peek = (e) => events.get(e);
	internal.eventStates = events;
	internal.reinit = (event, type, bubbles, cancelable) => reinit(ev(event), type, bubbles, cancelable);
	internal.dispatching = (event) => has(ev(event), DISPATCHING);
	internal.Event = Event;
	internal.EventTarget = EventTarget;
	internal.initTarget = (t) => lists.set(t, []);
	internal.dispatch = (target, event) => {
		const s = ev(event);
		s.flags |= TRUSTED;
		return dispatch(target, event, s);
	};
	// fireOne dispatches an event of the user agent (its state s) in one
	// call when at most one listener of its type is registered (the
	// common case: nothing can run between listeners then), ending the
	// dispatch and rethrowing an exception of the listener for Go to
	// report; it returns whether the event was not canceled. Otherwise it
	// leaves the dispatch begun and returns the capture listeners (or [])
	// for Go to drive (uaList, uaInvoke, uaEnd).
	const fireOne = (target, event, s) => {
		s.flags |= TRUSTED;
		begin(target, s);
		return runOne(target, event, s);
	};
	// runOne is fireOne once the dispatch has begun.
	const runOne = (target, event, s) => {
		const list = lists.get(target);
		let only = null;
		if (list !== undefined) {
			for (let i = 0; i < list.length; i++) {
				if (list[i].type !== s.type) continue;
				if (only !== null) return snapshot(target, s) || [];
				only = list[i];
			}
		}
		if (only !== null) {
			try {
				const h = only.h;
				if (h !== undefined && s.k === K_MESSAGE) {
					// An event handler (onmessage): what invokeOne and
					// runHandler do for it, without their calls (such a
					// listener is never once, passive or capturing).
					const fn = h.value;
					if (typeof fn === 'function' && fn.call(target, event) === false) event.preventDefault();
				} else {
					invokeOne(target, event, s, only, only.capture);
				}
			} catch (e) {
				// Go reports it, with the place it was thrown.
				end(s);
				throw e;
			}
		}
		return end(s);
	};
	internal.uaFire = (target, event) => fireOne(target, event, ev(event));
	// uaMessage makes e (an object Go made with MessageEvent.prototype and
	// its own isTrusted) a MessageEvent of the user agent with the state s
	// (which Go made as begin leaves it: see eventstate.go) and dispatches
	// it at target as uaFire does.
	internal.uaMessage = (target, e, s) => {
		events.set(e, s);
		return runOne(target, e, s);
	};
	internal.flags = { BUBBLES, CANCELABLE, COMPOSED, STOP, STOP_NOW, CANCELED, DISPATCHING, INITIALIZED, TRUSTED };
	internal.made = made;
	internal.madeByAgent = madeByAgent;
	internal.trustedGetter = trusted.get;
	internal.state = state;
	internal.uaList = (target, event) => snapshot(target, ev(event));
	internal.uaInvoke = (target, event, l, capture) => invokeOne(target, event, ev(event), l, capture);
	internal.uaEnd = (event) => end(ev(event));

	// handler defines the event handler IDL attribute on<type> on proto:
	// setting a callable value registers a listener (once, at that point
	// of the list) that calls the current value; null removes it. set, if
	// given, runs after each assignment (MessagePort's onmessage starts
	// the port).
	const handlers = weakMap(); // target -> { type: {value, listener} }
	internal.handler = (proto, type, set) => {
		const slot = (target) => {
			let all = handlers.get(target);
			if (all === undefined) handlers.set(target, all = {});
			return all[type] || (all[type] = { value: null, listener: null });
		};
		Object.defineProperty(proto, 'on' + type, {
			enumerable: true, configurable: true,
			get() {
				const target = this == null ? global : this;
				listOf(target);
				return slot(target).value;
			},
			set(v) {
				const target = this == null ? global : this;
				const list = listOf(target);
				const h = slot(target);
				h.value = isObject(v) ? v : null;
				if (h.value === null) {
					if (h.listener !== null) removeListener(target, h.listener);
					h.listener = null;
				} else if (h.listener === null) {
					// invokeOne calls the handler itself (h); the callback
					// only gives the listener an identity of its own.
					const callback = function (event) { return runHandler(target, type, h, event); };
					h.listener = { type, callback, capture: false, once: false, passive: false, removed: false, h };
					push(list, h.listener);
				}
				changed(target, type);
				if (set !== undefined) set(target, h.value);
			},
		});
	};
	const runHandler = (target, type, h, event) => {
		const fn = h.value;
		if (typeof fn !== 'function') return;
		if (type === 'error' && target === global && internal.isErrorEvent(event)) {
			const r = fn.call(target, event.message, event.filename, event.lineno, event.colno, event.error);
			if (r === true) event.preventDefault();
			return;
		}
		const r = fn.call(target, event);
		if (r === false) event.preventDefault();
	};

	expose('Event', Event);
	expose('EventTarget', EventTarget);
})
