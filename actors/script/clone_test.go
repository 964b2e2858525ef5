package script

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/messages"
)

// roundTrips: src is evaluated in one realm, cloned into another, and
// check (with the clone as v) must evaluate to true there.
var roundTrips = []struct{ name, src, check string }{
	{"undefined", `undefined`, `v === undefined`},
	{"null", `null`, `v === null`},
	{"booleans", `[true, false]`, `v[0] === true && v[1] === false`},
	{"numbers", `[0.2, 0, -0, NaN, Infinity, -Infinity, 9007199254740994, 1e300]`,
		`v[0] === 0.2 && Object.is(v[1], 0) && Object.is(v[2], -0) && Number.isNaN(v[3]) && v[4] === Infinity && v[5] === -Infinity && v[6] === 9007199254740994 && v[7] === 1e300`},
	{"bigint", `[0n, -0n, -9007199254740994000900719925474099400090071992547409940009007199254740994000n]`,
		`v[0] === 0n && v[1] === 0n && v[2] === -9007199254740994000900719925474099400090071992547409940009007199254740994000n`},
	{"strings", `['', '\uD800', '\uDC00', '\u0000', '\uDBFF\uDFFD', 'é€😀', 'a\uD800b\uDFFFc']`,
		`v[0] === '' && v[1] === '\uD800' && v[2] === '\uDC00' && v[3] === '\u0000' && v[4] === '\uDBFF\uDFFD' && v[5] === 'é€😀' && v[6] === 'a\uD800b\uDFFFc'`},
	{"wrappers", `[new Boolean(false), new Number(-0), new Number(1.5), new Number(7), new String('\uD800x'), Object(-12n)]`,
		`v[0] instanceof Boolean && v[0].valueOf() === false && Object.is(v[1].valueOf(), -0) && v[2].valueOf() === 1.5 && v[3].valueOf() === 7 && v[4] instanceof String && v[4].valueOf() === '\uD800x' && typeof v[5] === 'object' && v[5].valueOf() === -12n`},
	{"dates", `[new Date(0), new Date(-8.64e15), new Date(8.64e15), new Date(NaN), new Date(1234567890123)]`,
		`v.every(d => d instanceof Date) && v[0].getTime() === 0 && v[1].getTime() === -8.64e15 && v[2].getTime() === 8.64e15 && Number.isNaN(v[3].getTime()) && v[4].getTime() === 1234567890123`},
	{"regexps", `(() => { const r = /foo/gimsuy; r.lastIndex = 2; return [r, new RegExp(''), /\n/]; })()`,
		`v[0] instanceof RegExp && v[0].source === 'foo' && v[0].flags === 'gimsuy' && v[0].lastIndex === 0 && v[1].source === '(?:)' && v[2].source === '\\n'`},
	{"regexp slash", `[new RegExp('/'), new RegExp('a\\\\u002f'), new RegExp('[/]\\u002f', 'g')]`,
		`v[0].source === '\\/' && v[1].source === 'a\\\\u002f' && v[2].source === '[\\/]\\/' && v[2].test('//')`},
	{"arraybuffer", `new Uint8Array([1, 2, 3]).buffer`,
		`v instanceof ArrayBuffer && v.byteLength === 3 && new Uint8Array(v)[2] === 3`},
	{"typed arrays", `(() => { const b = new ArrayBuffer(64); new Uint8Array(b).forEach((_, i, a) => a[i] = i);
		return [new Int8Array(b, 1, 3), new Uint8Array(b), new Uint8ClampedArray(b, 2), new Int16Array(b, 2, 4), new Uint16Array(b),
			new Int32Array(b, 4, 2), new Uint32Array(b), new Float32Array(b, 8, 2), new Float64Array(b, 8, 3),
			new BigInt64Array(b, 16, 1), new BigUint64Array(b), new DataView(b, 3, 5)]; })()`,
		`v.slice(1).every(x => x.buffer === v[0].buffer) && v[0] instanceof Int8Array && v[0].byteOffset === 1 && v[0].length === 3 && v[0][2] === 3 &&
		 v[2] instanceof Uint8ClampedArray && v[2].byteOffset === 2 && v[3] instanceof Int16Array && v[3].length === 4 &&
		 v[8] instanceof Float64Array && v[8].length === 3 && v[9] instanceof BigInt64Array && v[10] instanceof BigUint64Array &&
		 v[11] instanceof DataView && v[11].byteOffset === 3 && v[11].byteLength === 5 && v[11].getUint8(0) === 3 && v[0].buffer.byteLength === 64`},
	{"map and set", `(() => { const o = {}; return [new Map([[1, 'a'], [o, o], ['k', NaN]]), new Set([3, 1, o, 2])]; })()`,
		`v[0] instanceof Map && [...v[0].keys()][0] === 1 && v[0].get(1) === 'a' && [...v[0].keys()][1] === [...v[0].values()][1] &&
		 [...v[1]].length === 4 && [...v[1]][0] === 3 && [...v[1]][2] === [...v[0].keys()][1]`},
	{"errors", `[new Error, new RangeError('r', {cause: 'c'}), new TypeError('t'), (() => { const e = new Error('m'); e.name = 'Custom'; e.foo = 1; return e; })(),
		Object.assign(new SyntaxError('s'), {name: 'URIError'}), (() => { const e = new EvalError('x', {cause: null}); e.cause = e; return e; })()]`,
		`v[0] instanceof Error && !v[0].hasOwnProperty('message') && v[0].name === 'Error' &&
		 v[1] instanceof RangeError && v[1].message === 'r' && v[1].cause === 'c' && !Object.getOwnPropertyDescriptor(v[1], 'message').enumerable &&
		 v[2].constructor === TypeError && v[3].name === 'Error' && v[3].message === 'm' && v[3].foo === undefined &&
		 v[4] instanceof URIError && v[5] instanceof EvalError && v[5].cause === v[5]`},
	{"error messages", `[new Error(''), new TypeError(), (() => { const e = new RangeError(); e.message = ''; return e; })(),
		(() => { const e = new Error('x'); Object.defineProperty(e, 'message', {get() { return 'g'; }}); return e; })()]`,
		`Object.getOwnPropertyDescriptor(v[0], 'message').value === '' && !v[1].hasOwnProperty('message') &&
		 Object.getOwnPropertyDescriptor(v[2], 'message').value === '' && !v[3].hasOwnProperty('message') && v[3].message === ''`},
	{"sparse array", `(() => { const a = new Array(10); a[3] = 'x'; a.foo = 'bar'; return a; })()`,
		`Array.isArray(v) && v.length === 10 && !(0 in v) && v[3] === 'x' && v.foo === 'bar' && Object.keys(v).join() === '3,foo'`},
	{"huge sparse array", `(() => { const a = []; a[4294967294] = 1; return a; })()`, `v.length === 4294967295 && v[4294967294] === 1`},
	{"object key order", `({b: 1, 2: 'two', a: 2, 1: 'one', '\uD800k': 3, __proto__: {inherited: 1}})`,
		`Object.keys(v).join() === '1,2,b,a,\uD800k' && v['\uD800k'] === 3 && !('inherited' in v) && Object.getPrototypeOf(v) === Object.prototype`},
	{"__proto__ key", `JSON.parse('{"__proto__": {"x": 1}}')`,
		`Object.getPrototypeOf(v) === Object.prototype && v.hasOwnProperty('__proto__') && v.__proto__.x === 1`},
	{"non-enumerable and attributes", `(() => { const o = {}; Object.defineProperty(o, 'hidden', {value: 1, enumerable: false});
		Object.defineProperty(o, 'ro', {value: 'r', enumerable: true, writable: false, configurable: false}); return o; })()`,
		`!('hidden' in v) && v.ro === 'r' && Object.getOwnPropertyDescriptor(v, 'ro').writable && Object.getOwnPropertyDescriptor(v, 'ro').configurable`},
	{"cycles and shared", `(() => { const o = {}; const a = [o, o]; a.push(a); o.self = o; return {a, o}; })()`,
		`v.a[0] === v.o && v.a[1] === v.o && v.a[2] === v.a && v.o.self === v.o`},
	{"Object.prototype", `Object.prototype`, `typeof v === 'object' && v !== Object.prototype && Object.keys(v).length === 0 && (Object.setPrototypeOf(v, {p: 1}), v.p === 1)`},
	{"Math", `Math`, `Object.keys(v).length === 0 && v !== Math`},
	{"class instance", `new (class P { constructor() { this.x = 1; } get y() { return 2; } })()`,
		`Object.getPrototypeOf(v) === Object.prototype && v.x === 1 && !('y' in v)`},
	{"null prototype", `Object.assign(Object.create(null), {k: 'v'})`, `Object.getPrototypeOf(v) === Object.prototype && v.k === 'v'`},
	{"blob", `new Blob(['foo', new Uint8Array([98, 97, 114])], {type: 'Text/X-Bar'})`,
		`v instanceof Blob && !(v instanceof File) && v.size === 6 && v.type === 'text/x-bar'`},
	{"file", `new File(['foo'], 'bar', {type: 'text/x-bar', lastModified: 42})`,
		`v instanceof File && v.name === 'bar' && v.lastModified === 42 && v.size === 3 && v.type === 'text/x-bar'`},
	{"file subclass", `new (class F extends File {})([], '')`, `Object.getPrototypeOf(v) === File.prototype`},
	{"shared blob", `(() => { const b = new Blob(['x']); return [b, b]; })()`, `v[0] === v[1] && v[0] instanceof Blob`},
}

