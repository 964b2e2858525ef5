package script

import (
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// Strings cross the codec as WTF-8 (see internal/jsrec): UTF-8 in which a
// lone surrogate (U+D800 to U+DFFF, unpaired) is written as its three-byte
// generalized UTF-8 form. A JavaScript string is a sequence of UTF-16 units
// of which any may be a lone surrogate; WTF-8 keeps every such sequence
// exactly, where a plain Go string (goja's Export, String) replaces lone
// surrogates by U+FFFD.

// asciiStringType is the dynamic type of goja's ASCII-only strings, whose
// String method returns them unchanged without allocating.
var asciiStringType = reflect.TypeOf(goja.New().ToValue("a"))

// appendWTF8 appends the WTF-8 form of the UTF-16 units u to b.
func appendWTF8(b []byte, u []uint16) []byte {
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if c >= 0xD800 && c <= 0xDBFF && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
			c = 0x10000 + (c-0xD800)<<10 + (rune(u[i+1]) - 0xDC00)
			i++
		}
		b = appendWTF8Rune(b, c)
	}
	return b
}

// appendWTF8Rune appends c (any code point up to U+10FFFF, surrogates
// included) in generalized UTF-8.
func appendWTF8Rune(b []byte, c rune) []byte {
	switch {
	case c < 0x80:
		return append(b, byte(c))
	case c < 0x800:
		return append(b, 0xC0|byte(c>>6), 0x80|byte(c)&0x3F)
	case c < 0x10000:
		return append(b, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
	default:
		return append(b, 0xF0|byte(c>>18), 0x80|byte(c>>12)&0x3F, 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
	}
}

// utf16ToWTF8 returns the WTF-8 form of the UTF-16 units u.
func utf16ToWTF8(u []uint16) string {
	return string(appendWTF8(make([]byte, 0, len(u)+len(u)/2), u))
}

// wtf8ToUTF16 returns the UTF-16 units of the WTF-8 string s. It never
// fails: a byte that does not start a well-formed generalized UTF-8
// sequence (a stray continuation byte, a truncated or overlong sequence, a
// code point above U+10FFFF) becomes U+FFFD, one per byte.
func wtf8ToUTF16(s string) []uint16 {
	u := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		c, n := decodeWTF8(s[i:])
		i += n
		if c >= 0x10000 {
			c -= 0x10000
			u = append(u, uint16(0xD800+c>>10), uint16(0xDC00+c&0x3FF))
			continue
		}
		u = append(u, uint16(c))
	}
	return u
}

// decodeWTF8 decodes the first code point of s (non-empty), surrogates
// included, and returns it with its length in bytes; an ill-formed first
// byte gives U+FFFD and 1.
func decodeWTF8(s string) (rune, int) {
	b0 := s[0]
	switch {
	case b0 < 0x80:
		return rune(b0), 1
	case b0 >= 0xC2 && b0 < 0xE0:
		if len(s) >= 2 && wtf8Cont(s[1]) {
			return rune(b0&0x1F)<<6 | rune(s[1]&0x3F), 2
		}
	case b0 >= 0xE0 && b0 < 0xF0:
		if len(s) >= 3 && wtf8Cont(s[1]) && wtf8Cont(s[2]) {
			c := rune(b0&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)
			if c >= 0x800 {
				return c, 3
			}
		}
	case b0 >= 0xF0 && b0 < 0xF5:
		if len(s) >= 4 && wtf8Cont(s[1]) && wtf8Cont(s[2]) && wtf8Cont(s[3]) {
			c := rune(b0&0x07)<<18 | rune(s[1]&0x3F)<<12 | rune(s[2]&0x3F)<<6 | rune(s[3]&0x3F)
			if c >= 0x10000 && c <= 0x10FFFF {
				return c, 4
			}
		}
	}
	return utf8.RuneError, 1
}

func wtf8Cont(b byte) bool { return b&0xC0 == 0x80 }

// wtf8Of returns the WTF-8 form of the JavaScript string s, without
// allocating when s is ASCII.
func wtf8Of(s goja.String) string {
	if reflect.TypeOf(s) == asciiStringType {
		return s.String()
	}
	n := s.Length()
	b := make([]byte, 0, n+n/2)
	for i := 0; i < n; i++ {
		c := rune(s.CharAt(i))
		if c >= 0xD800 && c <= 0xDBFF && i+1 < n {
			if d := rune(s.CharAt(i + 1)); d >= 0xDC00 && d <= 0xDFFF {
				c = 0x10000 + (c-0xD800)<<10 + (d - 0xDC00)
				i++
			}
		}
		b = appendWTF8Rune(b, c)
	}
	return string(b)
}

// jsString returns the JavaScript string whose WTF-8 form is s.
func jsString(rt *goja.Runtime, s string) goja.String {
	if utf8.ValidString(s) {
		return rt.ToValue(s).(goja.String)
	}
	return goja.StringFromUTF16(wtf8ToUTF16(s))
}

// lossyKey reports whether k, a property name goja gave as a Go string,
// may stand for a name with lone surrogates (which goja turns into
// U+FFFD).
func lossyKey(k string) bool {
	return strings.ContainsRune(k, utf8.RuneError)
}

// toWTF8 returns the WTF-8 form of ToString(v) (which may run a script's
// toString and throw).
func toWTF8(v goja.Value) string {
	if s, ok := v.ToString().(goja.String); ok {
		return wtf8Of(s)
	}
	return v.String()
}
