package script

import (
	"math/big"
	"reflect"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/messages"
)

// The fast path of fromGo for the commonest Go messages: a struct (or a
// pointer to one, at the top of the message) whose fields are all exported
// scalars (bools, integers, floats, strings), and a map[string]any whose
// values are all such scalars of Go's own types. It makes the object that the Record path makes (an object
// keyed by the field names as written, in order; an integer a Number when
// it fits in 2^53 exactly, else a BigInt; a string read as WTF-8) without
// serializing the value first. Any other value, and any type that could
// clone otherwise (one with methods, which may marshal it; a type of
// package messages), takes the Record path.

// flatField is one field of a flat struct: its index and its kind.
type flatField struct {
	name  string
	index int
	kind  reflect.Kind
}

// flatPlan is how fromGo reads a flat struct type; nil for a type that is
// not one.
type flatPlan struct {
	fields []flatField
}

// messagesPkg is the path of package messages, whose types clone by
// their own rules.
var messagesPkg = reflect.TypeOf(messages.DataCloneError{}).PkgPath()

// flatPlanOf returns the plan of t, or nil if t is not a flat struct.
func flatPlanOf(t reflect.Type) *flatPlan {
	if t.Kind() != reflect.Struct || t.NumMethod() != 0 || reflect.PointerTo(t).NumMethod() != 0 || t.PkgPath() == messagesPkg {
		return nil
	}
	p := &flatPlan{fields: make([]flatField, 0, t.NumField())}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous || f.Name == "_" || !flatKind(f.Type) {
			return nil
		}
		p.fields = append(p.fields, flatField{name: f.Name, index: i, kind: f.Type.Kind()})
	}
	return p
}

// flatKind reports whether a field of type t is a scalar that clones as
// itself (no methods, not a type of package messages).
func flatKind(t reflect.Type) bool {
	if t.NumMethod() != 0 || reflect.PointerTo(t).NumMethod() != 0 || t.PkgPath() == messagesPkg {
		return false
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// maxExactInt is 2^53: integers up to it in magnitude are Numbers.
const maxExactInt = 1 << 53

// fromFlat makes the object of v by plan p.
func (c *jsCodec) fromFlat(v reflect.Value, p *flatPlan) (goja.Value, error) {
	rt := c.rt
	o := rt.NewObject()
	for _, f := range p.fields {
		fv := v.Field(f.index)
		var x goja.Value
		switch f.kind {
		case reflect.Bool:
			x = rt.ToValue(fv.Bool())
		case reflect.String:
			x = jsString(rt, fv.String())
		case reflect.Float32, reflect.Float64:
			x = rt.ToValue(fv.Float())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			x = intValue(rt, fv.Int())
		default:
			x = uintValue(rt, fv.Uint())
		}
		if err := o.DefineDataProperty(f.name, x, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// flatFor returns the cached plan of t (nil: not flat).
func (c *jsCodec) flatFor(t reflect.Type) *flatPlan {
	p, ok := c.flat[t]
	if !ok {
		p = flatPlanOf(t)
		if c.flat == nil {
			c.flat = make(map[reflect.Type]*flatPlan)
		}
		if len(c.flat) < maxFlatTypes {
			c.flat[t] = p
		}
	}
	return p
}

// maxFlatTypes bounds the types a codec remembers.
const maxFlatTypes = 256

// fromGoFast makes the object of a flat struct, a pointer to one, or a
// map[string]any of scalars; ok is false for any other value (the Record
// path makes it). A lone pointer needs no identity: nothing else in the
// message can refer to it.
func (c *jsCodec) fromGoFast(v any) (goja.Value, bool) {
	if m, ok := v.(map[string]any); ok {
		return c.fromScalarMap(m)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Struct {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, false
	}
	p := c.flatFor(rv.Type())
	if p == nil {
		return nil, false
	}
	o, err := c.fromFlat(rv, p)
	return o, err == nil
}

// fromScalarMap makes the object of a map[string]any whose values are
// bools, strings, or numbers of Go's own numeric types, in the map's
// order (a Go map has none: the Record path takes the same one); ok is
// false if a value is anything else.
func (c *jsCodec) fromScalarMap(m map[string]any) (goja.Value, bool) {
	rt := c.rt
	o := rt.NewObject()
	for k, v := range m {
		if !utf8.ValidString(k) {
			return nil, false // a key with lone surrogates: the Record path defines it
		}
		var x goja.Value
		switch v := v.(type) {
		case bool:
			x = rt.ToValue(v)
		case string:
			x = jsString(rt, v)
		case float64:
			x = rt.ToValue(v)
		case float32:
			x = rt.ToValue(float64(v))
		case int:
			x = intValue(rt, int64(v))
		case int64:
			x = intValue(rt, v)
		case int32:
			x = intValue(rt, int64(v))
		case int16:
			x = intValue(rt, int64(v))
		case int8:
			x = intValue(rt, int64(v))
		case uint8:
			x = uintValue(rt, uint64(v))
		case uint16:
			x = uintValue(rt, uint64(v))
		case uint32:
			x = uintValue(rt, uint64(v))
		case uint:
			x = uintValue(rt, uint64(v))
		case uint64:
			x = uintValue(rt, v)
		default:
			return nil, false
		}
		if err := o.DefineDataProperty(k, x, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return nil, false
		}
	}
	return o, true
}

// intValue is a Go integer in JavaScript: a Number when it fits in 2^53
// exactly, else a BigInt.
func intValue(rt *goja.Runtime, i int64) goja.Value {
	if i >= -maxExactInt && i <= maxExactInt {
		return rt.ToValue(float64(i))
	}
	return rt.ToValue(big.NewInt(i))
}

// uintValue is intValue for an unsigned integer.
func uintValue(rt *goja.Runtime, u uint64) goja.Value {
	if u <= maxExactInt {
		return rt.ToValue(float64(u))
	}
	return rt.ToValue(new(big.Int).SetUint64(u))
}
