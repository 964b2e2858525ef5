package messages_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type withCallback struct {
	Name     string
	Callback func()
}
type withChan struct{ C chan int }
type withUnexported struct {
	Public  int
	private int //lint:ignore U1000 the unexported field under test
}
type holderOf struct{ Items []any }
type mapKey string

// sliceTransferable claims to be transferable but cannot be compared, so
// it could never be found in the value.
type sliceTransferable []int

func (sliceTransferable) Detached() bool { return false }

func TestDataCloneErrors(t *testing.T) {
	detached := messages.NewArrayBuffer([]byte("x"))
	_, err := messages.StructuredClone(nil, detached)
	require.NoError(t, err)
	require.True(t, detached.Detached())

	type cse struct {
		name     string
		in       any
		transfer func() []messages.Transferable
		path     string // exact, "" for the root
		// pathSuffix replaces path when the path holds an address
		pathSuffix string
		typ        string
		reason     string
	}
	tests := []cse{
		{name: "func at root", in: func() {}, path: "", typ: "func()", reason: "func values cannot be cloned"},
		{name: "func in struct in slice", in: holderOf{Items: []any{1, 2, 3, withCallback{Callback: func() {}}}},
			path: ".Items[3].Callback", typ: "func()", reason: "func values cannot be cloned"},
		{name: "nil func field is still a func", in: withCallback{}, path: ".Callback", typ: "func()"},
		{name: "channel", in: map[string]any{"c": make(chan int)}, path: `["c"]`, typ: "chan int", reason: "channels cannot be cloned"},
		{name: "channel field", in: &withChan{}, path: ".C", typ: "chan int"},
		{name: "unsafe.Pointer", in: []any{unsafe.Pointer(nil)}, path: "[0]", typ: "unsafe.Pointer"},
		{name: "uintptr", in: struct{ P uintptr }{1}, path: ".P", typ: "uintptr", reason: "uintptr values cannot be cloned"},
		{name: "unexported field", in: withUnexported{}, path: ".private", typ: "messages_test.withUnexported", reason: "unexported field private would be lost"},
		{name: "unexported field behind a pointer", in: []any{&withUnexported{}}, path: "[0].private", typ: "messages_test.withUnexported"},
		{name: "Object value", in: func() any { o := messages.NewObject(); o.Set("f", func() {}); return o }(), path: `["f"]`, typ: "func()"},
		{name: "Map key", in: func() any { m := messages.NewMap(); m.Set(make(chan int), 1); return m }(), path: ".keys()[0]", typ: "chan int"},
		{name: "Go map key", in: map[any]int{make(chan int): 1}, pathSuffix: "](key)", typ: "chan int", reason: "channels cannot be cloned"},
		{name: "typed map value, string key quoted", in: map[string]withCallback{"a b": {}}, path: `["a b"].Callback`, typ: "func()"},
		{name: "typed map value, named string key quoted", in: map[mapKey][]func(){"k": {nil}}, path: `["k"][0]`, typ: "func()"},
		{name: "typed map value, int key", in: map[int]func(){7: nil}, path: "[7]", typ: "func()"},
		{name: "func in array", in: [2]any{1, func() {}}, path: "[1]", typ: "func()"},
		{name: "func in slice of funcs", in: []func(){func() {}}, path: "[0]", typ: "func()"},
		{name: "empty slice of funcs: refused as a type", in: []func(){}, typ: "func()",
			reason: "the element type of []func() cannot be cloned: func values cannot be cloned"},
		{name: "nil map with uintptr keys", in: map[uintptr]string(nil), typ: "uintptr", reason: "the element type of map[uintptr]string"},
		{name: "empty map of channels in any", in: []any{map[string]chan int{}}, path: "[0]", typ: "chan int"},
		{name: "zero-length array of unsafe.Pointer", in: [0]unsafe.Pointer{}, typ: "unsafe.Pointer"},
		{name: "nil slice field of structs with unexported fields", in: struct{ L []withUnexported }{}, path: ".L.private",
			typ: "messages_test.withUnexported", reason: "unexported field private would be lost"},
		{name: "detached ArrayBuffer in value", in: []any{"a", detached}, path: "[1]", typ: "*messages.ArrayBuffer", reason: "detached ArrayBuffer"},
		{name: "view over detached buffer", in: func() any {
			b := messages.NewArrayBuffer(make([]byte, 4))
			v, _ := messages.NewDataView(b, 0, 4)
			_, _ = messages.StructuredClone(nil, b)
			return map[string]any{"v": v}
		}(), path: `["v"]`, typ: "*messages.DataView", reason: "detached ArrayBuffer"},
		{name: "zero-value view", in: []any{&messages.DataView{}}, path: "[0]", typ: "*messages.DataView", reason: "without an ArrayBuffer"},
		{name: "zero-value typed array", in: []any{&messages.TypedArray{}}, path: "[0]", typ: "*messages.TypedArray", reason: "invalid kind"},
		{name: "detached ArrayBuffer in a struct field", in: struct{ Buf *messages.ArrayBuffer }{detached}, path: ".Buf",
			typ: "*messages.ArrayBuffer", reason: "detached ArrayBuffer"},
		{name: "detached ArrayBuffer held by value", in: struct{ Buf messages.ArrayBuffer }{*detached}, path: ".Buf",
			typ: "*messages.ArrayBuffer", reason: "detached ArrayBuffer"},
		{name: "typed array over a detached buffer", in: func() any {
			b := messages.NewArrayBuffer(make([]byte, 4))
			v, _ := messages.NewTypedArray(messages.Int16, b, 2, 1)
			_, _ = messages.StructuredClone(nil, b)
			return struct{ V *messages.TypedArray }{v}
		}(), path: ".V", typ: "*messages.TypedArray", reason: "detached ArrayBuffer"},
		{name: "func as a Map value", in: func() any { m := messages.NewMap(); m.Set("k", func() {}); return m }(), path: `.get("k")`, typ: "func()"},
		{name: "transferable as a Set value", in: func() any { s := messages.NewSet(); s.Add(1); s.Add(&fakePort{}); return s }(),
			path: ".keys()[1]", typ: "*messages_test.fakePort", reason: "must be in the transfer list"},
		{name: "unexported field behind map[string]any", in: map[string]any{"k": withUnexported{}}, path: `["k"].private`,
			typ: "messages_test.withUnexported"},
		{name: "deep path through maps, slices and Objects", in: map[string]any{"a": []any{0, func() any {
			o := messages.NewObject()
			o.Set("f", make(chan int))
			return o
		}()}}, path: `["a"][1]["f"]`, typ: "chan int"},
		{name: "external transferable not in the list", in: struct{ Port *fakePort }{&fakePort{}}, path: ".Port",
			typ: "*messages_test.fakePort", reason: "transferable *messages_test.fakePort must be in the transfer list"},
		{name: "external transferable in any not in the list", in: []any{&fakePort{}}, path: "[0]", typ: "*messages_test.fakePort"},
		{name: "nil transfer entry", transfer: func() []messages.Transferable { return []messages.Transferable{nil} },
			path: "transfer[0]", reason: "nil"},
		{name: "typed nil transfer entry", transfer: func() []messages.Transferable {
			return []messages.Transferable{messages.NewArrayBuffer(nil), (*messages.ArrayBuffer)(nil)}
		}, path: "transfer[1]", typ: "*messages.ArrayBuffer", reason: "nil"},
		{name: "duplicate transfer entry", transfer: func() []messages.Transferable {
			b := messages.NewArrayBuffer([]byte("d"))
			return []messages.Transferable{b, messages.NewArrayBuffer(nil), b}
		}, path: "transfer[2]", typ: "*messages.ArrayBuffer", reason: "also at transfer[0]"},
		{name: "detached transfer entry", transfer: func() []messages.Transferable {
			return []messages.Transferable{messages.NewArrayBuffer(nil), detached}
		}, path: "transfer[1]", typ: "*messages.ArrayBuffer", reason: "already detached"},
		{name: "transfer entry that cannot be compared", transfer: func() []messages.Transferable {
			return []messages.Transferable{sliceTransferable{1}}
		}, path: "transfer[0]", typ: "messages_test.sliceTransferable", reason: "comparable"},
		{name: "detached external transfer entry", transfer: func() []messages.Transferable {
			return []messages.Transferable{&fakePort{detached: true}}
		}, path: "transfer[0]", typ: "*messages_test.fakePort", reason: "already detached"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Every case also lists a fresh buffer (a bystander) and, in a
			// second variant, one that the value refers to: after the
			// failure neither may be detached.
			for _, wrapped := range []bool{false, true} {
				bystander := messages.NewArrayBuffer([]byte("keep"))
				referenced := messages.NewArrayBuffer([]byte("used"))
				in, path := tc.in, tc.path
				transfer := []messages.Transferable{bystander}
				if wrapped {
					view, err := messages.NewTypedArray(messages.Uint8, referenced, 1, 2)
					require.NoError(t, err)
					in = []any{tc.in, referenced, view}
					transfer = append(transfer, referenced)
					if tc.transfer == nil {
						path = "[0]" + path
					}
				}
				if tc.transfer != nil {
					transfer = append(tc.transfer(), transfer...)
				}
				for how, clone := range map[string]func() error{
					"Serialize": func() error { _, err := messages.Serialize(in, transfer...); return err },
					"StructuredClone": func() error {
						_, err := messages.StructuredClone(in, transfer...)
						return err
					},
				} {
					if wrapped {
						how += " (wrapped)"
					}
					err := clone()
					require.Error(t, err, how)
					assert.ErrorIs(t, err, messages.ErrDataClone, how)
					assert.True(t, strings.HasPrefix(err.Error(), "messages: "), how)
					var dce *messages.DataCloneError
					require.True(t, errors.As(err, &dce), how)
					if tc.pathSuffix != "" {
						assert.True(t, strings.HasSuffix(dce.Path, tc.pathSuffix), "%s: path %q", how, dce.Path)
					} else {
						assert.Equal(t, path, dce.Path, how)
					}
					if dce.Path != "" {
						assert.Contains(t, err.Error(), " at "+dce.Path, how)
					}
					if tc.typ != "" {
						require.NotNil(t, dce.Type, how)
						assert.Equal(t, tc.typ, dce.Type.String(), how)
						assert.Contains(t, err.Error(), "(type "+tc.typ+")", how)
					}
					assert.Contains(t, err.Error(), tc.reason, how)
					for _, b := range []*messages.ArrayBuffer{bystander, referenced} {
						assert.False(t, b.Detached(), "%s: nothing may be detached", how)
						assert.Equal(t, 4, b.ByteLength(), how)
					}
				}
			}
		})
	}
}

