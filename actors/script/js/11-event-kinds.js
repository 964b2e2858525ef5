// The events the web surface fires: MessageEvent (HTML's, with its frozen
// ports array and initMessageEvent), ErrorEvent and PromiseRejectionEvent;
// and the constructors Go uses for the events of the user agent.
(function (host, internal) {
	'use strict';
	const { Event, need, isObject, enumerable, tag, expose } = internal;
	const str = internal.toStr;
	const { flags, madeByAgent, state } = internal;
	const events = internal.eventStates;
	const peek = (e) => events.get(e);
	// Each kind keeps its own fields in the event's state (s.x), tagged
	// with its kind (s.k).
	const { K_MESSAGE, K_ERROR, K_REJECTION } = internal.kinds;
	// A MessageEvent's own fields are an array (cheaper to make than an
	// object), indexed by these.
	const { M_DATA, M_ORIGIN, M_LAST_EVENT_ID, M_SOURCE, M_PORTS } = internal.messageFields;
	const freeze = Object.freeze;
	const own = (k) => (self) => {
		const s = events.get(self);
		if (s === undefined || s.k !== k) throw new TypeError('Illegal invocation');
		return s.x;
	};
	const msg = own(K_MESSAGE);
	const err = own(K_ERROR);
	const rej = own(K_REJECTION);
	const toPorts = (v, what) => {
		if (v === undefined) return [];
		if (!isObject(v) || typeof v[Symbol.iterator] !== 'function') {
			throw new TypeError(`${what}: ports is not a sequence`);
		}
		const out = [];
		for (const p of v) {
			if (!internal.isPort(p)) throw new TypeError(`${what}: ports must hold MessagePorts only`);
			out.push(p);
		}
		return out;
	};
	const toSource = (v, what) => {
		if (v === undefined || v === null) return null;
		if (internal.isPort(v) || internal.isWindow(v)) return v;
		throw new TypeError(`${what}: source is not a WindowProxy or a MessagePort`);
	};

	class MessageEvent extends Event {
		constructor(type, init) {
			if (type === undefined && arguments.length < 1) need(0, 1, 'MessageEvent');
			super(type, init);
			const s = [null, '', '', null, null]; // see M_DATA
			let ports = [];
			if (init !== undefined && init !== null) {
				const data = init.data;
				if (data !== undefined) s[M_DATA] = data;
				const lastEventId = init.lastEventId;
				if (lastEventId !== undefined) s[M_LAST_EVENT_ID] = str(lastEventId);
				const origin = init.origin;
				if (origin !== undefined) s[M_ORIGIN] = str(origin);
				ports = toPorts(init.ports, "Failed to construct 'MessageEvent'");
				s[M_SOURCE] = toSource(init.source, "Failed to construct 'MessageEvent'");
			}
			s[M_PORTS] = freeze(ports);
			const e = peek(this);
			e.k = K_MESSAGE;
			e.x = s;
		}
		get data() {
			const s = events.get(this);
			if (s === undefined || s.k !== K_MESSAGE) throw new TypeError('Illegal invocation');
			return s.x[M_DATA];
		}
		get origin() { return msg(this)[M_ORIGIN]; }
		get lastEventId() { return msg(this)[M_LAST_EVENT_ID]; }
		get source() { return msg(this)[M_SOURCE]; }
		get ports() { return msg(this)[M_PORTS]; }
		initMessageEvent(type, bubbles = false, cancelable = false, data = null, origin = '', lastEventId = '', source = null, ports = []) {
			need(arguments.length, 1, 'initMessageEvent');
			const s = msg(this);
			const what = "Failed to execute 'initMessageEvent'";
			const src = toSource(source, what);
			const list = toPorts(ports, what);
			if (internal.dispatching(this)) return;
			internal.reinit(this, type, bubbles, cancelable);
			s[M_DATA] = data;
			s[M_ORIGIN] = str(origin);
			s[M_LAST_EVENT_ID] = str(lastEventId);
			s[M_SOURCE] = src;
			s[M_PORTS] = freeze(list);
		}
	}
	enumerable(MessageEvent.prototype);
	tag(MessageEvent, 'MessageEvent');

	class ErrorEvent extends Event {
		constructor(type, init) {
			need(arguments.length, 1, 'ErrorEvent');
			super(type, init);
			const s = { message: '', filename: '', lineno: 0, colno: 0, error: null };
			if (init !== undefined && init !== null) {
				const colno = init.colno;
				if (colno !== undefined) s.colno = colno >>> 0;
				const error = init.error;
				if (error !== undefined) s.error = error;
				const filename = init.filename;
				if (filename !== undefined) s.filename = str(filename);
				const lineno = init.lineno;
				if (lineno !== undefined) s.lineno = lineno >>> 0;
				const message = init.message;
				if (message !== undefined) s.message = str(message);
			}
			const e = peek(this);
			e.k = K_ERROR;
			e.x = s;
		}
		get message() { return err(this).message; }
		get filename() { return err(this).filename; }
		get lineno() { return err(this).lineno; }
		get colno() { return err(this).colno; }
		get error() { return err(this).error; }
	}
	enumerable(ErrorEvent.prototype);
	tag(ErrorEvent, 'ErrorEvent');

	class PromiseRejectionEvent extends Event {
		constructor(type, init) {
			need(arguments.length, 2, 'PromiseRejectionEvent');
			super(type, init);
			if (!isObject(init)) throw new TypeError("Failed to construct 'PromiseRejectionEvent': the init dictionary is required");
			const promise = init.promise;
			if (!isObject(promise)) throw new TypeError("Failed to construct 'PromiseRejectionEvent': required member promise is not an object");
			const e = peek(this);
			e.k = K_REJECTION;
			e.x = { promise, reason: init.reason };
		}
		get promise() { return rej(this).promise; }
		get reason() { return rej(this).reason; }
	}
	enumerable(PromiseRejectionEvent.prototype);
	tag(PromiseRejectionEvent, 'PromiseRejectionEvent');

	internal.isErrorEvent = (e) => {
		const s = peek(e);
		return s !== undefined && s.k === K_ERROR;
	};

	// The user agent's events, made without running the constructors;
	// Go gives each its own isTrusted (agentEvent in dispatch.go), whose
	// value becomes true as Go dispatches it.
	const I = flags.INITIALIZED;
	const noPorts = internal.noPorts;
	internal.messageEvent = (type, data, origin, source, ports, time) =>
		madeByAgent(Object.create(MessageEvent.prototype), state(type, I, K_MESSAGE,
			[data, origin, '', source, ports === undefined ? noPorts : freeze(ports)], time));
	internal.errorEvent = (message, filename, lineno, colno, error) =>
		madeByAgent(Object.create(ErrorEvent.prototype), state('error', I | flags.CANCELABLE, K_ERROR,
			{ message, filename, lineno, colno, error }));
	// unhandledrejection is cancelable, rejectionhandled is not.
	internal.rejectionEvent = (promise, reason, handled) =>
		madeByAgent(Object.create(PromiseRejectionEvent.prototype), state(handled ? 'rejectionhandled' : 'unhandledrejection',
			handled ? I : I | flags.CANCELABLE, K_REJECTION, { promise, reason }));
	internal.plainEvent = (type) => madeByAgent(Object.create(internal.Event.prototype), state(type, I, 0, null));

	internal.messageProto = MessageEvent.prototype;

	expose('MessageEvent', MessageEvent);
	expose('ErrorEvent', ErrorEvent);
	expose('PromiseRejectionEvent', PromiseRejectionEvent);
})
