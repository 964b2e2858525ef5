// DOMException (WebIDL): name, message and code as accessors on the
// prototype, the legacy code constants on the constructor and the
// prototype, and Error.prototype on the prototype chain.
(function (host, internal) {
	'use strict';
	// The surface keeps its private state in weak maps whose methods are
	// taken now, before any script runs: a script that replaces
	// WeakMap.prototype.get later cannot reach the surface's maps.
	const uncurry = Function.prototype.bind.bind(Function.prototype.call);
	const wmGet = uncurry(WeakMap.prototype.get);
	const wmSet = uncurry(WeakMap.prototype.set);
	const wmHas = uncurry(WeakMap.prototype.has);
	const wsHas = uncurry(WeakSet.prototype.has);
	const wsAdd = uncurry(WeakSet.prototype.add);
	const NativeWeakMap = WeakMap;
	const NativeWeakSet = WeakSet;
	const bind = uncurry(Function.prototype.bind);
	const A = Array.prototype;
	internal.arrays = { slice: uncurry(A.slice), push: uncurry(A.push), splice: uncurry(A.splice), indexOf: uncurry(A.indexOf) };
	internal.privateMap = () => {
		const m = new NativeWeakMap();
		return { get: bind(wmGet, null, m), set: bind(wmSet, null, m), has: bind(wmHas, null, m) };
	};
	internal.privateSet = () => {
		const m = new NativeWeakSet();
		return { has: bind(wsHas, null, m), add: bind(wsAdd, null, m) };
	};
	const legacy = [
		['IndexSizeError', 'INDEX_SIZE_ERR', 1],
		[null, 'DOMSTRING_SIZE_ERR', 2],
		['HierarchyRequestError', 'HIERARCHY_REQUEST_ERR', 3],
		['WrongDocumentError', 'WRONG_DOCUMENT_ERR', 4],
		['InvalidCharacterError', 'INVALID_CHARACTER_ERR', 5],
		[null, 'NO_DATA_ALLOWED_ERR', 6],
		['NoModificationAllowedError', 'NO_MODIFICATION_ALLOWED_ERR', 7],
		['NotFoundError', 'NOT_FOUND_ERR', 8],
		['NotSupportedError', 'NOT_SUPPORTED_ERR', 9],
		['InUseAttributeError', 'INUSE_ATTRIBUTE_ERR', 10],
		['InvalidStateError', 'INVALID_STATE_ERR', 11],
		['SyntaxError', 'SYNTAX_ERR', 12],
		['InvalidModificationError', 'INVALID_MODIFICATION_ERR', 13],
		['NamespaceError', 'NAMESPACE_ERR', 14],
		['InvalidAccessError', 'INVALID_ACCESS_ERR', 15],
		[null, 'VALIDATION_ERR', 16],
		['TypeMismatchError', 'TYPE_MISMATCH_ERR', 17],
		['SecurityError', 'SECURITY_ERR', 18],
		['NetworkError', 'NETWORK_ERR', 19],
		['AbortError', 'ABORT_ERR', 20],
		['URLMismatchError', 'URL_MISMATCH_ERR', 21],
		['QuotaExceededError', 'QUOTA_EXCEEDED_ERR', 22],
		['TimeoutError', 'TIMEOUT_ERR', 23],
		['InvalidNodeTypeError', 'INVALID_NODE_TYPE_ERR', 24],
		['DataCloneError', 'DATA_CLONE_ERR', 25],
	];
	const codes = new Map();
	for (const [name, , code] of legacy) {
		if (name !== null) codes.set(name, code);
	}
	const state = internal.privateMap();
	const brand = (self) => {
		const s = state.get(self);
		if (s === undefined) throw new TypeError('Illegal invocation');
		return s;
	};
	const str = internal.toStr = (v) => {
		if (typeof v === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
		return String(v);
	};

	class DOMException {
		constructor(message = '', name = 'Error') {
			state.set(this, { message: str(message), name: str(name) });
		}
		get name() { return brand(this).name; }
		get message() { return brand(this).message; }
		get code() { return codes.get(brand(this).name) || 0; }
	}
	Object.setPrototypeOf(DOMException.prototype, Error.prototype);
	for (const key of ['name', 'message', 'code']) {
		const d = Object.getOwnPropertyDescriptor(DOMException.prototype, key);
		d.enumerable = true;
		Object.defineProperty(DOMException.prototype, key, d);
	}
	for (const [, constant, code] of legacy) {
		const d = { value: code, enumerable: true, writable: false, configurable: false };
		Object.defineProperty(DOMException, constant, d);
		Object.defineProperty(DOMException.prototype, constant, d);
	}
	Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: 'DOMException', configurable: true });
	Object.defineProperty(globalThis, 'DOMException', { value: DOMException, writable: true, configurable: true });

	internal.DOMException = DOMException;
	// domException makes the exception a native throws (Go panics with it).
	internal.domException = (message, name) => {
		const e = new DOMException(message, name);
		// Browsers give DOMExceptions a stack, as errors have.
		Object.defineProperty(e, 'stack', { value: name + ': ' + message, writable: true, configurable: true });
		return e;
	};
})
