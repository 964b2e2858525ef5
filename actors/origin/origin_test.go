package origin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseTests are Parse's cases; FuzzParse starts from their inputs.
var parseTests = []struct {
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
	// The authority of a non-special URL: userinfo needs a host after
	// it, a port needs a host before it, and the port is digits up to
	// 65535 (the URL parser's authority, host and port states).
	{in: "foo://h:/", want: "null", opaque: true},
	{in: "foo://[::1]:8/", want: "null", opaque: true},
	{in: "foo://h:0065535", want: "null", opaque: true},
	{in: "foo://a%b:1", want: "null", opaque: true},
	{in: "foo://@/x", err: true},
	{in: "foo://user@", err: true},
	{in: "foo://u@h@:1", err: true},
	{in: "foo://:80/", err: true},
	{in: "foo://h:80x", err: true},
	{in: "foo://a:b@c:d", err: true},
	{in: "foo://h:65536", err: true},
	{in: "foo://[::1]x/", err: true},
	// A blob URL parses first as the non-special URL it is; its origin is
	// that of its path as the path serializes (C0 controls and non-ASCII
	// percent-encoded).
	{in: "blob://h:80x", err: true},
	{in: "blob://h:80/x", want: "null", opaque: true},
	{in: "blob:https://a.example\x00/x", want: "null", opaque: true},
	{in: "blob:https://a.example\x01?q", want: "null", opaque: true},
	{in: "blob:https://a.example ?q", want: "null", opaque: true},
	{in: "blob:https://a.example #f", want: "null", opaque: true},
	{in: "blob:https://bücher.example/x", want: "https://xn--bcher-kva.example"},
	// A file URL's host may be a Windows drive letter: an ASCII letter
	// and ':' or '|'.
	{in: "file://C:/x", want: "null", opaque: true},
	{in: "file://c|/x", want: "null", opaque: true},
	{in: "file://':/", err: true},
	{in: "file://1:/x", err: true},
	// UTS #46 (since Unicode 15.1): an "xn--" label whose Punycode
	// decodes to nothing or to ASCII only is an error, also when the
	// label only maps to "xn--" (fullwidth letters).
	{in: "https://xn--", err: true},
	{in: "https://a.xn--.b", err: true},
	{in: "https://xn--abc-.example", err: true},
	{in: "https://\uff58\uff4e\uff0d\uff0dabc-.example", err: true},
	{in: "https://xn--ls8h.la", want: "https://xn--ls8h.la"},
	// UTS #46's CheckBidi, which the URL Standard asks for: a label
	// that starts with an Arabic digit (bidi class AN) is not valid.
	{in: "https://١.com", err: true},
	// x/net/idna decodes a Punycode label of at most 1,024 code points
	// (checking an "xn--" label decodes it), so a longer Unicode label is
	// refused, as its serialization would not parse again.
	{in: "https://" + strings.Repeat("q", 1023) + "ȱ.example", want: "https://xn--" + strings.Repeat("q", 1023) + "-u167a.example"},
	{in: "https://" + strings.Repeat("q", 1024) + "ȱ.example", err: true},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.in, func(t *testing.T) {
			o, err := origin.Parse(tt.in)
			if tt.err {
				require.Error(t, err)
				assert.True(t, errors.Is(err, messages.ErrSyntax), "%v", err)
				assert.Contains(t, err.Error(), "origin: SyntaxError")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, o.String())
			assert.Equal(t, tt.opaque, o.IsOpaque())
		})
	}
}

func TestSameOrigin(t *testing.T) {
	a := origin.MustParse("https://a.example")
	assert.True(t, a.SameOrigin(origin.MustParse("https://a.example:443/x")))
	assert.False(t, a.SameOrigin(origin.MustParse("http://a.example")))
	assert.False(t, a.SameOrigin(origin.MustParse("https://a.example:8443")))
	assert.False(t, a.SameOrigin(origin.MustParse("https://b.a.example")))
	assert.False(t, origin.MustParse("http://a.example:0").SameOrigin(origin.MustParse("http://a.example")), "port 0 is not the default port")
	assert.Equal(t, 0, origin.MustParse("http://a.example:0").Port())
	assert.True(t, origin.MustParse("https://bücher.example").SameOrigin(origin.MustParse("https://xn--bcher-kva.example")))
	assert.Equal(t, 443, a.Port())
	assert.Equal(t, "https", a.Scheme())
	assert.Equal(t, "a.example", a.Host())

	o1, o2 := origin.Opaque(), origin.Opaque()
	assert.True(t, o1.SameOrigin(o1), "an opaque origin is the same origin as itself")
	assert.False(t, o1.SameOrigin(o2), "two opaque origins differ")
	assert.False(t, o1.SameOrigin(a))
	assert.Equal(t, "null", o1.String())
	assert.False(t, origin.Origin{}.SameOrigin(origin.Origin{}), "the zero origin is no origin")
}
