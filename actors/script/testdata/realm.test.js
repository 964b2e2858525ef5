// The realm's own tests in JavaScript (run by TestJavaScriptSuite).
'use strict';

test('a message event has the standard fields', async () => {
	const ch = new MessageChannel();
	ch.port2.start();
	ch.port1.postMessage({ a: [1, 2] });
	const ev = await nextEvent(ch.port2, 'message');
	assertEq(ev.type, 'message');
	assertEq(ev.isTrusted, true);
	assertEq(ev.data.a[1], 2);
	assertEq(ev.origin, '');
	assertEq(ev.lastEventId, '');
	assertEq(ev.source, null);
	assertEq(ev.target, ch.port2);
	assertEq(ev.bubbles, false);
	assertEq(ev.cancelable, false);
	assertEq(Object.isFrozen(ev.ports), true);
});

test('a port transferred over a channel keeps working', async () => {
	const a = new MessageChannel();
	const b = new MessageChannel();
	a.port2.start();
	a.port1.postMessage('carrier', [b.port2]);
	const ev = await nextEvent(a.port2, 'message');
	assertEq(ev.ports.length, 1);
	const moved = ev.ports[0];
	moved.start();
	b.port1.postMessage('through');
	const got = await nextEvent(moved, 'message');
	assertEq(got.data, 'through');
	let threw = null;
	try { a.port1.postMessage(1, [b.port2]); } catch (e) { threw = e.name; }
	assertEq(threw, 'DataCloneError', 'posting a detached port');
});

test('messages wait for start and keep their order', async () => {
	const ch = new MessageChannel();
	for (let i = 0; i < 5; i++) ch.port1.postMessage(i);
	await tick(5);
	const seen = [];
	ch.port2.onmessage = (ev) => seen.push(ev.data);
	await tick(5);
	assertEq(seen.join(), '0,1,2,3,4');
});

test('closing a port fires close at its peer', async () => {
	const ch = new MessageChannel();
	const closed = nextEvent(ch.port2, 'close');
	ch.port2.start();
	ch.port1.close();
	const ev = await closed;
	assertEq(ev.type, 'close');
	assertEq(ev.isTrusted, true);
});

test('timers run in the order of their due times', async () => {
	// b is due 50 ms after it is set, a at once: a goes first unless more
	// than 50 ms pass between the two calls (with 2 ms, a loaded machine
	// under -race once ran b first, rightly by its due time).
	const order = [];
	setTimeout(() => order.push('b'), 50);
	setTimeout(() => order.push('a'), 0);
	setTimeout(() => order.push('c'), 50);
	await tick(100);
	assertEq(order.join(''), 'abc');
});

test('structuredClone copies and transfers', () => {
	const v = { list: [1, 'two', null], nested: { ok: true } };
	const c = structuredClone(v);
	assertEq(c === v, false);
	assertEq(JSON.stringify(c), JSON.stringify(v));
	const ch = new MessageChannel();
	assertEq(structuredClone(1, { transfer: [ch.port1] }), 1);
	let threw = null;
	try { structuredClone(1, { transfer: [ch.port1] }); } catch (e) { threw = e.name; }
	assertEq(threw, 'DataCloneError', 'transferring it again');
});

test('reportError fires error at the global', async () => {
	const seen = nextEvent(self, 'error');
	const handler = (ev) => ev.preventDefault();
	addEventListener('error', handler);
	reportError(new TypeError('reported'));
	const ev = await seen;
	removeEventListener('error', handler);
	assertEq(ev.error instanceof TypeError, true);
	assertEq(ev.defaultPrevented, true);
});

test('DOMException is an Error with a name and a code', () => {
	const e = new DOMException('nope', 'InvalidStateError');
	assertEq(e instanceof Error, true);
	assertEq(e.code, DOMException.INVALID_STATE_ERR);
	assertEq(String(e), 'InvalidStateError: nope');
});


test('a Response reads its body once, from a string, a buffer or a Blob', async () => {
	assertEq(await new Response('héllo').text(), 'héllo');
	assertEq(new Uint8Array(await new Response(new Uint8Array([1, 2, 3]).buffer).arrayBuffer())[2], 3);
	const blob = await new Response(new Blob(['ab'], { type: 'text/x' })).blob();
	assertEq(blob.size, 2);
	assertEq(blob.type, 'text/x');
	assertEq((await new Response().arrayBuffer()).byteLength, 0);
	const r = new Response('once');
	assertEq(r.bodyUsed, false);
	await r.text();
	assertEq(r.bodyUsed, true);
	let err;
	try { await r.text(); } catch (e) { err = e; }
	assertEq(err instanceof TypeError, true, 'a second read');
	assertEq([r.status, r.ok, r.type].join(), '200,true,default');
});

test('a Response is a platform object that cannot be cloned', () => {
	let name;
	try { structuredClone(new Response()); } catch (e) { name = e.name; }
	assertEq(name, 'DataCloneError');
	assertEq(Object.prototype.toString.call(new Response()), '[object Response]');
});

runTests();
