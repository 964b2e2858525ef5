// A small harness for the realm's own tests written in JavaScript: each
// test is a function (async functions too) run in order; the results go
// to the console, one line each, then "done".
'use strict';
const tests = [];
function test(name, fn) { tests.push({ name, fn }); }
function assertEq(got, want, what) {
	if (!Object.is(got, want)) throw new Error(`${what || 'value'}: got ${String(got)}, want ${String(want)}`);
}
function nextEvent(target, type) {
	return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}
function tick(ms = 0) { return new Promise((resolve) => setTimeout(resolve, ms)); }
async function runTests() {
	for (const t of tests) {
		try {
			await t.fn();
			console.log('pass ' + t.name);
		} catch (e) {
			console.log('FAIL ' + t.name + ': ' + (e && e.message));
		}
	}
	console.log('done');
}
