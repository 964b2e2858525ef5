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
		// The URL Standard's parser, where Go's net/url differs.
		{in: "https:a.example", want: "https://a.example"},
		{in: "https:/a.example/x", want: "https://a.example"},
		{in: `https:\\a.example\x`, want: "https://a.example"},
		{in: "https:///a.example", want: "https://a.example"},
		{in: "ht\ttps://a.exa\nmple", want: "https://a.example"},
		{in: "\x00 https://a.example \x1f", want: "https://a.example"},
		{in: "https://%61.EXAMPLE", want: "https://a.example"},
		{in: "https://bücher.example", want: "https://xn--bcher-kva.example"},
		{in: "https://ÉXAMPLE.com/", want: "https://xn--xample-9ua.com"},
		{in: "http://0x7f.1/", want: "http://127.0.0.1"},
		{in: "http://127.0.0.1.:8080", want: "http://127.0.0.1:8080"},
		{in: "http://2130706433", want: "http://127.0.0.1"},
		{in: "http://[0:0::1]", want: "http://[::1]"},
		{in: "http://[::ffff:1.2.3.4]", want: "http://[::ffff:102:304]"},
		{in: "http://[1:0:0:2:0:0:0:3]", want: "http://[1:0:0:2::3]"},
		{in: "http://a.example:0", want: "http://a.example:0"},
		{in: "http://a.example:", want: "http://a.example"},
		{in: "http://a.example:0080", want: "http://a.example"},
		{in: "ftp://a.example:21", want: "ftp://a.example"},
		{in: "blob:https://a.example:8443/uuid", want: "https://a.example:8443"},
		{in: "blob:data:text/plain,x", want: "null", opaque: true},
		{in: "javascript:void(0)", want: "null", opaque: true},
		{in: "foo://host/x", want: "null", opaque: true},
		{in: "https://a<b.example", err: true},
		{in: "https://a^b.example", err: true},
		{in: "https://a%2Fb.example", err: true},
		{in: "https://a%zz.example", err: true},
		{in: "https://user@", err: true},
		{in: "https://a.example:80x", err: true},
		{in: "http://[::1", err: true},
		{in: "http://[::1]x", err: true},
		{in: "http://[fe80::1%25eth0]", err: true},
		{in: "http://1.2.3.256", err: true},
		{in: "http://1.2.3.4.5", err: true},
		{in: "http://0x100000000", err: true},
		{in: "1http://a.example", err: true},
		{in: "foo://a b/", err: true},
		{in: "file://a b/x", err: true},
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
	assert.False(t, MustParseOrigin("http://a.example:0").SameOrigin(MustParseOrigin("http://a.example")), "port 0 is not the default port")
	assert.Equal(t, 0, MustParseOrigin("http://a.example:0").Port())
	assert.True(t, MustParseOrigin("https://bücher.example").SameOrigin(MustParseOrigin("https://xn--bcher-kva.example")))
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
