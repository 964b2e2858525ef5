// The global object: its interface (Window, DedicatedWorkerGlobalScope or
// SharedWorkerGlobalScope) on its prototype chain, self and its window
// names, location and origin, the event handlers of the global,
// postMessage and close, timers, queueMicrotask, reportError and console.
(function (host, internal) {
	'use strict';
	const { EventTarget, need, isObject, enumerable, tag, expose, transferArg } = internal;
	const str = internal.toStr;
	const global = globalThis;
	const kind = host.kind;
	const browsing = kind === 'window' || kind === 'iframe';
	const illegal = () => { throw new TypeError('Illegal constructor'); };
	const define = (name, get) => Object.defineProperty(global, name, { get, enumerable: true, configurable: true });

	// Other windows: a proxy that can be posted to (event.source, parent,
	// top). Its key names the browsing context for Go.
	const proxies = internal.privateMap(); // proxy -> key
	const proxyProto = {
		postMessage(message, targetOrigin, transfer) {
			const key = proxies.get(this);
			if (key === undefined) throw new TypeError('Illegal invocation');
			windowPost(key, arguments.length, message, targetOrigin, transfer);
		},
	};
	Object.defineProperty(proxyProto, Symbol.toStringTag, { value: 'Window', configurable: true });
	internal.windowProxy = (key) => {
		const p = Object.create(proxyProto);
		proxies.set(p, key);
		return p;
	};
	internal.isWindow = (v) => (browsing && v === global) || proxies.has(v);

	// windowPost is window.postMessage with its two overloads:
	// (message, targetOrigin, transfer) and (message, options).
	const windowPost = (key, n, message, a, b) => {
		need(n, 1, 'postMessage');
		const what = "Failed to execute 'postMessage' on 'Window'";
		let target = '/';
		let transfer = [];
		if (n >= 3 || (n === 2 && !isObject(a) && a !== undefined && a !== null)) {
			target = str(a);
			if (b !== undefined) transfer = internal.sequence(b, what);
		} else if (isObject(a)) {
			const t = a.transfer;
			if (t !== undefined) transfer = internal.sequence(t, what);
			const o = a.targetOrigin;
			if (o !== undefined) target = str(o);
		}
		host.windowPost(key, message, target, transfer);
	};

	let proto;
	const members = {}; // the operations of the global's interfaces
	const handlers = []; // the event handlers of the global's interfaces
	if (browsing) {
		class Window extends EventTarget {
			constructor() { illegal(); super(); }
		}
		members.postMessage = function postMessage(message, targetOrigin, transfer) {
			windowPost(null, arguments.length, message, targetOrigin, transfer);
		};
		members.close = function close() { host.close(); };
		tag(Window, 'Window');
		expose('Window', Window);
		proto = Window.prototype;
	} else {
		class WorkerGlobalScope extends EventTarget {
			constructor() { illegal(); super(); }
		}
		members.close = function close() { host.close(); };
		members.importScripts = function importScripts(...urls) { host.importScripts(urls.map(str)); };
		tag(WorkerGlobalScope, 'WorkerGlobalScope');
		expose('WorkerGlobalScope', WorkerGlobalScope);
		if (kind === 'shared-worker') {
			class SharedWorkerGlobalScope extends WorkerGlobalScope {
				constructor() { illegal(); super(); }
			}
			handlers.push('connect');
			tag(SharedWorkerGlobalScope, 'SharedWorkerGlobalScope');
			expose('SharedWorkerGlobalScope', SharedWorkerGlobalScope);
			proto = SharedWorkerGlobalScope.prototype;
		} else {
			class DedicatedWorkerGlobalScope extends WorkerGlobalScope {
				constructor() { illegal(); super(); }
			}
			members.postMessage = function postMessage(message, transfer) {
				if (message === undefined && arguments.length < 1) need(0, 1, 'postMessage');
				host.workerPost(message, transferArg(transfer, "Failed to execute 'postMessage' on 'DedicatedWorkerGlobalScope'"));
			};
			handlers.push('message', 'messageerror');
			tag(DedicatedWorkerGlobalScope, 'DedicatedWorkerGlobalScope');
			expose('DedicatedWorkerGlobalScope', DedicatedWorkerGlobalScope);
			proto = DedicatedWorkerGlobalScope.prototype;
		}
	}
	if (browsing) handlers.push('message', 'messageerror');
	handlers.push('error', 'unhandledrejection', 'rejectionhandled');
	// The global's interface is [Global]: its members are properties of the
	// global object itself, not of the interface's prototype (which also
	// lets a strict script assign onmessage = ... to the global).
	Object.setPrototypeOf(global, proto);
	internal.initTarget(global);
	for (const name of Object.keys(members)) {
		Object.defineProperty(global, name, { value: members[name], writable: true, enumerable: true, configurable: true });
	}
	for (const type of handlers) internal.handler(global, type);

	// self and the window names.
	define('self', () => global);
	if (browsing) {
		define('window', () => global);
		define('frames', () => global);
		const parentKey = host.parentKey;
		const topKey = host.topKey;
		define('parent', () => parentKey === null ? global : host.proxy(parentKey));
		define('top', () => topKey === null ? global : host.proxy(topKey));
	} else {
		const name = host.name;
		define('name', () => name);
	}

	// location and origin.
	const parts = host.location;
	const loc = {};
	for (const key of ['href', 'origin', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash']) {
		Object.defineProperty(loc, key, { get() { return parts[key]; }, enumerable: true });
	}
	loc.toString = function toString() { return parts.href; };
	Object.defineProperty(loc, Symbol.toStringTag, { value: browsing ? 'Location' : 'WorkerLocation' });
	Object.freeze(loc);
	define('location', () => loc);
	define('origin', () => host.origin);

	// Timers: the handler must be a function (a string of code is not
	// run: TypeError).
	const delay = (t) => {
		t = Number(t);
		if (!(t > 0)) return 0;
		return Math.min(Math.trunc(t), 2147483647);
	};
	const timer = (repeat) => function (handler, timeout = 0, ...args) {
		need(arguments.length, 1, repeat ? 'setInterval' : 'setTimeout');
		if (typeof handler !== 'function') {
			throw new TypeError('a string handler is not supported: pass a function');
		}
		return host.setTimer(handler, delay(timeout), args, repeat);
	};
	const clear = function (id = 0) { host.clearTimer(Number(id) || 0); };
	expose('setTimeout', timer(false));
	expose('setInterval', timer(true));
	expose('clearTimeout', clear);
	expose('clearInterval', clear);

	// queueMicrotask: a job of the realm's own promise intrinsics, whose
	// exception is reported, not turned into a rejection.
	const resolved = Promise.resolve();
	const then = Promise.prototype.then;
	expose('queueMicrotask', function queueMicrotask(callback) {
		need(arguments.length, 1, 'queueMicrotask');
		if (typeof callback !== 'function') throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
		then.call(resolved, () => {
			try {
				callback();
			} catch (e) {
				internal.report(e);
			}
		});
	});

	internal.report = (e) => host.report(e);
	expose('reportError', function reportError(e) {
		need(arguments.length, 1, 'reportError');
		internal.report(e);
	});

	// describe is the message of an error report for a thrown value.
	internal.describe = (e) => {
		try {
			if (isObject(e)) {
				if (e instanceof Error || internal.DOMException.prototype.isPrototypeOf(e)) {
					const name = e.name;
					const message = e.message;
					return message === '' || message === undefined ? String(name) : `${name}: ${message}`;
				}
				return String(e);
			}
			return typeof e === 'symbol' ? e.toString() : String(e);
		} catch (err) {
			return Object.prototype.toString.call(e);
		}
	};

	// console: each call is one line through the console sink.
	const format = (v) => {
		if (typeof v === 'string') return v;
		try {
			if (isObject(v) && typeof v !== 'function') {
				if (v instanceof Error) return typeof v.stack === 'string' && v.stack !== '' ? v.stack : String(v);
				const j = JSON.stringify(v);
				if (j !== undefined) return j;
			}
			return typeof v === 'symbol' ? v.toString() : String(v);
		} catch (e) {
			return Object.prototype.toString.call(v);
		}
	};
	const line = (args) => Array.prototype.map.call(args, format).join(' ');
	const console = {};
	for (const [name, level] of [['log', 'info'], ['info', 'info'], ['debug', 'debug'], ['trace', 'debug'], ['warn', 'warn'], ['error', 'error']]) {
		console[name] = function () { host.console(level, line(arguments)); };
	}
	console.assert = function (cond, ...rest) {
		if (!cond) host.console('error', line(['Assertion failed' + (rest.length ? ':' : ''), ...rest]));
	};
	Object.defineProperty(console, Symbol.toStringTag, { value: 'console', configurable: true });
	expose('console', console);
})
