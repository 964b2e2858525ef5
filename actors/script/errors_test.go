package script

import (
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUncaughtError(t *testing.T) {
	e := newEnv(t)
	pid := e.window(`
		addEventListener("error", (ev) => {
			console.log("error event", ev.message, ev.filename, ev.lineno > 0, ev.error instanceof TypeError, ev.isTrusted, ev.cancelable);
		});
		setTimeout(() => { null.x }, 0);
		setTimeout(() => console.log("still serving"), 1);
	`, `throw new RangeError("top")`, `console.log("next source runs")`)
	e.expect("error event Uncaught RangeError: top test1.js true false true true")
	e.expectPrefix("ERROR Uncaught RangeError: top (test1.js:1:")
	e.expect("next source runs")
	l := e.expectPrefix("error event Uncaught TypeError: ")
	assert.Contains(t, l, "test0.js true true true true")
	e.expectPrefix("ERROR Uncaught TypeError: ")
	e.expect("still serving")

	// A canceled error event is not logged; onerror gets the five
	// arguments and cancels with true.
	_, err := e.eval(pid, `
		onerror = (msg, file, line, col, err) => { console.log("onerror", msg, err.message); return true; };
		setTimeout(() => { throw new Error("boom") });
		reportError(new Error("reported"));
	`)
	require.NoError(t, err)
	e.expect("error event Uncaught Error: reported eval true false true true", "onerror Uncaught Error: reported reported")
	e.expectPrefix("error event Uncaught Error: boom")
	e.expect("onerror Uncaught Error: boom boom")
	e.noMore()

	var reports []errorReport
	e.run(pid, func(ctx actor.Context) error {
		reports = realmOf(ctx).errorReports()
		return nil
	})
	require.Len(t, reports, 4)
	assert.False(t, reports[0].Canceled)
	assert.True(t, reports[3].Canceled)
}

func TestListenerErrorsDoNotStopDispatch(t *testing.T) {
	e := newEnv(t)
	e.window(`
		onerror = () => true;
		const ch = new MessageChannel();
		ch.port2.addEventListener("message", () => { throw new Error("L1") });
		ch.port2.addEventListener("message", () => console.log("L2 runs"));
		ch.port2.start();
		ch.port1.postMessage(0);
		const t = new EventTarget();
		t.addEventListener("x", () => { throw new Error("nested") });
		t.addEventListener("x", () => console.log("nested L2 runs"));
		t.dispatchEvent(new Event("x"));
		addEventListener("error", (ev) => console.log("reported", ev.message));
	`)
	e.expect("nested L2 runs", "reported Uncaught Error: L1", "L2 runs")
	e.noMore()
}

func TestUnhandledRejection(t *testing.T) {
	e := newEnv(t)
	e.window(`
		addEventListener("unhandledrejection", (ev) => {
			console.log("unhandled", ev.reason, ev.promise instanceof Promise, ev.isTrusted, ev instanceof PromiseRejectionEvent);
			if (ev.reason === "quiet") ev.preventDefault();
		});
		Promise.reject("loud");
		Promise.reject("quiet");
		Promise.reject("handled").catch(() => {});
		(async () => { await null; throw "later"; })();
	`)
	e.expect("unhandled loud true true true", "ERROR Uncaught (in promise) loud", "unhandled quiet true true true", "unhandled later true true true", "ERROR Uncaught (in promise) later")
	e.noMore()
}

// A task that runs past the limit is interrupted; the context gets an
// error event and keeps serving, and other contexts never stall.
func TestTaskLimit(t *testing.T) {
	e := newEnv(t, WithTaskLimit(200*time.Millisecond))
	loop := e.window(`
		addEventListener("error", (ev) => console.log("error event:", ev.message));
		setTimeout(() => { Promise.resolve().then(() => console.log("dropped microtask")); for (;;) {} }, 0);
		setTimeout(() => console.log("after the loop"), 1);
	`)
	other := e.window(`console.log("other started")`)
	e.expect("other started")
	// The other window answers while the first one loops.
	v, err := e.eval(other, `"answer"`)
	require.NoError(t, err)
	assert.Equal(t, "answer", v)
	l := e.next()
	assert.True(t, strings.HasPrefix(l, "error event: Uncaught InternalError: the task exceeded its time limit of 200ms"), l)
	e.expectPrefix("ERROR Uncaught InternalError")
	e.expect("after the loop")
	v, err = e.eval(loop, `"alive"`)
	require.NoError(t, err)
	assert.Equal(t, "alive", v)

	// Eval is interrupted too.
	_, err = e.eval(loop, `for (;;) {}`)
	require.Error(t, err)
	e.expectPrefix("error event: Uncaught InternalError")
	e.expectPrefix("ERROR Uncaught InternalError")
	e.noMore()
}

func TestEvalErrors(t *testing.T) {
	e := newEnv(t)
	pid := e.window()
	_, err := e.eval(pid, `throw new TypeError("nope")`)
	var se *ScriptError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "Uncaught TypeError: nope", se.Message)
	_, err = e.eval(pid, `(`)
	require.ErrorAs(t, err, &se)
	assert.Contains(t, se.Message, "SyntaxError")
	v, err := e.eval(pid, `({a: [1, "x", null, true]})`)
	require.NoError(t, err)
	assert.NotNil(t, v)
	e.noMore()
}

// A rejection notified as unhandled that gets a handler in a later task
// fires rejectionhandled (not cancelable), in a task after the one that
// handled it; one handled before its task ends, or by a listener of an
// earlier unhandledrejection of the same list, fires neither event.
func TestRejectionHandled(t *testing.T) {
	e := newEnv(t)
	pid := e.window(`
		addEventListener("unhandledrejection", (ev) => {
			console.log("unhandled", ev.reason);
			if (ev.reason === "first") globalThis.second.catch(() => {});
			if (ev.reason === "canceled") ev.preventDefault();
		});
		onrejectionhandled = (ev) => console.log("handled later", ev.reason, ev.promise === globalThis.late, ev.cancelable, ev instanceof PromiseRejectionEvent, ev.isTrusted);
		globalThis.late = Promise.reject("late");
		Promise.reject("first");
		globalThis.second = Promise.reject("second");
		globalThis.canceled = Promise.reject("canceled");
	`)
	e.expect("unhandled late", "ERROR Uncaught (in promise) late", "unhandled first", "ERROR Uncaught (in promise) first", "unhandled canceled")
	e.noMore()
	_, err := e.eval(pid, `late.catch(() => {}); queueMicrotask(() => console.log("the handling task ends")); "ok"`)
	require.NoError(t, err)
	e.expect("the handling task ends", "handled later late true false true true")
	_, err = e.eval(pid, `canceled.catch(() => {}); late.catch(() => {}); "ok"`)
	require.NoError(t, err)
	e.expect("handled later canceled false false true true")
	e.noMore()
	// A listener of a later promise's event handles an earlier one of the
	// same list, already outstanding: rejectionhandled follows.
	_, err = e.eval(pid, `
		onunhandledrejection = (ev) => { ev.preventDefault(); if (ev.reason === "p2") p1.catch(() => {}); };
		onrejectionhandled = (ev) => console.log("handled later", ev.reason);
		globalThis.p1 = Promise.reject("p1"); Promise.reject("p2"); "ok"`)
	require.NoError(t, err)
	e.expect("unhandled p1", "unhandled p2", "handled later p1")
	e.noMore()
}
