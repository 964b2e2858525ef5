package script

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStackPosition(t *testing.T) {
	cases := []struct {
		stack string
		want  position
	}{
		{"Error: x\n\tat f (eval:1:23(3))\n\tat g (eval:1:57(2))", position{"eval", 1, 23}},
		{"TypeError: no\n\tat main.js:4:9(3)\n", position{"main.js", 4, 9}},
		{"Error: x\n\tat f (entangle:10-events.js:5:1(2))\n\tat worker.js:2:67(10)", position{"worker.js", 2, 67}},
		{"Error: no frames", position{}},
		{"", position{}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, stackPosition(c.stack), c.stack)
	}
}

func FuzzStackPosition(f *testing.F) {
	f.Add("Error: x\n\tat f (eval:1:23(3))")
	f.Add("at a:b:c(d)")
	f.Fuzz(func(t *testing.T, s string) {
		p := stackPosition(s)
		if p.file == "" && (p.line != 0 || p.col != 0) {
			t.Fatalf("a place without a file: %+v", p)
		}
	})
}

// An exception thrown in a microtask is reported with the place it was
// thrown.
func TestMicrotaskErrorPlace(t *testing.T) {
	e := newEnv(t)
	e.window(`addEventListener("error", (ev) => console.log(ev.message, ev.filename, ev.lineno));
queueMicrotask(() => {
	throw new Error("in a microtask");
});`)
	e.expect("Uncaught Error: in a microtask test0.js 3")
	e.expectPrefix("ERROR Uncaught Error: in a microtask (test0.js:3:")
	e.noMore()
}
