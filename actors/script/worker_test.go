package script

import (
	"testing"
	"testing/fstest"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
)

// workerFS holds the scripts the Worker tests load.
var workerFS = fstest.MapFS{
	"w/echo.js": {Data: []byte(`
		onmessage = (e) => {
			if (e.ports.length) { e.ports[0].postMessage("on the port: " + e.data); return; }
			postMessage({doubled: e.data * 2, name: self.name, href: location.href});
		};
	`)},
	"w/throws.js": {Data: []byte(`onmessage = (e) => { throw new Error("bad " + e.data); };`)},
	"w/imports.js": {Data: []byte(`
		importScripts("lib/a.js", "/w/lib/b.js");
		postMessage(a() + b());
		try { importScripts("lib/missing.js"); } catch (e) { postMessage(e.name); }
		try { importScripts("lib/broken.js"); } catch (e) { postMessage(e.name + " " + (e instanceof SyntaxError)); }
		try { importScripts("lib/throws.js", "lib/c.js"); } catch (e) { postMessage(e.message + " " + typeof c); }
		try { importScripts("https://other.example/x.js"); } catch (e) { postMessage(e.name); }
		try { importScripts("http://[::1"); } catch (e) { postMessage(e.name); }
	`)},
	"w/broken.js":      {Data: []byte(`onmessage = (`)},
	"w/lib/a.js":       {Data: []byte(`function a() { return "a"; }`)},
	"w/lib/b.js":       {Data: []byte(`function b() { return "b"; }`)},
	"w/lib/c.js":       {Data: []byte(`function c() {}`)},
	"w/lib/broken.js":  {Data: []byte(`function (`)},
	"w/lib/throws.js":  {Data: []byte(`throw new Error("from throws.js");`)},
	"w/counter.js":     {Data: []byte(`let n = 0; onmessage = () => postMessage(++n);`)},
	"w/nested.js":      {Data: []byte(`const inner = new Worker("echo.js"); inner.onmessage = (e) => postMessage("inner said " + e.data.doubled); inner.postMessage(21);`)},
	"w/lateerror.js":   {Data: []byte(`setTimeout(() => { throw new TypeError("late"); }, 0);`)},
	"w/selfcancels.js": {Data: []byte(`onerror = () => true; setTimeout(() => { throw new Error("hidden"); }, 0);`)},
}

