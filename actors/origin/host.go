package origin

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// parseHost is the URL Standard's host parser for special URLs: it
// returns the serialized host (IPv6 without its brackets), or the reason
// the host is not valid.
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
	if badACELabel(decoded) {
		return "", "the host is not a valid domain"
	}
	var ascii string
	if isASCII(decoded) && !hasACELabel(decoded) {
		ascii = strings.ToLower(decoded)
	} else {
		a, err := idnaProfile.ToASCII(decoded)
		if err != nil || a == "" {
			return "", "the host is not a valid domain"
		}
		if !isASCII(decoded) && hasACELabel(a) {
			// x/net/idna makes Punycode of any length but decodes a
			// label only up to 1,024 code points, and checking an
			// "xn--" label decodes it: a longer one made here would be
			// refused when the serialized origin is parsed again.
			// Refuse it now, so that every origin parses again to
			// itself.
			if _, err := idnaProfile.ToASCII(a); err != nil {
				return "", "the host is not a valid domain"
			}
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

// idnaMapper maps code points as UTS #46 does for idnaProfile, one at a
// time (badACELabel).
var idnaMapper = idna.New(idna.MapForLookup(), idna.Transitional(false),
	idna.StrictDomainName(false), idna.CheckHyphens(false), idna.VerifyDNSLength(false))

// badACELabel reports whether a label of host, as UTS #46 maps it, starts
// with "xn--" and its Punycode decodes to nothing or to ASCII only:
// Punycode that ends with '-' (or is empty) encodes no code point beyond
// ASCII. Since Unicode 15.1 UTS #46 counts such a label as an error;
// golang.org/x/net/idna v0.21.0 replaces it by its decoding instead.
func badACELabel(host string) bool {
	mapped := host
	if !isASCII(host) {
		var b strings.Builder
		for _, r := range host {
			if r < utf8.RuneSelf {
				b.WriteRune(r)
				continue
			}
			m, _ := idnaMapper.ToUnicode(string(r))
			b.WriteString(m)
		}
		mapped = b.String()
	}
	return anyLabel(mapped, func(l string) bool {
		p, ok := acePunycode(l)
		return ok && (p == "" || strings.HasSuffix(p, "-"))
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// hasACELabel reports whether a label of s starts with "xn--" (in any
// case), which sends an ASCII host through IDNA to be checked.
func hasACELabel(s string) bool {
	return anyLabel(s, func(l string) bool { _, ok := acePunycode(l); return ok })
}

// acePunycode returns what follows a label's "xn--" prefix (in any case),
// and whether it has one.
func acePunycode(label string) (string, bool) {
	if len(label) >= 4 && strings.EqualFold(label[:4], "xn--") {
		return label[4:], true
	}
	return "", false
}

// anyLabel reports whether f holds for a '.'-separated label of s.
func anyLabel(s string, f func(label string) bool) bool {
	for {
		l, rest, more := strings.Cut(s, ".")
		if f(l) {
			return true
		}
		if !more {
			return false
		}
		s = rest
	}
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
