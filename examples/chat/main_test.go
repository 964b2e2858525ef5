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

func TestChatOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Equal(t, `alice opens the chat
  alice  sees "welcome, alice: 1 in the room"
bob opens the chat
  alice  sees "bob joined"
  bob    sees "welcome, bob: 2 in the room"
carol opens the chat
  alice  sees "carol joined"
  bob    sees "carol joined"
  carol  sees "welcome, carol: 3 in the room"
alice says hi
  alice  sees "alice: hi all"
  bob    sees "alice: hi all"
  carol  sees "alice: hi all"
bob closes his window
  alice  sees "bob left"
  carol  sees "bob left"
carol says bye
  alice  sees "carol: bye"
  carol  sees "carol: bye"
shut down: the windows, the shared worker and their ports
`, out.String())
}
