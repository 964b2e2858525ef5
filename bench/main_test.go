package bench_test

import (
	"testing"

	"github.com/entangle-go/entangle/internal/leaktest"
	"go.uber.org/goleak"
)

// TestMain checks, after the benchmarks, that they left no goroutine
// running: every system they start is shut down.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, leaktest.Options()...)
}
