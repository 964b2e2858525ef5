package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/entangle-go/entangle/internal/leaktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain lets the test binary be the example: with nodeEnv set ("a"
// for node A, which starts the binary again with "b") it runs main.
func TestMain(m *testing.M) {
	if os.Getenv(nodeEnv) != "" {
		main() // exits with 1 on error
		os.Exit(0)
	}
	goleak.VerifyTestMain(m, leaktest.Options()...)
}

// Both nodes run as processes of their own, as with `go run`: protoactor
// remote leaves gRPC goroutines behind that race with a later Remote.Start
// in the same process, so this process starts no remote at all.
func TestRemoteShopOutput(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	nodeA := exec.Command(self, "-test.run=^$")
	nodeA.Env = append(os.Environ(), nodeEnv+"=a")
	var stderr strings.Builder
	nodeA.Stderr = &stderr
	out, err := nodeA.Output()
	require.NoError(t, err, "node A: %s", stderr.String())
	assert.Equal(t, `node B runs in its own process
front: orders 1 and 2 posted, port2 handed to the router, orders 3 and 4 posted
front: order 1 (2 x soup) -> main.Receipt 9.00 (arrived #1 at the kitchen on node B, as an Order)
front: order 2 (1 x bread) -> *main.Receipt 1.20 (arrived #2 at the kitchen on node B, as a *Order)
front: order 3 (3 x tea) -> main.Receipt 6.00 (arrived #3 at the kitchen on node B, as an Order)
front: order 4 (1 x cake) -> *main.Receipt 3.75 (arrived #4 at the kitchen on node B, as a *Order)
front, router, kitchen, node A and node B all shut down
`, string(out))
}
