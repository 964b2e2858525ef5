// The events the web surface fires: MessageEvent (HTML's, with its frozen
// ports array and initMessageEvent), ErrorEvent and PromiseRejectionEvent;
// and the constructors Go uses for the events of the user agent.
(function (host, internal) {
	'use strict';
	const { Event, need, isObject, enumerable, tag, expose } = internal;
	const str = internal.toStr;
	const state = new WeakMap();
	const my = (self) => {
		const s = state.get(self);
		if (s === undefined) throw new TypeError('Illegal invocation');
		return s;
	};
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
			need(arguments.length, 1, 'MessageEvent');
			super(type, init);
			const s = { data: null, origin: '', lastEventId: '', source: null, ports: null };
			let ports = [];
			if (init !== undefined && init !== null) {
				const data = init.data;
				if (data !== undefined) s.data = data;
				const lastEventId = init.lastEventId;
				if (lastEventId !== undefined) s.lastEventId = str(lastEventId);
				const origin = init.origin;
				if (origin !== undefined) s.origin = str(origin);
				ports = toPorts(init.ports, "Failed to construct 'MessageEvent'");
				s.source = toSource(init.source, "Failed to construct 'MessageEvent'");
			}
			s.ports = Object.freeze(ports);
			state.set(this, s);
		}
		get data() { return my(this).data; }
		get origin() { return my(this).origin; }
		get lastEventId() { return my(this).lastEventId; }
		get source() { return my(this).source; }
		get ports() { return my(this).ports; }
		initMessageEvent(type, bubbles = false, cancelable = false, data = null, origin = '', lastEventId = '', source = null, ports = []) {
			need(arguments.length, 1, 'initMessageEvent');
			const s = my(this);
			const what = "Failed to execute 'initMessageEvent'";
			const src = toSource(source, what);
			const list = toPorts(ports, what);
			if (internal.eventState(this).dispatching) return;
			internal.reinit(this, type, bubbles, cancelable);
			s.data = data;
			s.origin = str(origin);
			s.lastEventId = str(lastEventId);
			s.source = src;
			s.ports = Object.freeze(list);
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
			state.set(this, s);
		}
		get message() { return my(this).message; }
		get filename() { return my(this).filename; }
		get lineno() { return my(this).lineno; }
		get colno() { return my(this).colno; }
		get error() { return my(this).error; }
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
			state.set(this, { promise, reason: init.reason });
		}
		get promise() { return my(this).promise; }
		get reason() { return my(this).reason; }
	}
	enumerable(PromiseRejectionEvent.prototype);
	tag(PromiseRejectionEvent, 'PromiseRejectionEvent');

	internal.isErrorEvent = (e) => state.has(e) && e instanceof ErrorEvent;

	// The user agent's events (their isTrusted is set as Go dispatches
	// them).
	internal.messageEvent = (type, data, origin, source, ports) => {
		const e = new MessageEvent(type);
		const s = state.get(e);
		s.data = data;
		s.origin = origin;
		s.source = source;
		s.ports = Object.freeze(ports);
		return e;
	};
	internal.errorEvent = (message, filename, lineno, colno, error) =>
		new ErrorEvent('error', { cancelable: true, message, filename, lineno, colno, error });
	internal.rejectionEvent = (promise, reason) =>
		new PromiseRejectionEvent('unhandledrejection', { cancelable: true, promise, reason });
	internal.plainEvent = (type) => new Event(type);

	expose('MessageEvent', MessageEvent);
	expose('ErrorEvent', ErrorEvent);
	expose('PromiseRejectionEvent', PromiseRejectionEvent);
})
