package actors

import (
	"testing"

	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolveTargetOrigin(t *testing.T) {
	sender := origin.MustParse("https://a.example")
	opaque := origin.Opaque()
	tests := []struct {
		target   string
		receiver origin.Origin
		accepts  bool
		err      bool
	}{
		{target: "*", receiver: sender, accepts: true},
		{target: "*", receiver: opaque, accepts: true},
		{target: "/", receiver: sender, accepts: true},
		{target: "/", receiver: origin.MustParse("https://b.example"), accepts: false},
		{target: "/", receiver: opaque, accepts: false},
		{target: "https://a.example/some/page", receiver: sender, accepts: true},
		{target: "https://a.example:443", receiver: sender, accepts: true},
		{target: "http://a.example", receiver: sender, accepts: false},
		{target: "file:///x", receiver: opaque, accepts: false},
		{target: "null", err: true},
		{target: "a.example", err: true},
		{target: "", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			key, err := resolveTargetOrigin(tt.target, sender)
			if tt.err {
				require.Error(t, err)
				assert.ErrorIs(t, err, messages.ErrSyntax)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.accepts, accepts(tt.receiver, key))
		})
	}
	// An opaque sender's "/" reaches only itself.
	key, err := resolveTargetOrigin("/", opaque)
	require.NoError(t, err)
	assert.True(t, accepts(opaque, key))
	assert.False(t, accepts(origin.Opaque(), key))
}
