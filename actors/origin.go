package actors

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/entangle-go/entangle/messages"
)

// Origin is the web's origin of a context: either a tuple (scheme, host,
// port) or an opaque origin. The zero Origin is not valid; make one with
// ParseOrigin, MustParseOrigin or OpaqueOrigin.
//
// Two tuple origins are the same origin when scheme, host and port are
// equal. An opaque origin (a sandboxed frame's) serializes as "null" and is
// the same origin only as itself: each call to OpaqueOrigin makes a new
// one.
type Origin struct {
	scheme string
	host   string
	port   int    // 0 when the scheme's default port is used
	opaque string // random identity of an opaque origin; "" for tuples
}

// defaultPorts are the special schemes whose origins are tuples, with their
// default ports (URL Standard, "special scheme").
var defaultPorts = map[string]int{"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

// ParseOrigin parses s, an origin ("https://example.com:8443") or any
// absolute URL, and returns the URL's origin. A URL whose scheme has no
// tuple origin (file:, data:, about:, ...) gives a new opaque origin, as
// the URL Standard says. Anything that does not parse as an absolute URL
// (including "null" and "*") is an error matching messages.ErrSyntax.
func ParseOrigin(s string) (Origin, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || (u.Opaque == "" && u.Host == "" && u.Path == "") {
		return Origin{}, newError(messages.ErrSyntax, "'"+s+"' is not an absolute URL or origin")
	}
	scheme := strings.ToLower(u.Scheme)
	def, special := defaultPorts[scheme]
	if !special {
		return OpaqueOrigin(), nil
	}
	host := strings.ToLower(u.Hostname())
	if host == "" || u.Opaque != "" {
		return Origin{}, newError(messages.ErrSyntax, "'"+s+"' has no host")
	}
	if strings.ContainsAny(host, " /\\?#@") {
		return Origin{}, newError(messages.ErrSyntax, "'"+s+"' has an invalid host")
	}
	port := 0
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return Origin{}, newError(messages.ErrSyntax, "'"+s+"' has an invalid port")
		}
		if n != def {
			port = n
		}
	}
	return Origin{scheme: scheme, host: host, port: port}, nil
}

// MustParseOrigin is ParseOrigin for origins written in the program; it
// panics if s does not parse.
func MustParseOrigin(s string) Origin {
	o, err := ParseOrigin(s)
	if err != nil {
		panic(err)
	}
	return o
}

// OpaqueOrigin returns a new opaque origin, the origin of a sandboxed
// context. It serializes as "null" and is the same origin only as itself.
func OpaqueOrigin() Origin {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return Origin{opaque: hex.EncodeToString(b[:])}
}

// IsZero reports whether o is the zero Origin (not a valid origin).
func (o Origin) IsZero() bool { return o.scheme == "" && o.opaque == "" }

// IsOpaque reports whether o is an opaque origin.
func (o Origin) IsOpaque() bool { return o.opaque != "" }

// Scheme, Host and Port return the parts of a tuple origin (Port returns
// the scheme's default when none was given). They are empty for an opaque
// origin.
func (o Origin) Scheme() string { return o.scheme }

// Host returns the host of a tuple origin, lower case.
func (o Origin) Host() string { return o.host }

// Port returns the port of a tuple origin, the scheme's default if none was
// given; 0 for an opaque origin.
func (o Origin) Port() int {
	if o.port != 0 {
		return o.port
	}
	return defaultPorts[o.scheme]
}

// String serializes o as the web does: "scheme://host[:port]", with the
// port left out when it is the scheme's default, and "null" for an opaque
// origin.
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
		return o.scheme + "://" + net.JoinHostPort(o.host, strconv.Itoa(o.port))
	}
	return o.scheme + "://" + host
}

// SameOrigin reports whether o and other are the same origin (HTML
// Standard, "same origin"): equal tuples, or the same opaque origin.
func (o Origin) SameOrigin(other Origin) bool {
	if o.IsZero() || other.IsZero() {
		return false
	}
	return o == other
}

// key is the form of o that travels in a message as a target origin: the
// serialization for a tuple, and a private identity for an opaque origin
// (which must match only itself, so "null" will not do).
func (o Origin) key() string {
	if o.opaque != "" {
		return "opaque:" + o.opaque
	}
	return o.String()
}

// Target origins as they travel with a window message.
const (
	targetAny = "*"
)

// resolveTargetOrigin turns the targetOrigin argument of postMessage into
// the key the receiver checks: "*" for any, the sender's own origin for
// "/", otherwise the origin of the parsed URL. An unparsable value is a
// SyntaxError, raised before anything is serialized.
func resolveTargetOrigin(target string, sender Origin) (string, error) {
	switch target {
	case "*":
		return targetAny, nil
	case "/":
		return sender.key(), nil
	}
	o, err := ParseOrigin(target)
	if err != nil {
		return "", newError(messages.ErrSyntax, "postMessage: targetOrigin '"+target+"' is not \"*\", \"/\" or an absolute URL")
	}
	return o.key(), nil
}

// accepts reports whether a context whose origin is o may receive a message
// whose target origin key is target.
func (o Origin) accepts(target string) bool {
	return target == targetAny || target == o.key()
}
