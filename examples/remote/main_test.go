package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/entangle-go/entangle/internal/leaktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// nodeAEnv makes the test binary run the example's main, node A.
const nodeAEnv = "ENTANGLE_REMOTE_TEST_NODE_A"

func TestMain(m *testing.M) {
	// The test binary is also node B: run() starts it again with the role
	// set, as main does with the example binary.
	if os.Getenv(roleEnv) == "node-b" {
		if err := nodeB(os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(nodeAEnv) != "" {
		if err := run(os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m, leaktest.Options()...)
}

// The example runs in processes of its own, as `go run ./examples/remote`
// does: node A is this test binary started again, and it starts node B.
// (protoactor remote leaves gRPC goroutines behind that race with a second
// Remote.Start in the same process, so the test process starts none.)
func TestRemoteExampleOutput(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(self, "-test.run", "^$")
	cmd.Env = append(os.Environ(), nodeAEnv+"=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Run(), "node A: %s", errOut.String())
	assert.Equal(t, `node B is a separate process, listening on 127.0.0.1
window on node A posted port2 to node B and 3 messages on port1
window on node A: worker on node B got "hello"
window on node A: worker on node B got "how are you?"
window on node A: worker on node B got "bye"
both nodes shut down
`, out.String())
}
