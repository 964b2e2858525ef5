package messages

import (
	"fmt"
	"reflect"
	"sync"

	"google.golang.org/protobuf/proto"
)

// The registry names the Go types that travel in binary records, like
// gob.Register. A named type that sits at an interface position (the root
// value, an any or error field, an element of []any, ...) is recorded by
// name; the receiving node must have registered a type under that name.

var registry = struct {
	mu     sync.RWMutex
	byName map[string]reflect.Type
	byType map[reflect.Type]string
}{byName: map[string]reflect.Type{}, byType: map[reflect.Type]string{}}

// Register records that the Go type of example travels under name in
// binary records. A record naming a type decodes into the type registered
// under that name on the decoding node, matching struct fields by name, so
// both sides must register the same name (the types may differ between
// builds). A pointer example registers the type it points to, which is how
// a named interface type is registered: Register("app.Shape",
// (*Shape)(nil)) lets a []Shape or map[string]Shape held in an any cross
// nodes. proto.Message is registered already.
//
// Register panics when name is empty, when example is nil or of an unnamed
// type (unnamed types are described structurally and need no registration)
// or of a type with a built-in encoding, and when name is already used by
// another type or the type is already registered under another name.
// Registering the same type under the same name again does nothing.
func Register(name string, example any) {
	if name == "" {
		panic("messages: Register with an empty name")
	}
	t := registrationType(example)
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if old, ok := registry.byName[name]; ok && old != t {
		panic(fmt.Sprintf("messages: Register: name %q already used by %v, cannot register %v", name, old, t))
	}
	if old, ok := registry.byType[t]; ok && old != name {
		panic(fmt.Sprintf("messages: Register: type %v already registered as %q, cannot register it as %q", t, old, name))
	}
	registry.byName[name] = t
	registry.byType[t] = name
	registryGen.Add(1)
}

func init() {
	RegisterType((*proto.Message)(nil))
}

// RegisterType registers the type of example under its default name,
// TypeName(example).
func RegisterType(example any) {
	Register(defaultName(registrationType(example)), example)
}

// TypeName returns the name under which the type of v travels in binary
// records: its registered name, or else its package path, a dot and its
// name (e.g. "github.com/acme/app/orders.Order"). It returns "" for nil and
// for unnamed types.
func TypeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil || t.Name() == "" {
		return ""
	}
	return nameOf(t)
}

func registrationType(example any) reflect.Type {
	t := reflect.TypeOf(example)
	if t == nil {
		panic("messages: Register with a nil example")
	}
	if t.Kind() == reflect.Pointer && t.Name() == "" {
		t = t.Elem()
	}
	if t.Name() == "" {
		panic(fmt.Sprintf("messages: Register: type %v is unnamed; unnamed types need no registration", t))
	}
	if _, ok := builtinIDs[t]; ok {
		panic(fmt.Sprintf("messages: Register: type %v has a built-in encoding and needs no registration", t))
	}
	return t
}

func defaultName(t reflect.Type) string {
	if t.PkgPath() == "" {
		return t.Name()
	}
	return t.PkgPath() + "." + t.Name()
}

// nameOf returns the name a named type travels under.
func nameOf(t reflect.Type) string {
	registry.mu.RLock()
	name, ok := registry.byType[t]
	registry.mu.RUnlock()
	if ok {
		return name
	}
	return defaultName(t)
}

// typeByName returns the type registered under name.
func typeByName(name string) (reflect.Type, bool) {
	registry.mu.RLock()
	defer registry.mu.RUnlock()
	t, ok := registry.byName[name]
	return t, ok
}
