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

func TestWorkerpoolOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, 3, 60))
	assert.Regexp(t, `^3 workers, 60 jobs of 1 MiB each, in [0-9.]+m?s
throughput: [0-9]+ jobs/s, [0-9]+ MiB/s moved between contexts
checksums right: 60/60
sender's buffer detached after each post: 60/60
buffers back at the same address \(moved, not copied\): 60/60
$`, out.String())
}
