package script

import (
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWTF8(t *testing.T) {
	cases := []struct {
		name  string
		units []uint16
		wtf8  string
	}{
		{"empty", nil, ""},
		{"ascii", []uint16{'a', 0, 'z'}, "a\x00z"},
		{"two and three bytes", []uint16{0xE9, 0x20AC}, "é€"},
		{"pair", []uint16{0xD83D, 0xDE00}, "😀"},
		{"lone high", []uint16{0xD800}, "\xED\xA0\x80"},
		{"lone low", []uint16{0xDC00}, "\xED\xB0\x80"},
		{"reversed pair", []uint16{0xDC00, 0xD800}, "\xED\xB0\x80\xED\xA0\x80"},
		{"high then char", []uint16{0xDBFF, 'x', 0xDFFF}, "\xED\xAF\xBFx\xED\xBF\xBF"},
	}
	rt := goja.New()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.wtf8, utf16ToWTF8(tc.units))
			assert.Equal(t, tc.units, nonNilUnits(wtf8ToUTF16(tc.wtf8)))
			s := goja.StringFromUTF16(tc.units)
			assert.Equal(t, tc.wtf8, wtf8Of(s))
			back := jsString(rt, tc.wtf8)
			assert.True(t, back.SameAs(s), "jsString gives the same JavaScript string")
		})
	}
}

func nonNilUnits(u []uint16) []uint16 {
	if len(u) == 0 {
		return nil
	}
	return u
}

func TestWTF8IllFormed(t *testing.T) {
	for _, s := range []string{"\xff", "\xC0\x80", "\xE0\x80\x80", "\xF4\x90\x80\x80", "\xED\xA0", "a\x80b"} {
		u := wtf8ToUTF16(s)
		assert.Contains(t, u, uint16(0xFFFD), "%q", s)
	}
}

// FuzzWTF8: any UTF-16 survives WTF-8 and back, agrees with UTF-8 where
// UTF-8 can hold it, and no bytes make the decoder panic.
func FuzzWTF8(f *testing.F) {
	f.Add([]byte{0x00, 0xD8, 0x41, 0x00}, "\xED\xA0\x80")
	f.Add([]byte{0x3D, 0xD8, 0x00, 0xDE}, "😀")
	f.Add([]byte{}, "\xff\xfe")
	f.Fuzz(func(t *testing.T, raw []byte, s string) {
		units := make([]uint16, len(raw)/2)
		for i := range units {
			units[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
		}
		w := utf16ToWTF8(units)
		require.Equal(t, nonNilUnits(units), nonNilUnits(wtf8ToUTF16(w)))
		if utf8.ValidString(w) {
			require.Equal(t, string(utf16.Decode(units)), w)
		}
		require.Equal(t, w, wtf8Of(goja.StringFromUTF16(units)))
		u := wtf8ToUTF16(s) // never panics
		if utf8.ValidString(s) {
			require.Equal(t, utf16.Encode([]rune(s)), u)
		}
	})
}
