package script

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blobChecks run in a test realm; each expression must be true. Promises
// are settled by the time the realm's RunString returns.
var blobChecks = []struct{ name, setup, check string }{
	{"constructor", `var b = new Blob(['ab', new Uint8Array([99]), new Blob(['d']), new ArrayBuffer(1), new DataView(new ArrayBuffer(2), 1)]);`,
		`b.size === 6 && b.type === '' && Blob.length === 0 && File.length === 2`},
	{"empty", `var b = new Blob();`, `b.size === 0 && new Blob([]).size === 0`},
	{"type", `var b = new Blob([], {type: 'Text/HTML'}), c = new Blob([], {type: 'a\u00e9'});`, `b.type === 'text/html' && c.type === ''`},
	{"lone surrogate as U+FFFD", `var b = new Blob(['\uD800']); var t; b.arrayBuffer().then(x => t = [...new Uint8Array(x)].join());`,
		`b.size === 3 && t === '239,191,189'`},
	{"endings", `var n = new Blob(['a\r\nb\rc'], {endings: 'native'}), tr = new Blob(['a\r\n']);`, `n.size === 5 && tr.size === 3`},
	{"bad endings", `var err; try { new Blob([], {endings: 'x'}); } catch (e) { err = e; }`, `err instanceof TypeError`},
	{"not a sequence", `var err; try { new Blob('abc'); } catch (e) { err = e; }`, `err instanceof TypeError`},
	{"copy of the parts", `var u = new Uint8Array([1]); var b = new Blob([u]); u[0] = 9; var got; b.bytes().then(x => got = x[0]);`, `got === 1`},
	{"text", `var s; new Blob(['h\u00e9llo \uD83D\uDE00', new Uint8Array([0xff])]).text().then(x => s = x);`, `s === 'h\u00e9llo \uD83D\uDE00\uFFFD'`},
	{"slice", `var b = new Blob(['0123456789']); var r = [];
		for (const [s, e] of [[2, 5], [-3, undefined], [undefined, -8], [5, 2], [-100, 100], [NaN, 3]]) b.slice(s, e).text().then(x => r.push(x));`,
		`r.join() === '234,789,01,,0123456789,012' && b.slice(0, 1, 'X/Y').type === 'x/y' && b.slice() instanceof Blob && !(new File([], 'f').slice() instanceof File)`},
	{"file", `var f = new File(['x'], 'n\uD800', {lastModified: 12.7}), g = new File([], 'g');`,
		`f instanceof Blob && f.name === 'n\uD800' && f.lastModified === 12 && typeof g.lastModified === 'number' && g.lastModified > 0 && f.webkitRelativePath === ''`},
	{"brand checks", `var err; try { Blob.prototype.size; } catch (e) { err = e; } var err2; try { Object.getOwnPropertyDescriptor(File.prototype, 'name').get.call(new Blob()); } catch (e) { err2 = e; }`,
		`err instanceof TypeError && err2 instanceof TypeError`},
	{"webidl shape", ``, `Object.prototype.toString.call(new Blob()) === '[object Blob]' && Object.prototype.toString.call(new File([], '')) === '[object File]' &&
		!Object.getOwnPropertyDescriptor(globalThis, 'Blob').enumerable && Object.getOwnPropertyDescriptor(globalThis, 'File').writable &&
		Object.getOwnPropertyDescriptor(Blob.prototype, 'slice').enumerable && FileReader.DONE === 2 && new FileReader().LOADING === 1 &&
		Object.getPrototypeOf(File) === Blob && typeof ProgressEvent === 'function'`},
	{"needs new", `var err; try { Blob(); } catch (e) { err = e; }`, `err instanceof TypeError`},
}

func TestBlob(t *testing.T) {
	for _, tc := range blobChecks {
		t.Run(tc.name, func(t *testing.T) {
			r := newCodecRealm(t)
			r.run(tc.setup)
			assert.True(t, r.run(tc.check).ToBoolean(), tc.check)
		})
	}
}

