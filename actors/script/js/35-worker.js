// Worker: a dedicated worker that a script starts with new Worker(url,
// options). Its script is read from the host's file system (WithFS) at the
// URL's path; the worker is the actors package's dedicated worker, a child
// of this context, and worker.go keeps the Go handle of each object.
(function (host, internal) {
	'use strict';
	const { EventTarget, need, isObject, enumerable, tag, expose, transferArg } = internal;
	const str = internal.toStr;
	const brand = internal.weakSet(); // every Worker object of this realm
	const worker = (self) => {
		if (!brand.has(self)) throw new TypeError('Illegal invocation');
		return self;
	};
	const what = "Failed to construct 'Worker'";
	// enumValue converts a WebIDL enum member of WorkerOptions.
	const enumValue = (v, allowed, name) => {
		const s = str(v);
		if (!allowed.includes(s)) throw new TypeError(`${what}: The provided value '${s}' is not a valid enum value of type ${name}.`);
		return s;
	};

	class Worker extends EventTarget {
		constructor(scriptURL, options = undefined) {
			need(arguments.length, 1, 'Worker');
			const url = str(scriptURL);
			let name = '';
			let type = 'classic';
			if (options !== undefined && options !== null) {
				if (!isObject(options)) throw new TypeError(`${what}: The provided value is not of type 'WorkerOptions'.`);
				// A dictionary's members are read in lexicographic order.
				const credentials = options.credentials;
				if (credentials !== undefined) enumValue(credentials, ['omit', 'same-origin', 'include'], 'RequestCredentials');
				const n = options.name;
				if (n !== undefined) name = str(n);
				const t = options.type;
				if (t !== undefined) type = enumValue(t, ['classic', 'module'], 'WorkerType');
			}
			super();
			brand.add(this);
			host.newWorker(this, url, name, type);
		}
		postMessage(message, transfer = undefined) {
			worker(this);
			need(arguments.length, 1, 'postMessage');
			host.workerObjectPost(this, message, transferArg(transfer, "Failed to execute 'postMessage' on 'Worker'"));
		}
		terminate() { host.workerTerminate(worker(this)); }
	}
	internal.handler(Worker.prototype, 'message');
	internal.handler(Worker.prototype, 'messageerror');
	internal.handler(Worker.prototype, 'error');
	enumerable(Worker.prototype);
	tag(Worker, 'Worker');
	expose('Worker', Worker);
})
