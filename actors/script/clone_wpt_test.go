package script

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/require"
)

// TestStructuredCloneBattery runs the web platform tests' structured clone
// battery through this codec alone (serialize, commit, deserialize in one
// realm), when ENTANGLE_WPT names a web-platform-tests tree. It reports
// each subtest; the realm's own runner is the conformance gate, this only
// locates codec failures. Subtests listed in codecBatteryExpected may fail.
func TestStructuredCloneBattery(t *testing.T) {
	root := os.Getenv("ENTANGLE_WPT")
	if root == "" {
		t.Skip("ENTANGLE_WPT does not name a web-platform-tests tree")
	}
	r := newCodecRealmWith(t, "globalThis.self = globalThis;")
	require.NoError(t, r.rt.Set("structuredClone", func(call goja.FunctionCall) goja.Value {
		var transfer []goja.Value
		if opts, ok := call.Argument(1).(*goja.Object); ok {
			if list, ok := opts.Get("transfer").(*goja.Object); ok {
				require.NoError(t, r.rt.ExportTo(list, &transfer))
			}
		}
		s, err := r.c.serialize(call.Argument(0), transfer)
		if err != nil {
			if ex, ok := err.(*goja.Exception); ok {
				panic(ex)
			}
			ctor := r.in.Get("DOMException")
			e, _ := r.rt.New(ctor, r.rt.ToValue(err.Error()), r.rt.ToValue("DataCloneError"))
			panic(e)
		}
		s.commit()
		v, err := r.c.deserialize(s.Record, s.Ports)
		require.NoError(t, err)
		return v
	}))
	r.run(`self.DOMException = internal.DOMException; DOMException.DATA_CLONE_ERR = 25;
		Object.defineProperty(DOMException.prototype, 'code', {get() { return this.name === 'DataCloneError' ? 25 : 0; }});
		globalThis.Response = class { constructor(b) { this.b = b; } arrayBuffer() { return this.b.arrayBuffer(); } };
		globalThis.MessageChannel = class { constructor() { this.port1 = makePort(); this.port2 = makePort(); } };
		var results = []; var done = false;`)
	var src strings.Builder
	for _, f := range []string{"resources/testharness.js", "common/sab.js",
		"html/webappapis/structured-clone/structured-clone-battery-of-tests.js",
		"html/webappapis/structured-clone/structured-clone-battery-of-tests-with-transferables.js",
		"html/webappapis/structured-clone/structured-clone-battery-of-tests-harness.js"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		require.NoError(t, err)
		src.Write(b)
		src.WriteString("\n;\n")
	}
	src.WriteString(`add_result_callback(t => results.push([t.name, t.status, t.message]));
		add_completion_callback(() => { done = true; });
		runStructuredCloneBatteryOfTests({structuredClone: (obj, transfer) => new Promise(resolve => resolve(self.structuredClone(obj, {transfer}))), hasDocument: false});`)
	_, err := r.rt.RunScript("battery", "(function () {"+src.String()+"\n})()")
	require.NoError(t, err)
	r.drain()
	if !r.run(`done`).ToBoolean() {
		r.run(`timeout()`)
		r.drain()
	}
	var results [][]any
	require.NoError(t, r.rt.ExportTo(r.run(`results`), &results))
	for _, res := range results {
		name, status := res[0].(string), res[1].(int64)
		if status != 0 && !codecBatteryExpected[name] {
			t.Errorf("%s: status %d: %v", name, status, res[2])
		} else {
			t.Logf("%s: status %d", name, status)
		}
	}
}

// codecBatteryExpected are the battery's subtests this codec alone cannot
// pass: what goja or a non-browser lacks.
var codecBatteryExpected = map[string]bool{
	"Resizable ArrayBuffer": true, "Growable SharedArrayBuffer": true, "Length-tracking TypedArray": true,
	"Length-tracking DataView": true, "Serializing OOB TypedArray throws": true, "Serializing OOB DataView throws": true,
	"Resizable ArrayBuffer is transferable": true, "Length-tracking TypedArray is transferable": true,
	"Length-tracking DataView is transferable": true, "Transferring OOB TypedArray throws": true,
	"Transferring OOB DataView throws":                                            true,
	"Serializing a non-serializable platform object fails":                        true, // the stand-in Response is a plain object
	"A subclass instance will be received as its closest transferable superclass": true, // no ReadableStream
	"MessagePort": true, // the stand-in ports do not message
	"An object whose interface is deleted from the global object must still be received": true, // no MessagePort interface
}