func TestCloneRoundTrips(t *testing.T) {
	for _, tc := range roundTrips {
		t.Run(tc.name, func(t *testing.T) {
			a, b := newCodecRealm(t), newCodecRealm(t)
			v, err := codecClone(t, a, b, a.run(tc.src))
			require.NoError(t, err)
			require.NoError(t, b.rt.Set("v", v))
			assert.True(t, b.run(tc.check).ToBoolean(), tc.check)
		})
	}
}

// The clone is made from the intrinsics captured before scripts ran.
func TestCloneUsesCapturedIntrinsics(t *testing.T) {
	a, b := newCodecRealm(t), newCodecRealm(t)
	b.run(`var OrigMap = Map, OrigBlob = Blob; Map.prototype.set = function () { throw new Error('replaced set'); };
		globalThis.Map = function () { throw new Error('replaced Map'); }; delete globalThis.Blob;
		Object.defineProperty(Object.prototype, 'x', {set(v) { throw new Error('setter ran'); }, configurable: true});`)
	v, err := codecClone(t, a, b, a.run(`({x: 1, m: new Map([[1, 2]]), b: new Blob(['q'])})`))
	require.NoError(t, err)
	require.NoError(t, b.rt.Set("v", v))
	assert.True(t, b.run(`v.m instanceof OrigMap && v.m.get(1) === 2 && v.b instanceof OrigBlob && Object.getOwnPropertyDescriptor(v, 'x').value === 1`).ToBoolean())
}

