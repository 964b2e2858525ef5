package script

import (
	"fmt"
	"reflect"

	"github.com/dop251/goja"
)

func init() {
	newCodec = func(rt *goja.Runtime, internal *goja.Object, host portHost) codec {
		return newJSCodec(rt, internal, host)
	}
}

// jsCodec is a realm's structured clone: the HTML Standard's
// StructuredSerializeWithTransfer and StructuredDeserialize for the values
// of one goja runtime, through the Records of package messages (written
// and read through internal/jsrec). Everything it creates comes from the
// intrinsics it captured when it was made, before any user script ran, so
// a script that replaces globalThis.Map or Map.prototype.set changes
// nothing here.
type jsCodec struct {
	rt   *goja.Runtime
	host portHost
	in   *intrinsics

	// blobData and makeBlob are internal.blobData and internal.makeBlob
	// (js/40-blob.js); isPlatform is internal.isPlatformObject, which the
	// realm may define to refuse its other platform objects. Each may be
	// nil. The codec defines internal.isArrayBuffer(v) for js/40-blob.js.
	blobData, makeBlob, isPlatform goja.Callable

	objectProto *goja.Object // %Object.prototype%

	// collect receives the entries of a Map or Set that forEach reports;
	// collector is the native function doing it.
	collect   []goja.Value
	collector goja.Value

	free  *serializer   // a serializer to reuse (serialize may nest)
	dfree *deserializer // a deserializer to reuse (likewise)

	flat map[reflect.Type]*flatPlan // fromGo's plans of struct types (nil: not flat)
}

func newJSCodec(rt *goja.Runtime, internal *goja.Object, host portHost) *jsCodec {
	c := &jsCodec{rt: rt, host: host, in: captureIntrinsics(rt)}
	c.objectProto = rt.NewObject().Prototype()
	if internal != nil {
		c.blobData = callableProp(internal, "blobData")
		c.makeBlob = callableProp(internal, "makeBlob")
		c.isPlatform = callableProp(internal, "isPlatformObject")
		// js/40-blob.js uses the codec's exact brand check for
		// ArrayBuffers, which runs no script code.
		_ = internal.Set("isArrayBuffer", func(call goja.FunctionCall) goja.Value {
			o, ok := call.Argument(0).(*goja.Object)
			return rt.ToValue(ok && cloneKindOf(o) == kindArrayBuffer)
		})
	}
	c.collector = rt.ToValue(func(call goja.FunctionCall) goja.Value {
		// forEach calls back with (value, key, collection).
		c.collect = append(c.collect, call.Argument(1), call.Argument(0))
		return goja.Undefined()
	})
	return c
}

// callableProp returns o[name] if it is a function, else nil.
func callableProp(o *goja.Object, name string) goja.Callable {
	f, ok := goja.AssertFunction(o.Get(name))
	if !ok {
		return nil
	}
	return f
}

// entries returns a snapshot of the entries of the Map or Set o, each as a
// (key, value) pair (a Set's key and value are the same), through the
// captured forEach, which runs no script code.
func (c *jsCodec) entries(o *goja.Object, forEach goja.Callable) ([]goja.Value, error) {
	start := len(c.collect)
	if _, err := forEach(o, c.collector); err != nil {
		c.collect = c.collect[:start]
		return nil, err
	}
	out := make([]goja.Value, len(c.collect)-start)
	copy(out, c.collect[start:])
	clear(c.collect[start:])
	c.collect = c.collect[:start]
	return out, nil
}

// call calls f with this and args, panicking with the exception if it
// throws (the serializer and deserializer run inside Runtime.Try).
func mustCall(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// mustFunc returns the function o[name], which capturing the intrinsics
// guarantees.
func mustFunc(o *goja.Object, name string) goja.Callable {
	f, ok := goja.AssertFunction(o.Get(name))
	if !ok {
		panic(fmt.Sprintf("script: intrinsic %s is missing", name))
	}
	return f
}
