package main

import (
	"bytes"
	"testing"

	"github.com/entangle-go/entangle/internal/leaktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, leaktest.Options()...) }

func TestHandshakeOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Equal(t, `iframe: "init" from https://app.example, with a port
window: iframe ready
window: the iframe got "hello"
window: the iframe got "how are you?"
done: every context and port shut down
`, out.String())
}
