package script

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWebMessage(t *testing.T) {
	tests := []struct{ in, name, want string }{
		{"messages: DataCloneError: a detached object could not be transferred at transfer[0]", "DataCloneError", "A detached object could not be transferred at transfer[0]"},
		{"ports: InvalidStateError: the port is closed", "InvalidStateError", "The port is closed"},
		{"function values cannot be cloned at value.f", "DataCloneError", "Function values cannot be cloned at value.f"},
		{"a long text that mentions DataCloneError: later", "DataCloneError", "A long text that mentions DataCloneError: later"},
		{"", "DataCloneError", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, webMessage(tt.in, tt.name), tt.in)
	}
}
