// The legacy accessor methods of Object.prototype (ECMAScript Annex B,
// which browsers all have and goja lacks): __defineGetter__,
// __defineSetter__, __lookupGetter__ and __lookupSetter__.
(function (host, internal) {
	'use strict';
	const toObject = (v) => {
		if (v === null || v === undefined) throw new TypeError('Cannot convert undefined or null to object');
		return Object(v);
	};
	const define = (name, fn) => Object.defineProperty(Object.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
	const definer = (kind) => function (key, fn) {
		const o = toObject(this);
		if (typeof fn !== 'function') throw new TypeError(`Object.prototype.__define${kind === 'get' ? 'Getter' : 'Setter'}__: expecting a function`);
		Object.defineProperty(o, key, { [kind]: fn, enumerable: true, configurable: true });
	};
	const lookup = (kind) => function (key) {
		let o = toObject(this);
		const k = typeof key === 'symbol' ? key : String(key);
		while (o !== null) {
			const d = Object.getOwnPropertyDescriptor(o, k);
			if (d !== undefined) return d[kind];
			o = Object.getPrototypeOf(o);
		}
		return undefined;
	};
	if (!('__defineGetter__' in Object.prototype)) {
		define('__defineGetter__', { __defineGetter__: definer('get') }.__defineGetter__);
		define('__defineSetter__', { __defineSetter__: definer('set') }.__defineSetter__);
		define('__lookupGetter__', { __lookupGetter__: lookup('get') }.__lookupGetter__);
		define('__lookupSetter__', { __lookupSetter__: lookup('set') }.__lookupSetter__);
	}
})
