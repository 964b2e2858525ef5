// Package origin is the web's origin as a value type, like net/netip's
// Addr: Parse reads one from an origin or URL string the way the URL
// Standard's parser does, String serializes it, SameOrigin compares two,
// and Opaque makes an opaque origin (a sandboxed context's), which
// serializes as "null" and is the same origin only as itself.
//
// An Origin is a small comparable value; copy it freely. The zero Origin is
// no origin: it is the same origin as nothing, not even itself.
//
// # How it follows the URL Standard
//
// Parse applies the parts of the URL Standard's basic URL parser that make
// a URL's origin, without a base URL:
//
//   - origin.go: the Origin type, Parse, MustParse, Opaque, String and
//     SameOrigin; which schemes have a tuple origin (http, https, ws, wss,
//     ftp) and their default ports.
//   - parse.go: from the input string to scheme, host and port: leading
//     and trailing C0 controls and spaces are stripped, tabs and newlines
//     removed, the scheme lower-cased, missing slashes or backslashes of a
//     special URL accepted, userinfo, path, query and fragment skipped; a
//     blob: URL has the origin of the http(s) URL its path serializes to
//     (C0 controls and non-ASCII percent-encoded, and a space before its
//     query or fragment written as %20), and any other
//     scheme gives a new opaque origin once its authority (if any: userinfo,
//     host and port) is checked.
//   - host.go: the host parser: percent-decoding, domain to ASCII (UTS
//     #46 through golang.org/x/net/idna, not strict, as the standard calls
//     it; a label of more than 1,024 code points that needs Punycode is
//     refused, since x/net/idna cannot check it when it is parsed again,
//     and so is an "xn--" label whose Punycode decodes to nothing or to
//     ASCII only, an error since Unicode 15.1 that x/net/idna v0.21.0
//     does not check), forbidden host and domain code points.
//   - ip.go: IPv4 hosts in any of their number forms (decimal, octal,
//     hexadecimal, one to four parts) serialized as dotted decimal, and
//     IPv6 hosts serialized in their compressed form.
//
// Errors match messages.ErrSyntax with errors.Is.
package origin
