package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/entangle-go/entangle/internal/leaktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The test binary is also node B: run() starts it again with the role
	// set, as main does with the example binary.
	if os.Getenv(roleEnv) == "node-b" {
		if err := nodeB(os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m, leaktest.Options()...)
}

func TestRemoteExampleOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Equal(t, `node B is a separate process, listening on 127.0.0.1
window on node A posted port2 to node B and 3 messages on port1
window on node A: worker on node B got "hello"
window on node A: worker on node B got "how are you?"
window on node A: worker on node B got "bye"
both nodes shut down
`, out.String())
}