func TestErrorTypes(t *testing.T) {
	longPath := strings.Repeat("[0]", 90) + strings.Repeat("[1]", 20) // 330 bytes
	tests := []struct {
		name string
		err  error
		want string
		is   error
	}{
		{"full", &messages.DataCloneError{Path: ".A[1]", Type: reflect.TypeFor[func()](), Reason: "func values cannot be cloned"},
			"messages: DataCloneError: func values cannot be cloned at .A[1] (type func())", messages.ErrDataClone},
		{"empty", &messages.DataCloneError{}, "messages: DataCloneError", messages.ErrDataClone},
		{"path only", &messages.DataCloneError{Path: "transfer[0]"}, "messages: DataCloneError at transfer[0]", messages.ErrDataClone},
		{"with cause", &messages.DataCloneError{Reason: "marshaling failed", Err: errors.New("x")},
			"messages: DataCloneError: marshaling failed: x", messages.ErrDataClone},
		{"long path", &messages.DataCloneError{Path: longPath, Reason: "too deep"},
			"messages: DataCloneError: too deep at " + longPath[:100] + "…(130 bytes)…" + longPath[230:], messages.ErrDataClone},
		{"long path cut before a code point", &messages.DataCloneError{Path: strings.Repeat("x", 99) + "é" + strings.Repeat("y", 200)},
			"messages: DataCloneError at " + strings.Repeat("x", 99) + "…(102 bytes)…" + strings.Repeat("y", 100), messages.ErrDataClone},
		{"a path of 240 bytes", &messages.DataCloneError{Path: strings.Repeat("[0]", 80)},
			"messages: DataCloneError at " + strings.Repeat("[0]", 80), messages.ErrDataClone},
		{"dom exception", &messages.DOMException{Name: "InvalidStateError", Message: "port closed"},
			"messages: InvalidStateError: port closed", messages.ErrInvalidState},
		{"dom exception without message", &messages.DOMException{Name: "SyntaxError"}, "messages: SyntaxError", messages.ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
			assert.ErrorIs(t, tc.err, tc.is)
			for _, other := range []error{messages.ErrDataClone, messages.ErrInvalidState, messages.ErrSyntax} {
				if other != tc.is {
					assert.NotErrorIs(t, tc.err, other)
				}
			}
		})
	}
}

// A value nested deeper than the limit fails with the whole path, every
// level's component in order.
func TestDeepValueFailsWithItsWholePath(t *testing.T) {
	var v any = "leaf"
	for i := 10005; i > 0; i-- {
		v = map[string]any{"k" + strconv.Itoa(i-1): v}
	}
	_, err := messages.Serialize(v)
	var dce *messages.DataCloneError
	require.ErrorAs(t, err, &dce)
	n := strings.Count(dce.Path, `["k`)
	require.Greater(t, n, 9000, "the path reaches near the depth limit")
	var want strings.Builder
	for i := range n {
		want.WriteString(`["k` + strconv.Itoa(i) + `"]`)
	}
	assert.Equal(t, want.String(), dce.Path)
}