func TestFileReader(t *testing.T) {
	cases := []struct{ name, read, result string }{
		{"text", `r.readAsText(new Blob(['foo', 'bar']))`, `r.result === 'foobar'`},
		{"text utf-16le bom", `r.readAsText(new Blob([new Uint8Array([0xff, 0xfe, 0x41, 0x00])]))`, `r.result === 'A'`},
		{"array buffer", `r.readAsArrayBuffer(new Blob([new Uint8Array([1, 2])]))`, `r.result instanceof ArrayBuffer && new Uint8Array(r.result)[1] === 2`},
		{"data url", `r.readAsDataURL(new Blob(['hello'], {type: 'text/plain'}))`, `r.result === 'data:text/plain;base64,aGVsbG8='`},
		{"data url untyped", `r.readAsDataURL(new Blob(['ab']))`, `r.result === 'data:application/octet-stream;base64,YWI='`},
		{"binary string", `r.readAsBinaryString(new Blob([new Uint8Array([0, 255])]))`, `r.result === '\x00\xff'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := newCodecRealm(t)
			x.run(`var r = new FileReader(), log = [];
				for (const type of ['loadstart', 'progress', 'load', 'loadend', 'error', 'abort'])
					r.addEventListener(type, (e) => log.push(type + ':' + r.readyState + ':' + e.loaded + '/' + e.total));
				r.onload = (e) => log.push('onload:' + (e.target === r));
				` + tc.read + `;
				var sync = log.length + ':' + r.readyState;`)
			assert.Equal(t, "0:1", x.run(`sync`).String(), "nothing fires before the read returns")
			x.drain()
			require.True(t, x.run(tc.result).ToBoolean(), tc.result)
			assert.Regexp(t, `^loadstart:1:0/\d+,progress:1:\d+/\d+,load:2:\d+/\d+,onload:true,loadend:2:\d+/\d+$`, x.run(`log.join()`).String())
		})
	}
}

func TestFileReaderAbortAndBusy(t *testing.T) {
	x := newCodecRealm(t)
	x.run(`var r = new FileReader(), log = [];
		for (const type of ['loadstart', 'progress', 'load', 'loadend', 'abort'])
			r.addEventListener(type, () => log.push(type));
		r.readAsText(new Blob(['x']));
		var busy; try { r.readAsText(new Blob(['y'])); } catch (e) { busy = e.name; }
		r.abort();
		var after = r.readyState + ':' + r.result;`)
	assert.Equal(t, "InvalidStateError", x.run(`busy`).String())
	assert.Equal(t, "2:null", x.run(`after`).String())
	x.drain()
	assert.Equal(t, "abort,loadend", x.run(`log.join()`).String(), "the aborted read's tasks never run")

	x.run(`log = []; r.onloadend = () => { if (log.length < 8) r.readAsText(new Blob(['again'])); }; r.readAsText(new Blob(['one']));`)
	x.drain()
	assert.Contains(t, x.run(`log.join()`).String(), "load,loadend,loadstart", "a read started in loadend runs")
	assert.Equal(t, "again", x.run(`r.result`).String())
}

// The constructors convert their arguments in WebIDL's order: the parts,
// then the name, then the options' members in lexicographic order.
func TestBlobConversionOrder(t *testing.T) {
	r := newCodecRealm(t)
	r.run(`var log = [];
		const part = {toString() { log.push('part'); return 'p'; }};
		const opts = {get endings() { log.push('endings'); }, get type() { log.push('type'); return ''; },
			get lastModified() { log.push('lastModified'); return 5; }};
		new Blob([part], opts);
		log.push('|');
		var f = new File([part], {toString() { log.push('name'); return 'n'; }}, opts);`)
	assert.Equal(t, "part,endings,type,|,part,name,endings,type,lastModified", r.run(`log.join()`).String())
	assert.True(t, r.run(`f.lastModified === 5 && f.name === 'n' && f.size === 1`).ToBoolean())
}

// Before the codec exists (while the realm's own scripts load), Blob tells
// ArrayBuffers from other parts without the codec's check.
func TestBlobBeforeCodec(t *testing.T) {
	r := newCodecRealmWith(t, `var log = [];
		var early = new Blob([new Uint8Array([1, 2]).buffer, {toString() { log.push('s'); return 'ab'; }}]);`)
	assert.True(t, r.run(`early.size === 4 && log.join() === 's'`).ToBoolean())
}
