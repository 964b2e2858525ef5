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

func TestPipelineOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, 4, 10000))
	assert.Regexp(t, `^posted 10000 messages while port2 moved through 4 workers
stage 1: messages 0-2499, in order: true \(port actor \S+/stage-1/port\S+\)
stage 2: messages 2500-4999, in order: true \(port actor \S+/stage-2/port\S+\)
stage 3: messages 5000-7499, in order: true \(port actor \S+/stage-3/port\S+\)
stage 4: messages 7500-9999, in order: true \(port actor \S+/stage-4/port\S+\)
sequence check: 10000 messages, in order, none lost, none duplicated, across 4 owners: true
$`, out.String())
}
