package scenario

import (
	"testing"

	"github.com/entangle-go/entangle/internal/leaktest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, leaktest.Options()...)
}
