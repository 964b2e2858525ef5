package script

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/actors/origin"
)

// TestJavaScriptSuite runs the realm's own tests written in JavaScript
// (testdata/*.test.js, with testdata/harness.js), read through WithFS and
// File, in a window.
func TestJavaScriptSuite(t *testing.T) {
	e := newEnv(t, WithFS(os.DirFS("testdata")))
	e.sys.Root.Spawn(WindowProps(origin.MustParse("https://test.example"), File("harness.js"), File("realm.test.js")))
	passed := 0
	for {
		l := e.next()
		if l == "done" {
			break
		}
		if assert.True(t, strings.HasPrefix(l, "pass "), l) {
			passed++
		}
	}
	src, err := os.ReadFile("testdata/realm.test.js")
	require.NoError(t, err)
	assert.Equal(t, strings.Count(string(src), "\ntest("), passed, "every test of the file passes")
	e.noMore()
}

// A File the file system does not have is reported, and the next source
// runs.
func TestMissingFile(t *testing.T) {
	e := newEnv(t, WithFS(os.DirFS("testdata")))
	e.sys.Root.Spawn(WindowProps(origin.MustParse("https://test.example"), File("nope.js"), Code("next.js", `console.log("next runs")`)))
	e.expectPrefix("ERROR Uncaught script: open nope.js")
	e.expect("next runs")
	e.noMore()
}
