// MessageChannel, MessagePort and structuredClone. The ports themselves
// are Go's (package ports): each MessagePort object stands for one Go
// handle, which ports.go keeps; the natives check the brand.
(function (host, internal) {
	'use strict';
	const { EventTarget, need, isObject, enumerable, tag, expose } = internal;
	const token = {};
	const brand = internal.weakSet(); // every MessagePort object of this realm
	const channels = internal.weakMap();
	const port = (self) => {
		if (!brand.has(self)) throw new TypeError('Illegal invocation');
		return self;
	};

	// sequence converts a WebIDL sequence<object> (a transfer list).
	const sequence = (v, what) => {
		if (!isObject(v) || typeof v[Symbol.iterator] !== 'function') {
			throw new TypeError(`${what}: the transfer list is not a sequence`);
		}
		const out = [];
		for (const x of v) {
			if (!isObject(x)) throw new TypeError(`${what}: the transfer list holds a value that is not an object`);
			out.push(x);
		}
		return out;
	};
	// options converts a StructuredSerializeOptions dictionary.
	const options = (v, what) => {
		if (v === undefined || v === null) return [];
		if (!isObject(v)) throw new TypeError(`${what}: the options are not an object`);
		const t = v.transfer;
		return t === undefined ? [] : sequence(t, what);
	};
	// transferArg reads postMessage's second argument: a transfer list
	// (postMessage(message, transfer)) or options (postMessage(message,
	// {transfer})).
	internal.transferArg = (v, what) => {
		if (v === undefined) return undefined;
		if (isObject(v) && typeof v[Symbol.iterator] === 'function') return sequence(v, what);
		return options(v, what);
	};
	internal.sequence = sequence;

	class MessagePort extends EventTarget {
		constructor(t) {
			if (t !== token) throw new TypeError('Illegal constructor');
			super();
			brand.add(this);
		}
		start() { host.portStart(port(this)); }
		close() { host.portClose(port(this)); }
	}
	// postMessage(message, transfer) is a native (Go's methodPortPost),
	// first among the methods as it was written.
	{
		const methods = Object.getOwnPropertyNames(MessagePort.prototype).filter((k) => k !== 'constructor');
		const saved = methods.map((k) => [k, Object.getOwnPropertyDescriptor(MessagePort.prototype, k)]);
		for (const k of methods) delete MessagePort.prototype[k];
		Object.defineProperty(MessagePort.prototype, 'postMessage', { value: internal.portPostMethod, writable: true, configurable: true });
		for (const [k, d] of saved) Object.defineProperty(MessagePort.prototype, k, d);
	}
	internal.handler(MessagePort.prototype, 'message', (port, v) => { if (v !== null) host.portStart(port); });
	internal.handler(MessagePort.prototype, 'messageerror');
	// onclose exists only where close events are fired (the ports
	// plugin's close-event mode is not "none").
	if (host.closeEvents) internal.handler(MessagePort.prototype, 'close');
	enumerable(MessagePort.prototype);
	tag(MessagePort, 'MessagePort');
	internal.makePort = () => new MessagePort(token);
	internal.isPort = (v) => brand.has(v);

	const chan = (self) => {
		const c = channels.get(self);
		if (c === undefined) throw new TypeError('Illegal invocation');
		return c;
	};
	class MessageChannel {
		constructor() {
			const ps = host.newChannel();
			channels.set(this, { port1: ps[0], port2: ps[1] });
		}
		get port1() { return chan(this).port1; }
		get port2() { return chan(this).port2; }
	}
	enumerable(MessageChannel.prototype);
	tag(MessageChannel, 'MessageChannel');

	function structuredClone(value, opts) {
		need(arguments.length, 1, 'structuredClone');
		return host.structuredClone(value, options(opts, "Failed to execute 'structuredClone'"));
	}

	expose('MessagePort', MessagePort);
	expose('MessageChannel', MessageChannel);
	expose('structuredClone', structuredClone);
})
