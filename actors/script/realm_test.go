package script

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWindowRuns(t *testing.T) {
	e := newEnv(t)
	pid := e.window(`console.log("hello", 1 + 1, {a: 1})`, `console.log(typeof window, self === globalThis, location.href, origin)`)
	e.expect(`hello 2 {"a":1}`, "object true https://test.example/ https://test.example")
	v, err := e.eval(pid, `1 + 2`)
	require.NoError(t, err)
	assert.Equal(t, 3.0, v)
	e.noMore()
}
