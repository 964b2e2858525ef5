package script

import (
	"strconv"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// container rebuilds an Array or an Object: the object first (its children
// may refer to it), then its properties.
func (d *deserializer) container(n *jsrec.Node) (goja.Value, error) {
	rt := d.c.rt
	var o *goja.Object
	if n.Kind == jsrec.Array {
		o = rt.NewArray()
		if n.Length > 0 {
			if err := o.Set("length", n.Length); err != nil {
				return nil, err
			}
		}
	} else {
		o = rt.NewObject()
	}
	if err := d.put(n.ID, o); err != nil {
		return nil, err
	}
	if n.Kind == jsrec.Array && n.Dense {
		for i := 0; i < n.Count; i++ {
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			if err := o.DefineDataProperty(strconv.Itoa(i), v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
				return nil, err
			}
		}
		return o, nil
	}
	for i := 0; i < n.Count; i++ {
		k, err := d.key()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		if err := d.define(o, k, v); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// collection rebuilds a Map or a Set through the captured constructor and
// set/add, so that a script's changes to Map.prototype do not run.
func (d *deserializer) collection(n *jsrec.Node) (goja.Value, error) {
	in := d.c.in
	ctor, add := in.Set, in.setAdd
	if n.Kind == jsrec.Map {
		ctor, add = in.Map, in.mapSet
	}
	o, err := d.c.rt.New(ctor)
	if err != nil {
		return nil, err
	}
	if err := d.put(n.ID, o); err != nil {
		return nil, err
	}
	for i := 0; i < n.Count; i++ {
		k, err := d.value()
		if err != nil {
			return nil, err
		}
		args := []goja.Value{k}
		if n.Kind == jsrec.Map {
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		if _, err := add(o, args...); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// error rebuilds an Error with the prototype its name says, its message
// (when not empty: a Record does not tell an empty message from none) and
// stack as own non-enumerable properties, and its cause.
func (d *deserializer) error(n *jsrec.Node) (goja.Value, error) {
	rt := d.c.rt
	ctor := d.c.in.errors[n.Str]
	if ctor == nil {
		ctor = d.c.in.errors["Error"]
	}
	o, err := rt.New(ctor)
	if err != nil {
		return nil, err
	}
	if err := d.put(n.ID, o); err != nil {
		return nil, err
	}
	if n.HasMessage {
		if err := d.hidden(o, "message", jsString(rt, n.Message)); err != nil {
			return nil, err
		}
	}
	if n.Stack != "" {
		if err := d.hidden(o, "stack", jsString(rt, n.Stack)); err != nil {
			return nil, err
		}
	}
	if n.HasCause {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		if err := d.hidden(o, "cause", v); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func (d *deserializer) hidden(o *goja.Object, k string, v goja.Value) error {
	return o.DefineDataProperty(k, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// view rebuilds a typed array or a DataView over its buffer (the child
// node: an ArrayBuffer, or a reference to one).
func (d *deserializer) view(n *jsrec.Node) (goja.Value, error) {
	rt := d.c.rt
	buf, err := d.value()
	if err != nil {
		return nil, err
	}
	if b, ok := buf.(*goja.Object); !ok || cloneKindOf(b) != kindArrayBuffer {
		return nil, &messages.DataCloneError{Reason: "record: a view's buffer is not an ArrayBuffer"}
	}
	ctor := d.c.in.DataView
	if n.Kind == jsrec.TypedArray {
		k := messages.ElementKind(n.Elem)
		if !k.Valid() || d.c.in.typed[k] == nil {
			return nil, &messages.DataCloneError{Reason: k.String() + " is not supported in this realm"}
		}
		ctor = d.c.in.typed[k]
	}
	o, err := rt.New(ctor, buf, rt.ToValue(n.Offset), rt.ToValue(n.Length))
	if err != nil {
		return nil, err
	}
	return o, d.put(n.ID, o)
}
