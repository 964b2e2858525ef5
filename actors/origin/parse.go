package origin

import "strings"

// parseURL is Parse's work: from an absolute URL to its origin. It returns
// the reason when s does not parse. blob says whether a blob: URL may be
// looked into (once).
func parseURL(s string, blob bool) (Origin, string) {
	in := cleanInput(s)
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
		// A blob URL parses first as the non-special URL it is.
		if why := checkOpaqueHost(rest); why != "" {
			return Origin{}, why
		}
		if blob {
			path, query := rest, false
			if i := strings.IndexAny(path, "?#"); i >= 0 {
				path, query = path[:i], true
			}
			path = encodeOpaquePath(path)
			if query && strings.HasSuffix(path, " ") {
				// An opaque path does not end in a space that a query
				// or fragment follows: the parser writes it as %20.
				path = path[:len(path)-1] + "%20"
			}
			if inner, why := parseURL(path, false); why == "" && (inner.scheme == "http" || inner.scheme == "https") {
				return inner, ""
			}
		}
	default:
		if why := checkOpaqueHost(rest); why != "" {
			return Origin{}, why
		}
	}
	return Opaque(), ""
}

// encodeOpaquePath percent-encodes what the URL parser encodes in an
// opaque path (the C0 control percent-encode set: C0 controls, DEL and
// every byte of a non-ASCII code point): the origin of a blob URL is that
// of its path, as the path is serialized.
func encodeOpaquePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c >= 0x7f {
			if b.Len() == 0 {
				b.Grow(len(p) + 8)
				b.WriteString(p[:i])
			}
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else if b.Len() > 0 {
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return p
	}
	return b.String()
}

// cleanInput strips leading and trailing C0 controls and spaces and
// removes tabs and newlines, as the URL parser does first.
func cleanInput(s string) string {
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
		n, why := parsePort(portPart)
		if why != "" {
			return "", 0, why
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

// checkFileHost checks the host of a file URL, if it has one.
func checkFileHost(rest string) string {
	if len(rest) < 2 || !strings.ContainsRune("/\\", rune(rest[0])) || !strings.ContainsRune("/\\", rune(rest[1])) {
		return ""
	}
	auth := rest[2:]
	if i := strings.IndexAny(auth, "/\\?#"); i >= 0 {
		auth = auth[:i]
	}
	if auth == "" || isDriveLetter(auth) {
		return "" // file:///x, or a Windows drive letter
	}
	_, why := parseHost(auth)
	return why
}

// isDriveLetter reports whether s is a Windows drive letter: an ASCII
// letter and ':' or '|'.
func isDriveLetter(s string) bool {
	return len(s) == 2 && ('a' <= s[0]|0x20 && s[0]|0x20 <= 'z') && (s[1] == ':' || s[1] == '|')
}

// checkOpaqueHost checks the authority of a non-special URL, if it has
// one, as the URL parser's authority, host and port states do: userinfo
// ends at the last '@' and needs a host after it; a ':' outside brackets
// ends the host, which must then not be empty; the host is an IPv6 address
// in brackets or an opaque host (no forbidden host code point); the port,
// if any, is decimal digits up to 65535.
func checkOpaqueHost(rest string) string {
	if !strings.HasPrefix(rest, "//") {
		return ""
	}
	auth := rest[2:]
	if i := strings.IndexAny(auth, "/?#"); i >= 0 {
		auth = auth[:i]
	}
	userinfo := false
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		auth, userinfo = auth[i+1:], true
	}
	host, port, hasPort := auth, "", false
	inside := false
	for i := 0; i < len(auth) && !hasPort; i++ {
		switch auth[i] {
		case '[':
			inside = true
		case ']':
			inside = false
		case ':':
			if !inside {
				host, port, hasPort = auth[:i], auth[i+1:], true
			}
		}
	}
	if host == "" && (userinfo || hasPort) {
		return "no host"
	}
	if strings.HasPrefix(host, "[") {
		if !strings.HasSuffix(host, "]") {
			return "unclosed IPv6 address"
		}
		if _, ok := parseIPv6(host[1 : len(host)-1]); !ok {
			return "invalid IPv6 address"
		}
	} else if strings.ContainsFunc(host, isForbiddenHostRune) {
		return "forbidden code point in the host"
	}
	_, why := parsePort(port)
	return why
}

// parsePort parses the digits of a port ("" is no port, 0 here).
func parsePort(s string) (int, string) {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, "invalid port"
		}
		if n = n*10 + int(c-'0'); n > 65535 {
			return 0, "port out of range"
		}
	}
	return n, ""
}