func TestScriptWorker(t *testing.T) {
	cases := []struct {
		name string
		page string
		want []string
	}{
		{
			name: "a worker answers, with its name and location",
			page: `const w = new Worker("w/echo.js", {name: "echo"});
				w.onmessage = (e) => console.log(e.data.doubled, e.data.name, e.data.href, e.source, e.origin === "", e.target === w);
				w.postMessage(21);`,
			want: []string{"42 echo https://test.example/w/echo.js null true true"},
		},
		{
			name: "the Worker's onmessage, then a listener beside it",
			page: `const w = new Worker("w/echo.js");
				w.onmessage = (e) => {
					console.log("h", e.data.doubled);
					if (e.data.doubled === 2) { w.addEventListener("message", (e) => console.log("l", e.data.doubled)); w.postMessage(2); }
				};
				w.postMessage(1);`,
			want: []string{"h 2", "h 4", "l 4"},
		},
		{
			name: "a port transferred to the worker",
			page: `const w = new Worker("w/echo.js");
				const ch = new MessageChannel();
				ch.port1.onmessage = (e) => console.log(e.data);
				w.postMessage("hi", [ch.port2]);`,
			want: []string{"on the port: hi"},
		},
		{
			name: "the worker's uncaught error: an ErrorEvent at the Worker, then at the page's global",
			page: `const w = new Worker("w/throws.js");
				w.onerror = (e) => console.log("worker object:", e instanceof ErrorEvent, e.message, e.filename, e.lineno > 0, e.error);
				addEventListener("error", (e) => console.log("page:", e.message));
				w.postMessage(1);`,
			want: []string{
				"ERROR Uncaught Error: bad 1 (https://test.example/w/throws.js:1:28)",
				"worker object: true Uncaught Error: bad 1 https://test.example/w/throws.js true null",
				"page: Uncaught Error: bad 1",
				"ERROR Uncaught Error: bad 1 (https://test.example/w/throws.js:1:28)",
			},
		},
		{
			name: "an error canceled at the Worker object goes no further",
			page: `const w = new Worker("w/lateerror.js");
				w.addEventListener("error", (e) => { e.preventDefault(); console.log("canceled", e.message); });
				addEventListener("error", (e) => console.log("page: wrong"));`,
			want: []string{"ERROR Uncaught TypeError: late (https://test.example/w/lateerror.js:1:26)", "canceled Uncaught TypeError: late"},
		},
		{
			name: "an error the worker cancels itself never reaches the Worker object",
			page: `const w = new Worker("w/selfcancels.js");
				w.onerror = () => console.log("wrong");`,
			want: nil,
		},
		{
			name: "a script that cannot be fetched: a plain error event, no worker",
			page: `const w = new Worker("w/missing.js");
				w.onerror = (e) => console.log("error", e.constructor.name, e.isTrusted, e.cancelable);
				w.postMessage("dropped");`,
			want: []string{"script: new Worker(https://test.example/w/missing.js): open w/missing.js: file does not exist", "error Event true false"},
		},
		{
			name: "a script that does not parse: a plain error event, no worker, nothing at the global",
			page: `const w = new Worker("w/broken.js");
				addEventListener("error", () => console.log("wrong"));
				w.onerror = (e) => console.log("error", e.constructor.name);`,
			want: []string{"script: new Worker(https://test.example/w/broken.js): SyntaxError: https://test.example/w/broken.js: Line 1:14 Unexpected end of input (and 1 more errors)", "error Event"},
		},
		{
			name: "what new Worker throws",
			page: `for (const [url, opts] of [["https://other.example/w.js"], ["http://[::1"], ["w/echo.js", {type: "module"}], ["w/echo.js", {type: "classic "}], ["w/echo.js", {credentials: "all"}], ["w/echo.js", 5]]) {
					try { new Worker(url, opts); console.log("no throw"); } catch (e) { console.log(e.name); }
				}
				try { new Worker(); } catch (e) { console.log(e.name); }
				try { Worker.prototype.postMessage.call({}, 1); } catch (e) { console.log(e.name); }
				try { Worker.prototype.terminate.call(new MessageChannel().port1); } catch (e) { console.log(e.name); }`,
			want: []string{"SecurityError", "SyntaxError", "NotSupportedError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError"},
		},
		{
			name: "importScripts: in order, and its errors",
			page: `const w = new Worker("w/imports.js");
				w.onmessage = (e) => console.log(e.data);`,
			want: []string{"ab", "NetworkError", "SyntaxError true", "from throws.js undefined", "NetworkError", "SyntaxError"},
		},
		{
			name: "a worker starts a worker of its own",
			page: `const w = new Worker("w/nested.js");
				w.onmessage = (e) => console.log(e.data);`,
			want: []string{"inner said 42"},
		},
		{
			name: "a page has no importScripts",
			page: `console.log(typeof importScripts, typeof Worker, String(Worker.prototype), Worker.length, Worker.prototype.postMessage.length)`,
			want: []string{"undefined function [object Worker] 1 1"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, WithFS(workerFS))
			e.window(c.page)
			e.quiet()
			if len(c.want) > 0 {
				e.expect(c.want...)
			}
			e.noMore()
		})
	}
}

// After terminate, the worker answers nothing more, and posting to it is
// no error.
func TestScriptWorkerTerminate(t *testing.T) {
	e := newEnv(t, WithFS(workerFS))
	pid := e.window(`
		globalThis.w = new Worker("w/counter.js");
		w.onmessage = (e) => console.log("count", e.data);
		w.postMessage(0);
	`)
	e.expect("count 1")
	_, err := e.eval(pid, `w.terminate(); w.postMessage(0); w.terminate(); "ok"`)
	if err != nil {
		t.Fatal(err)
	}
	e.noMore()
}

// A Worker whose worker is gone (terminated, or closed itself) leaves the
// realm's table; the object stays usable and silent.
func TestScriptWorkerEntriesGo(t *testing.T) {
	e := newEnv(t, WithFS(fstest.MapFS{
		"closes.js": {Data: []byte(`postMessage("bye"); close();`)},
		"stays.js":  {Data: []byte(`onmessage = () => postMessage("still here");`)},
	}))
	pid := e.window(`
		globalThis.kept = [];
		let bye = 0;
		for (let i = 0; i < 10; i++) {
			const w = new Worker("closes.js");
			w.onmessage = () => { if (++bye === 10) console.log("all said bye"); };
			kept.push(w);
		}
		for (let i = 0; i < 10; i++) { const w = new Worker("stays.js"); w.terminate(); kept.push(w); }
		globalThis.live = new Worker("stays.js");
		live.onmessage = (e) => console.log(e.data);
		new Worker("missing.js");
	`)
	e.expect("script: new Worker(https://test.example/missing.js): open missing.js: file does not exist", "all said bye")
	e.quiet()
	_, err := e.eval(pid, `kept.forEach((w) => { w.postMessage(1); w.terminate(); }); live.postMessage(1); "ok"`)
	if err != nil {
		t.Fatal(err)
	}
	e.expect("still here")
	e.quiet()
	e.run(pid, func(ctx actor.Context) error {
		r := realmOf(ctx)
		assert.Len(t, r.workers, 1, "only the live worker keeps its entry")
		return nil
	})
	e.noMore()
}
