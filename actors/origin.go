package actors

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/entangle-go/entangle/messages"
	"golang.org/x/net/idna"
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
	port   int    // 0 when the scheme's default port is used; portZero for port 0
	opaque string // random identity of an opaque origin; "" for tuples
}

// defaultPorts are the special schemes whose origins are tuples, with their
// default ports (URL Standard, "special scheme").
var defaultPorts = map[string]int{"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

// ParseOrigin parses s, an origin ("https://example.com:8443") or any
// absolute URL, and returns the URL's origin, following the URL Standard's
// parser for the parts an origin is made of: leading and trailing spaces
// and control characters are ignored, tabs and newlines removed; scheme and
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
func ParseOrigin(s string) (Origin, error) {
	o, why := parseURLOrigin(s, true)
	if why != "" {
		return Origin{}, newError(messages.ErrSyntax, "'"+s+"' is not an absolute URL or origin: "+why)
	}
	return o, nil
}

// parseURLOrigin is ParseOrigin's work; it returns the reason when s does
// not parse. blob says whether a blob: URL may be looked into (once).
func parseURLOrigin(s string, blob bool) (Origin, string) {
	in := cleanURLInput(s)
	scheme, rest, ok := splitScheme(in)
	if !ok {
		return Origin{}, "no scheme"
	}
	if _, special := defaultPorts[scheme]; special {
		host, port, why := parseAuthority(rest, scheme)
		if why != "" {
			return Origin{}, why
		}
		return Origin{scheme: scheme, host: host, port: port}, ""
	}
	switch scheme {
	case "file":
		// A file URL parses if its host does; its origin is opaque.
		if why := checkFileHost(rest); why != "" {
			return Origin{}, why
		}
	case "blob":
		if blob {
			path := rest
			if i := strings.IndexAny(path, "?#"); i >= 0 {
				path = path[:i]
			}
			if inner, why := parseURLOrigin(path, false); why == "" && (inner.scheme == "http" || inner.scheme == "https") {
				return inner, ""
			}
		}
	default:
		// A non-special URL with an authority must have a valid
		// (opaque) host.
		if strings.HasPrefix(rest, "//") {
			auth := rest[2:]
			if i := strings.IndexAny(auth, "/?#"); i >= 0 {
				auth = auth[:i]
			}
			if i := strings.LastIndexByte(auth, '@'); i >= 0 {
				auth = auth[i+1:]
			}
			if strings.HasPrefix(auth, "[") {
				end := strings.IndexByte(auth, ']')
				if end < 0 {
					return Origin{}, "unclosed IPv6 address"
				}
				if _, ok := parseIPv6(auth[1:end]); !ok {
					return Origin{}, "invalid IPv6 address"
				}
			} else if strings.ContainsFunc(auth, func(r rune) bool { return r != '%' && r != ':' && isForbiddenHostRune(r) }) {
				return Origin{}, "forbidden code point in the host"
			}
		}
	}
	return OpaqueOrigin(), ""
}

// cleanURLInput strips leading and trailing C0 controls and spaces and
// removes tabs and newlines, as the URL parser does first.
func cleanURLInput(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

// splitScheme returns the lower-cased scheme of an absolute URL and what
// follows its colon.
func splitScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(s[:i]), s[i+1:], true
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// parseAuthority parses the host and port of a special URL from what
// follows "scheme:". port is 0 for the scheme's default.
func parseAuthority(rest, scheme string) (host string, port int, why string) {
	rest = strings.TrimLeft(rest, "/\\")
	if i := strings.IndexAny(rest, "/\\?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	hostPart, portPart := rest, ""
	hasPort := false
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", 0, "unclosed IPv6 address"
		}
		hostPart = rest[:end+1]
		if after := rest[end+1:]; after != "" {
			if after[0] != ':' {
				return "", 0, "junk after the IPv6 address"
			}
			portPart, hasPort = after[1:], true
		}
	} else if i := strings.IndexByte(rest, ':'); i >= 0 {
		hostPart, portPart, hasPort = rest[:i], rest[i+1:], true
	}
	if hostPart == "" {
		return "", 0, "no host"
	}
	host, why = parseHost(hostPart)
	if why != "" {
		return "", 0, why
	}
	if hasPort && portPart != "" {
		n := 0
		for _, c := range portPart {
			if c < '0' || c > '9' {
				return "", 0, "invalid port"
			}
			if n = n*10 + int(c-'0'); n > 65535 {
				return "", 0, "port out of range"
			}
		}
		if n != defaultPorts[scheme] {
			port = n
			if n == 0 {
				port = portZero
			}
		}
	}
	return host, port, ""
}

// portZero stands for an explicit port 0 (0 itself means the default).
const portZero = -1

// checkFileHost checks the host of a file URL, if it has one.
func checkFileHost(rest string) string {
	if len(rest) < 2 || !strings.ContainsRune("/\\", rune(rest[0])) || !strings.ContainsRune("/\\", rune(rest[1])) {
		return ""
	}
	auth := rest[2:]
	if i := strings.IndexAny(auth, "/\\?#"); i >= 0 {
		auth = auth[:i]
	}
	if auth == "" || (len(auth) == 2 && (auth[1] == ':' || auth[1] == '|')) {
		return "" // file:///x, or a Windows drive letter
	}
	_, why := parseHost(auth)
	return why
}

// parseHost is the URL Standard's host parser for special URLs: it
// returns the serialized host (IPv6 without its brackets).
func parseHost(in string) (string, string) {
	if strings.HasPrefix(in, "[") {
		if !strings.HasSuffix(in, "]") {
			return "", "unclosed IPv6 address"
		}
		h, ok := parseIPv6(in[1 : len(in)-1])
		if !ok {
			return "", "invalid IPv6 address"
		}
		return h, ""
	}
	decoded, err := url.PathUnescape(in)
	if err != nil {
		// A stray '%' is kept as it is, and then refused below.
		decoded = in
	}
	if !utf8.ValidString(decoded) {
		return "", "the host is not UTF-8"
	}
	var ascii string
	if isASCII(decoded) && !hasACELabel(decoded) {
		ascii = strings.ToLower(decoded)
	} else {
		a, err := idnaProfile.ToASCII(decoded)
		if err != nil || a == "" {
			return "", "the host is not a valid domain"
		}
		ascii = a
	}
	if ascii == "" {
		return "", "empty host"
	}
	if strings.ContainsFunc(ascii, isForbiddenDomainRune) {
		return "", "forbidden code point in the host"
	}
	if endsInNumber(ascii) {
		ip, ok := parseIPv4(ascii)
		if !ok {
			return "", "invalid IPv4 address"
		}
		return ip, ""
	}
	return ascii, ""
}

// idnaProfile is UTS #46 ToASCII as the URL Standard calls it (domain to
// ASCII with beStrict false): no STD3 rules, no hyphen checks, no DNS
// length check; joiners and the bidi rule are checked.
var idnaProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false),
	idna.StrictDomainName(false), idna.CheckHyphens(false), idna.CheckJoiners(true), idna.VerifyDNSLength(false))

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func hasACELabel(s string) bool {
	for _, l := range strings.Split(s, ".") {
		if len(l) >= 4 && strings.EqualFold(l[:4], "xn--") {
			return true
		}
	}
	return false
}

