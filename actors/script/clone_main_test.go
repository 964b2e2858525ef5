package script

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/entangle-go/entangle/internal/leaktest"
)

func TestMain(m *testing.M) {
	installReplayReader()
	goleak.VerifyTestMain(m, leaktest.Options()...)
}
