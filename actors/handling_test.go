package actors_test

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
)

type unexportedMsg struct{}

// The messages an ErrorEvent may name: those the user's code could have
// received, never an unexported type or one of an internal package.
func TestUserVisibleMessages(t *testing.T) {
	for _, tt := range []struct {
		msg  any
		want bool
	}{
		{&ports.MessageEvent{}, true},
		{&actor.Started{}, true},
		{"text", true},
		{42, true},
		{[]int{1}, true},
		{map[string]any{}, true},
		{&actors.Continuation{}, true},
		{nil, false},
		{&unexportedMsg{}, false},
		{unexportedMsg{}, false},
		{&wire.Direct{}, false},
		{&wire.Landed{}, false},
	} {
		assert.Equal(t, tt.want, actors.UserVisible(tt.msg), "%T", tt.msg)
	}
}
