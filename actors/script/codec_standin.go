package script

// A stand-in for the structured clone codec (clone*.go), used only while
// newCodec is nil: plain objects, arrays and primitives copied through Go
// values, ports only in the transfer list (not inside the value). The
// lead deletes this file when the real codec is merged.

import (
	"fmt"
	"math/big"
	"reflect"
	"strconv"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/messages"
	"github.com/entangle-go/entangle/ports"
)

func init() { fallbackCodec = newStandinCodec }

type standinCodec struct {
	rt   *goja.Runtime
	host portHost
}

func newStandinCodec(rt *goja.Runtime, _ *goja.Object, host portHost) codec {
	return &standinCodec{rt: rt, host: host}
}

func standinError(path, reason string) error {
	return &messages.DataCloneError{Path: path, Reason: reason}
}

func (c *standinCodec) serialize(v goja.Value, transfer []goja.Value) (*serialized, error) {
	var objs []*goja.Object
	var ps []*ports.MessagePort
	for i, t := range transfer {
		o, _ := t.(*goja.Object)
		if o == nil {
			return nil, standinError(fmt.Sprintf("transfer[%d]", i), "not a transferable object")
		}
		p, ok := c.host.portOf(o)
		if !ok {
			return nil, standinError(fmt.Sprintf("transfer[%d]", i), "the stand-in codec transfers MessagePorts only")
		}
		if p == nil {
			return nil, standinError(fmt.Sprintf("transfer[%d]", i), "the MessagePort is detached")
		}
		for _, q := range objs {
			if q == o {
				return nil, standinError(fmt.Sprintf("transfer[%d]", i), "the MessagePort is listed twice")
			}
		}
		objs = append(objs, o)
		ps = append(ps, p)
	}
	g, err := c.export(v, "", 0)
	if err != nil {
		return nil, err
	}
	rec, err := messages.Serialize(g, transferables(ps)...)
	if err != nil {
		return nil, err
	}
	return &serialized{Record: rec, Ports: ps, commitFn: func() {
		for _, o := range objs {
			c.host.detachPort(o)
		}
	}}, nil
}

func (c *standinCodec) export(v goja.Value, path string, depth int) (any, error) {
	if depth > 1000 {
		return nil, standinError(path, "too deep (the stand-in codec has no cycles)")
	}
	switch {
	case v == nil || goja.IsUndefined(v):
		return messages.Undefined, nil
	case goja.IsNull(v):
		return nil, nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		switch x := v.Export().(type) {
		case bool, string:
			return x, nil
		case *big.Int:
			return x, nil
		}
		if _, isSym := v.(*goja.Symbol); isSym {
			return nil, standinError(path, "a Symbol cannot be cloned")
		}
		return v.ToFloat(), nil
	}
	if _, isFn := goja.AssertFunction(o); isFn {
		return nil, standinError(path, "a function cannot be cloned")
	}
	if _, isPort := c.host.portOf(o); isPort {
		return nil, standinError(path, "the stand-in codec cannot clone a MessagePort inside the value")
	}
	if o.ClassName() == "Array" {
		n := int(o.Get("length").ToInteger())
		out := make([]any, n)
		for i := range n {
			e, err := c.export(o.Get(strconv.Itoa(i)), fmt.Sprintf("%s[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	obj := messages.NewObject()
	for _, k := range o.Keys() {
		e, err := c.export(o.Get(k), path+"."+k, depth+1)
		if err != nil {
			return nil, err
		}
		obj.Set(k, e)
	}
	return obj, nil
}

func (c *standinCodec) deserialize(rec *messages.Record, ps []*ports.MessagePort) (goja.Value, error) {
	defer rec.Release()
	var opts []messages.DeserializeOption
	if len(ps) > 0 {
		opts = append(opts, messages.WithTransferred(transferables(ps)...))
	}
	v, err := messages.Deserialize(rec, opts...)
	if err != nil {
		return nil, err
	}
	return c.fromGo(v)
}

func (c *standinCodec) fromGo(v any) (goja.Value, error) {
	switch x := v.(type) {
	case nil:
		return goja.Null(), nil
	case messages.UndefinedType:
		return goja.Undefined(), nil
	case bool, string, float64, float32:
		return c.rt.ToValue(x), nil
	case *ports.MessagePort:
		return c.host.adoptPort(x), nil
	case *messages.Object:
		o := c.rt.NewObject()
		for k, e := range x.All() {
			jv, err := c.fromGo(e)
			if err != nil {
				return nil, err
			}
			_ = o.Set(k, jv)
		}
		return o, nil
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			jv, err := c.fromGo(e)
			if err != nil {
				return nil, err
			}
			items[i] = jv
		}
		return c.rt.NewArray(items...), nil
	}
	return c.reflectGo(reflect.ValueOf(v))
}

func (c *standinCodec) reflectGo(rv reflect.Value) (goja.Value, error) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return goja.Null(), nil
		}
		return c.fromGo(rv.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := rv.Int()
		if n > 1<<53 || n < -(1<<53) {
			return c.rt.ToValue(big.NewInt(n)), nil
		}
		return c.rt.ToValue(float64(n)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n := rv.Uint()
		if n > 1<<53 {
			return c.rt.ToValue(new(big.Int).SetUint64(n)), nil
		}
		return c.rt.ToValue(float64(n)), nil
	case reflect.Float32, reflect.Float64:
		return c.rt.ToValue(rv.Float()), nil
	case reflect.String:
		return c.rt.ToValue(rv.String()), nil
	case reflect.Bool:
		return c.rt.ToValue(rv.Bool()), nil
	case reflect.Slice, reflect.Array:
		items := make([]any, rv.Len())
		for i := range items {
			jv, err := c.fromGo(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			items[i] = jv
		}
		return c.rt.NewArray(items...), nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		o := c.rt.NewObject()
		for _, k := range rv.MapKeys() {
			jv, err := c.fromGo(rv.MapIndex(k).Interface())
			if err != nil {
				return nil, err
			}
			_ = o.Set(k.String(), jv)
		}
		return o, nil
	case reflect.Struct:
		o := c.rt.NewObject()
		t := rv.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			jv, err := c.fromGo(rv.Field(i).Interface())
			if err != nil {
				return nil, err
			}
			_ = o.Set(f.Name, jv)
		}
		return o, nil
	}
	return nil, standinError("", "the stand-in codec cannot rebuild a "+rv.Type().String())
}
