package origin_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/messages"
)

// FuzzParse checks that Parse never panics, that every error matches
// messages.ErrSyntax, and that what it returns holds the URL Standard's
// rules for a serialized origin: an opaque origin is "null" and only
// itself; a tuple origin's String parses again to the same origin, and its
// host is an IPv6 address in the canonical compressed form, an IPv4
// address in dotted decimal, or a lower-case ASCII domain that does not
// end in a number and holds no forbidden domain code point.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, s := range []string{"http://[1:2:0:0:3:0:0:4]", "http://0300.0250.1.1", "http://0x7f.0.0.1.", "ws://[::ffff:0:0]:81", "https://xn--bcher-kva.example", "foo://[::1]/", "https://a.b.c:443"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := origin.Parse(s)
		if err != nil {
			if !errors.Is(err, messages.ErrSyntax) {
				t.Fatalf("Parse(%q): %v does not match ErrSyntax", s, err)
			}
			if !o.IsZero() {
				t.Fatalf("Parse(%q) failed but returned %v", s, o)
			}
			return
		}
		if o.IsZero() {
			t.Fatalf("Parse(%q) returned the zero Origin without an error", s)
		}
		if !o.SameOrigin(o) {
			t.Fatalf("Parse(%q) = %v is not the same origin as itself", s, o)
		}
		if o.IsOpaque() {
			checkOpaque(t, s, o)
			return
		}
		again, err := origin.Parse(o.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse again: %v", s, o, err)
		}
		if !again.SameOrigin(o) || again.String() != o.String() {
			t.Fatalf("Parse(%q) = %q, which parses again to %q", s, o, again)
		}
		checkSerialization(t, s, o)
		checkHost(t, s, o.Host())
	})
}

func checkOpaque(t *testing.T, s string, o origin.Origin) {
	t.Helper()
	if o.String() != "null" || o.Scheme() != "" || o.Host() != "" || o.Port() != 0 {
		t.Fatalf("Parse(%q) is opaque but serializes as %q (%q, %q, %d)", s, o, o.Scheme(), o.Host(), o.Port())
	}
	if again, err := origin.Parse(s); err != nil || again.SameOrigin(o) {
		t.Fatalf("Parse(%q) twice gave the same opaque origin (or failed: %v)", s, err)
	}
}

// defaultPort is the URL Standard's table of special schemes.
var defaultPort = map[string]int{"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

func checkSerialization(t *testing.T, s string, o origin.Origin) {
	t.Helper()
	def, special := defaultPort[o.Scheme()]
	if !special {
		t.Fatalf("Parse(%q) gave a tuple origin with scheme %q", s, o.Scheme())
	}
	if o.Port() < 0 || o.Port() > 65535 {
		t.Fatalf("Parse(%q) gave port %d", s, o.Port())
	}
	host := o.Host()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	want := o.Scheme() + "://" + host
	if o.Port() != def {
		want += ":" + strconv.Itoa(o.Port())
	}
	if o.String() != want {
		t.Fatalf("Parse(%q) serializes as %q, want %q", s, o, want)
	}
}

func checkHost(t *testing.T, s, host string) {
	t.Helper()
	if host == "" {
		t.Fatalf("Parse(%q) gave an empty host", s)
	}
	if strings.Contains(host, ":") {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() || a.Zone() != "" {
			t.Fatalf("Parse(%q) gave host %q, not an IPv6 address", s, host)
		}
		if want := canonicalIPv6(a); host != want {
			t.Fatalf("Parse(%q) gave IPv6 host %q, want the compressed form %q", s, host, want)
		}
		return
	}
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	if last := labels[len(labels)-1]; last != "" && strings.Trim(last, "0123456789") == "" {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is4() || a.String() != host {
			t.Fatalf("Parse(%q) gave host %q, which ends in a number but is not dotted decimal IPv4", s, host)
		}
		return
	}
	for _, r := range host {
		if r >= 0x80 || ('A' <= r && r <= 'Z') || r <= 0x20 || r == 0x7f || strings.ContainsRune("#%/:<>?@[\\]^|", r) {
			t.Fatalf("Parse(%q) gave host %q, with %q in it", s, host, r)
		}
	}
}

// canonicalIPv6 is the URL Standard's IPv6 serializer, written here apart
// from the package's: RFC 5952's form (netip's), except that an
// IPv4-mapped address is written in hex pieces too.
func canonicalIPv6(a netip.Addr) string {
	if a.Is4In6() {
		b := a.As16()
		return fmt.Sprintf("::ffff:%x:%x", uint16(b[12])<<8|uint16(b[13]), uint16(b[14])<<8|uint16(b[15]))
	}
	return a.String()
}
