package script

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/internal/leaktest"
)

// realJSRec reports whether package messages implements internal/jsrec in
// this build (otherwise the tests use the double in clone_fake_test.go).
var realJSRec bool

func TestMain(m *testing.M) {
	realJSRec = jsrec.NewWriter != nil
	if !realJSRec {
		installFakeJSRec()
	}
	goleak.VerifyTestMain(m, leaktest.Options()...)
}
