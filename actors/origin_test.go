package actors

import (
	"errors"
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOrigin(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		opaque bool
		err    bool
	}{
		{in: "https://example.com", want: "https://example.com"},
		{in: "https://Example.COM:443/path?q#f", want: "https://example.com"},
		{in: "http://example.com:80", want: "http://example.com"},
		{in: "http://example.com:8080/x", want: "http://example.com:8080"},
		{in: "HTTPS://a.example:8443", want: "https://a.example:8443"},
		{in: "wss://chat.example", want: "wss://chat.example"},
		{in: "http://[::1]:8080/", want: "http://[::1]:8080"},
		{in: "http://[::1]/", want: "http://[::1]"},
		{in: "https://user:pw@a.example/", want: "https://a.example"},
		{in: "file:///etc/passwd", want: "null", opaque: true},
		{in: "data:text/plain,hi", want: "null", opaque: true},
		{in: "about:blank", want: "null", opaque: true},
		{in: "null", err: true},
		{in: "*", err: true},
		{in: "/", err: true},
		{in: "", err: true},
		{in: "example.com", err: true},
		{in: "//example.com", err: true},
		{in: "https://", err: true},
		{in: "https://a.example:99999", err: true},
		{in: "https://a.example:-1", err: true},
		{in: "http://exa mple.com", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			o, err := ParseOrigin(tt.in)
			if tt.err {
				require.Error(t, err)
				assert.True(t, errors.Is(err, messages.ErrSyntax), "%v", err)
				assert.Contains(t, err.Error(), "actors: SyntaxError")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, o.String())
			assert.Equal(t, tt.opaque, o.IsOpaque())
		})
	}
}

func TestOriginSameOrigin(t *testing.T) {
	a := MustParseOrigin("https://a.example")
	assert.True(t, a.SameOrigin(MustParseOrigin("https://a.example:443/x")))
	assert.False(t, a.SameOrigin(MustParseOrigin("http://a.example")))
	assert.False(t, a.SameOrigin(MustParseOrigin("https://a.example:8443")))
	assert.False(t, a.SameOrigin(MustParseOrigin("https://b.a.example")))
	assert.Equal(t, 443, a.Port())
	assert.Equal(t, "https", a.Scheme())
	assert.Equal(t, "a.example", a.Host())

	o1, o2 := OpaqueOrigin(), OpaqueOrigin()
	assert.True(t, o1.SameOrigin(o1), "an opaque origin is the same origin as itself")
	assert.False(t, o1.SameOrigin(o2), "two opaque origins differ")
	assert.False(t, o1.SameOrigin(a))
	assert.Equal(t, "null", o1.String())
	assert.False(t, Origin{}.SameOrigin(Origin{}), "the zero origin is no origin")
}

func TestResolveTargetOrigin(t *testing.T) {
	sender := MustParseOrigin("https://a.example")
	opaque := OpaqueOrigin()
	tests := []struct {
		target   string
		receiver Origin
		accepts  bool
		err      bool
	}{
		{target: "*", receiver: sender, accepts: true},
		{target: "*", receiver: opaque, accepts: true},
		{target: "/", receiver: sender, accepts: true},
		{target: "/", receiver: MustParseOrigin("https://b.example"), accepts: false},
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
			assert.Equal(t, tt.accepts, tt.receiver.accepts(key))
		})
	}
	// An opaque sender's "/" reaches only itself.
	key, err := resolveTargetOrigin("/", opaque)
	require.NoError(t, err)
	assert.True(t, opaque.accepts(key))
	assert.False(t, OpaqueOrigin().accepts(key))
}
