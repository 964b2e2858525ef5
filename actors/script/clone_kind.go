package script

import (
	"math/big"
	"reflect"
	"strconv"
	"sync"

	"github.com/dop251/goja"
)

// objKind is what structured clone sees in an object: which internal slots
// it has. goja's public API does not tell (ClassName says "Object" for a
// Map, a DataView and a Proxy alike), so the codec reads the dynamic type
// of the object's implementation, found once at start-up by probing sample
// objects; the types are goja's own and private, so a goja upgrade that
// changes them makes the probe test fail rather than clone wrongly (an
// unknown type is never cloned as a plain object).
type objKind uint8

const (
	kindOther       objKind = iota // not cloneable (unless callable: a function, also not cloneable)
	kindOrdinary                   // an ordinary object: its class name decides (Object, Array, ...)
	kindArray                      // an Array exotic object
	kindMap                        // [[MapData]]
	kindSet                        // [[SetData]]
	kindDate                       // [[DateValue]]
	kindRegExp                     // [[RegExpMatcher]]
	kindError                      // [[ErrorData]]
	kindArrayBuffer                // [[ArrayBufferData]]
	kindTypedArray                 // [[TypedArrayName]]
	kindDataView                   // [[DataView]]
	kindPrimitive                  // a Number, Boolean, BigInt or Symbol wrapper
	kindString                     // a String wrapper
)

// selfField is the index of goja.Object's implementation field.
var selfField = func() int {
	f, ok := reflect.TypeOf(goja.Object{}).FieldByName("self")
	if !ok || f.Type.Kind() != reflect.Interface {
		return -1
	}
	return f.Index[0]
}()

// implType returns the dynamic type of o's implementation (nil if unknown).
func implType(o *goja.Object) reflect.Type {
	if selfField < 0 {
		return nil
	}
	f := reflect.ValueOf(o).Elem().Field(selfField)
	if f.IsNil() {
		return nil
	}
	return f.Elem().Type()
}

// probed holds what probing goja's implementation types found: the kind of
// each cloneable type, and names for the common types that are not.
type probed struct {
	kinds map[reflect.Type]objKind
	names map[reflect.Type]string
}

var implTypes = sync.OnceValue(func() probed {
	return probed{kinds: probeKinds(), names: probeNames()}
})

// probeNames names the implementation types of objects that are never
// cloneable, for error messages.
func probeNames() map[reflect.Type]string {
	rt := goja.New()
	v, err := rt.RunString(`[
		[new WeakMap(), 'a WeakMap'], [new WeakSet(), 'a WeakSet'], [Promise.resolve(), 'a Promise'],
		[new Proxy({}, {}), 'a Proxy'], [(function* () {})(), 'a generator'], [[].values(), 'an Array Iterator'],
		[new Map().entries(), 'a Map Iterator'], [new Set().values(), 'a Set Iterator'],
		[(function () { return arguments; })(), 'an arguments object'],
	]`)
	names := map[reflect.Type]string{}
	if err != nil {
		return names
	}
	list := v.(*goja.Object)
	for i := 0; i < int(list.Get("length").ToInteger()); i++ {
		p := list.Get(strconv.Itoa(i)).(*goja.Object)
		if t := implType(p.Get("0").(*goja.Object)); t != nil {
			if _, taken := names[t]; !taken {
				names[t] = p.Get("1").String()
			}
		}
	}
	return names
}

func probeKinds() map[reflect.Type]objKind {
	rt := goja.New()
	v, err := rt.RunString(`[
		[{}, 1], [Object.prototype, 1], [Math, 1], [[], 2], [(() => { const a = []; a[1e6] = 1; return a; })(), 2],
		[Array.prototype, 1], [new Map(), 3], [new Set(), 4], [new Date(0), 5], [/x/, 6], [new Error(), 7],
		[new TypeError(), 7], [new ArrayBuffer(1), 8], [new Uint8Array(1), 9], [new Float64Array(1), 9],
		[new DataView(new ArrayBuffer(1)), 10], [Object(1), 11], [Object(1.5), 11], [Object(true), 11],
		[Object(1n), 11], [new String('x'), 12], [new String('\u00e9'), 12],
	]`)
	if err != nil {
		panic("script: probing goja's object types: " + err.Error())
	}
	kinds := map[reflect.Type]objKind{}
	var probes [][2]goja.Value
	list := v.(*goja.Object)
	for i := 0; i < int(list.Get("length").ToInteger()); i++ {
		p := list.Get(strconv.Itoa(i)).(*goja.Object)
		probes = append(probes, [2]goja.Value{p.Get("0"), p.Get("1")})
	}
	for _, p := range probes {
		t := implType(p[0].(*goja.Object))
		if t == nil {
			return nil
		}
		k := objKind(p[1].ToInteger())
		if old, ok := kinds[t]; ok && old != k {
			// Two kinds share an implementation type: the class name
			// tells them apart (ordinary objects and arrays only).
			if !(old <= kindArray && k <= kindArray) {
				return nil
			}
			k = kindOrdinary
		}
		kinds[t] = k
	}
	return kinds
}

// kindOf returns o's kind. Ordinary objects (and goja's lazily built
// ones) are told apart by their class: "Array" is an array, "Object",
// "Math" and "JSON" are plain objects, anything else is not cloneable.
func cloneKindOf(o *goja.Object) objKind {
	k := implTypes().kinds[implType(o)]
	if k == kindOrdinary {
		switch o.ClassName() {
		case "Object", "Math", "JSON":
			return kindOrdinary
		case "Array":
			return kindArray
		}
		return kindOther
	}
	return k
}

var bigIntType = reflect.TypeOf((*big.Int)(nil))

// kindName names o's kind for an error message ("a WeakMap", "a
// Promise", ...).
func kindName(o *goja.Object) string {
	if n, ok := implTypes().names[implType(o)]; ok {
		return n
	}
	if c := o.ClassName(); c != "Object" {
		return "an object of class " + c
	}
	return "a platform or exotic object"
}
