package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/entangle-go/entangle/internal/leaktest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, leaktest.Options()...) }

// The worker's answers are computed in JavaScript from what the Go page
// posted; the test checks them against the texts.
func TestJSWorkerOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Equal(t, `worker "analyzer" is ready
text 1: 12 words, 9 different, longest "sleeps", most used: the x3, dog x2, brown x1
text 2: 12 words, 7 different, longest "times", most used: it x2, of x2, the x2
text 3: 10 words, 8 different, longest "question", most used: be x2, to x2, is x1
done: the page, the worker and their ports shut down
`, out.String())
}
