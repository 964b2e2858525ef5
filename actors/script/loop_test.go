package script

import (
	"testing"
	"time"
)

// The microtask checkpoint runs after each task, and between the
// listeners of an event the user agent dispatches.
func TestMicrotaskOrder(t *testing.T) {
	e := newEnv(t)
	e.window(`
		const ch = new MessageChannel();
		ch.port2.onmessage = (ev) => {
			console.log("task" + ev.data);
			Promise.resolve().then(() => console.log("micro" + ev.data));
		};
		ch.port1.postMessage(1);
		ch.port1.postMessage(2);
	`)
	e.expect("task1", "micro1", "task2", "micro2")

	e.window(`
		const ch = new MessageChannel();
		ch.port2.addEventListener("message", () => { console.log("L1"); queueMicrotask(() => console.log("micro")); });
		ch.port2.addEventListener("message", () => console.log("L2"));
		ch.port2.start();
		ch.port1.postMessage(0);
	`)
	e.expect("L1", "micro", "L2")

	// A dispatch by script is nested: no checkpoint between listeners.
	e.window(`
		const t = new EventTarget();
		t.addEventListener("x", () => { console.log("L1"); queueMicrotask(() => console.log("micro")); });
		t.addEventListener("x", () => console.log("L2"));
		t.dispatchEvent(new Event("x"));
		console.log("after");
	`)
	e.expect("L1", "L2", "after", "micro")

	// The sources run in one outermost call: nothing runs between them.
	e.window(`queueMicrotask(() => console.log("micro")); console.log("a")`, `console.log("b")`)
	e.expect("a", "b", "micro")
	e.noMore()
}

func TestTimers(t *testing.T) {
	e := newEnv(t)
	e.window(`
		setTimeout(() => console.log("t20"), 20);
		setTimeout(() => console.log("t0a"));
		setTimeout((a, b) => console.log("t0b", a, b), 0, "x", "y");
		const gone = setTimeout(() => console.log("cleared"), 5);
		clearTimeout(gone);
		let n = 0;
		const iv = setInterval(() => { n++; console.log("iv" + n); if (n === 3) clearInterval(iv); }, 1);
		console.log(typeof gone, gone > 0);
		try { setTimeout("console.log(1)") } catch (e) { console.log(e.constructor.name) }
	`)
	e.expect("number true", "TypeError", "t0a", "t0b x y")
	got := map[string]bool{}
	for range 4 {
		got[e.next()] = true
	}
	for _, l := range []string{"iv1", "iv2", "iv3", "t20"} {
		if !got[l] {
			t.Fatalf("missing %q in %v", l, got)
		}
	}
	e.noMore()
}

func TestMaxTimers(t *testing.T) {
	e := newEnv(t, WithMaxTimers(2))
	e.window(`
		setTimeout(() => {}, 100000); setTimeout(() => {}, 100000);
		try { setTimeout(() => {}, 1) } catch (err) { console.log(err instanceof RangeError) }
	`)
	e.expect("true")
	_ = time.Second
}