// isForbiddenHostRune reports the URL Standard's forbidden host code
// points.
func isForbiddenHostRune(r rune) bool {
	switch r {
	case 0, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

// isForbiddenDomainRune adds C0 controls, '%' and DEL.
func isForbiddenDomainRune(r rune) bool {
	return isForbiddenHostRune(r) || r <= 0x1f || r == '%' || r == 0x7f
}

// endsInNumber reports whether the last label of a domain is a number,
// which makes the host an IPv4 address (or invalid).
func endsInNumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number parses one part of an IPv4 address: decimal, octal with
// a leading 0, or hexadecimal with 0x.
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	if s == "" {
		return 0, true
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		var d uint64
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case 'a' <= c && c <= 'f':
			d = uint64(c-'a') + 10
		case 'A' <= c && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= uint64(base) {
			return 0, false
		}
		n = n*uint64(base) + d
		if n > 1<<32 {
			n = 1<<32 + 1 // too big either way; avoid overflow
		}
	}
	return n, true
}

// parseIPv4 parses a host that ends in a number as an IPv4 address and
// returns it dotted.
func parseIPv4(s string) (string, bool) {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return "", false
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return "", false
		}
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return "", false
	}
	addr := last
	for i, n := range nums[:len(nums)-1] {
		addr += n << (8 * (3 - i))
	}
	return fmt.Sprintf("%d.%d.%d.%d", byte(addr>>24), byte(addr>>16), byte(addr>>8), byte(addr)), true
}

// parseIPv6 parses an IPv6 address (no zone) and returns the URL
// Standard's serialization: lower-case hex pieces, the first longest run
// of two or more zero pieces compressed.
func parseIPv6(s string) (string, bool) {
	if strings.Contains(s, "%") {
		return "", false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() {
		return "", false
	}
	b := a.As16()
	var pieces [8]uint16
	for i := range pieces {
		pieces[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		if i == best {
			sb.WriteString("::")
			i += bestLen - 1
			continue
		}
		if sb.Len() > 0 && !strings.HasSuffix(sb.String(), ":") {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	return sb.String(), true
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
	switch o.port {
	case 0:
		return defaultPorts[o.scheme]
	case portZero:
		return 0
	}
	return o.port
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
		return o.scheme + "://" + host + ":" + strconv.Itoa(o.Port())
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
