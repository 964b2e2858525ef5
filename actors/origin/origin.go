package origin

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/entangle-go/entangle/internal/domerr"
	"github.com/entangle-go/entangle/messages"
)

// Origin is the web's origin: either a tuple (scheme, host, port) or an
// opaque origin. The zero Origin is not valid; make one with Parse,
// MustParse or Opaque.
//
// Two tuple origins are the same origin when scheme, host and port are
// equal. An opaque origin (a sandboxed frame's) serializes as "null" and is
// the same origin only as itself: each call to Opaque makes a new one.
// Origins are comparable: == on two valid origins is SameOrigin.
type Origin struct {
	scheme string
	host   string
	port   int    // 0 when the scheme's default port is used; portZero for port 0
	opaque string // random identity of an opaque origin; "" for tuples
}

// portZero stands for an explicit port 0 (0 itself means the default).
const portZero = -1

// defaultPorts are the special schemes whose origins are tuples, with their
// default ports (URL Standard, "special scheme").
var defaultPorts = map[string]int{"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

// Parse parses s, an origin ("https://example.com:8443") or any absolute
// URL, and returns the URL's origin, following the URL Standard's parser
// for the parts an origin is made of: leading and trailing spaces and
// control characters are ignored, tabs and newlines removed; scheme and
// host are case-insensitive; a special URL's slashes may be missing or
// backslashes ("https:a.example" is https://a.example); the host is
// percent-decoded, mapped to its ASCII form (IDNA, so "https://bücher.de"
// is https://xn--bcher-kva.de) and checked for forbidden code points; IPv4
// hosts in any of their forms ("0x7f.1") become dotted decimal and IPv6
// hosts take their compressed form; userinfo, path, query and fragment are
// ignored; a port equal to the scheme's default is dropped.
//
// A URL whose scheme has no tuple origin (file:, data:, about:, ...) gives
// a new opaque origin, as the URL Standard says; a blob: URL has the
// origin of the http(s) URL inside it. Anything that does not parse as an
// absolute URL (including "null", "*" and "/") is an error matching
// messages.ErrSyntax.
func Parse(s string) (Origin, error) {
	o, why := parseURL(s, true)
	if why != "" {
		return Origin{}, domerr.New("origin", messages.ErrSyntax, "'"+s+"' is not an absolute URL or origin: "+why)
	}
	return o, nil
}

// MustParse is Parse for origins written in the program; it panics if s
// does not parse.
func MustParse(s string) Origin {
	o, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return o
}

// Opaque returns a new opaque origin, the origin of a sandboxed context.
// It serializes as "null" and is the same origin only as itself.
func Opaque() Origin {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return Origin{opaque: hex.EncodeToString(b[:])}
}

// IsZero reports whether o is the zero Origin (not a valid origin).
func (o Origin) IsZero() bool { return o.scheme == "" && o.opaque == "" }

// IsOpaque reports whether o is an opaque origin.
func (o Origin) IsOpaque() bool { return o.opaque != "" }

// Scheme returns the scheme of a tuple origin, lower case; "" for an
// opaque origin.
func (o Origin) Scheme() string { return o.scheme }

// Host returns the host of a tuple origin, serialized (lower case ASCII, an
// IPv4 address dotted, an IPv6 address compressed and without its
// brackets); "" for an opaque origin.
func (o Origin) Host() string { return o.host }

// Port returns the port of a tuple origin, the scheme's default if none was
// given; 0 for an opaque origin.
func (o Origin) Port() int {
	switch o.port {
	case 0:
		return defaultPorts[o.scheme]
	case portZero:
		return 0
	}
	return o.port
}

// String serializes o as the web does: "scheme://host[:port]", with the
// port left out when it is the scheme's default, "null" for an opaque
// origin, and "" for the zero Origin.
func (o Origin) String() string {
	switch {
	case o.opaque != "":
		return "null"
	case o.scheme == "":
		return ""
	}
	host := o.host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if o.port != 0 {
		return o.scheme + "://" + host + ":" + strconv.Itoa(o.Port())
	}
	return o.scheme + "://" + host
}

// SameOrigin reports whether o and other are the same origin (HTML
// Standard, "same origin"): equal tuples, or the same opaque origin. The
// zero Origin is the same origin as nothing.
func (o Origin) SameOrigin(other Origin) bool {
	if o.IsZero() || other.IsZero() {
		return false
	}
	return o == other
}