// What cannot be cloned fails with a DataCloneError naming the path.
func TestCloneErrors(t *testing.T) {
	cases := []struct{ name, src, path string }{
		{"function", `({a: [1, 2, function () {}]})`, "value.a[2]"},
		{"symbol", `[Symbol('s')]`, "value[0]"},
		{"symbol wrapper", `({s: Object(Symbol())})`, "value.s"},
		{"weakmap", `({'a b': new WeakMap()})`, `value["a b"]`},
		{"weakset", `new Map([[1, new WeakSet()]])`, "value.<value 0>"},
		{"promise", `new Set([Promise.resolve()])`, "value.<item 0>"},
		{"proxy", `({p: new Proxy({}, {})})`, "value.p"},
		{"class", `[class {}]`, "value[0]"},
		{"generator", `[(function* () {})()]`, "value[0]"},
		{"global", `({g: globalThis})`, "value.g"},
		{"arguments", `(function () { return {args: arguments}; })(1)`, "value.args"},
		{"port not in transfer list", `({port: makePort()})`, "value.port"},
		{"detached buffer", `(() => { const b = new ArrayBuffer(1); detach(b); return {b}; })()`, "value.b"},
		{"view of detached buffer", `(() => { const b = new ArrayBuffer(8); const v = new Uint8Array(b); detach(b); return {v}; })()`, "value.v.buffer"},
		{"error cause", `new Error('x', {cause: () => 1})`, "value.cause"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newCodecRealm(t)
			_, err := a.c.serialize(a.run(tc.src), nil)
			require.Error(t, err)
			require.ErrorIs(t, err, messages.ErrDataClone)
			var dce *messages.DataCloneError
			require.True(t, errors.As(err, &dce))
			assert.Equal(t, tc.path, dce.Path, err.Error())
			t.Log(err)
		})
	}
}

// The realm's other platform objects are refused when it defines
// internal.isPlatformObject; a plain object of the same shape is not.
func TestClonePlatformObjects(t *testing.T) {
	a := newCodecRealmWith(t, `class Platform {}; var plat = new Platform();
		internal.isPlatformObject = (o) => o instanceof Platform ? 'Platform' : false;`)
	_, err := a.c.serialize(a.run(`({x: [plat]})`), nil)
	var dce *messages.DataCloneError
	require.True(t, errors.As(err, &dce), "got %v", err)
	assert.Equal(t, "value.x[0]", dce.Path)
	assert.Contains(t, dce.Reason, "a Platform object")
	_, err = a.c.serialize(a.run(`({x: [Object.setPrototypeOf({}, {})]})`), nil)
	require.NoError(t, err)
}
