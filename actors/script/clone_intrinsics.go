package script

import (
	"strconv"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/messages"
)

// intrinsicsSource captures, when a codec is made (before any user script
// runs), the constructors and the internal-slot readers the codec uses: the
// getters of %TypedArray%.prototype, DataView.prototype and
// RegExp.prototype read internal slots and cannot be fooled by properties a
// script defines on an object, and the helpers use only captured functions.
const intrinsicsSource = `(function () {
	'use strict';
	const gOPD = Object.getOwnPropertyDescriptor;
	const apply = Reflect.apply;
	const hasOwn = Object.prototype.hasOwnProperty;
	const defineProperty = Object.defineProperty;
	const keys = Object.keys;
	const concat = String.prototype.concat; // its arguments go through ToString
	const getter = (proto, name) => { const d = gOPD(proto, name); return d ? d.get : undefined; };
	const TA = Object.getPrototypeOf(Int8Array.prototype);
	const flags = [];
	for (const [letter, name] of [['d', 'hasIndices'], ['g', 'global'], ['i', 'ignoreCase'],
		['m', 'multiline'], ['s', 'dotAll'], ['u', 'unicode'], ['v', 'unicodeSets'], ['y', 'sticky']]) {
		const g = getter(RegExp.prototype, name);
		if (g) flags.push(letter, g);
	}
	const ctors = {__proto__: null};
	for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
		'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
		'BigUint64Array', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
		'TypeError', 'URIError']) {
		if (typeof globalThis[name] === 'function') ctors[name] = globalThis[name];
	}
	return {
		taBuffer: getter(TA, 'buffer'), taOffset: getter(TA, 'byteOffset'), taLength: getter(TA, 'length'),
		taTag: getter(TA, Symbol.toStringTag),
		dvBuffer: getter(DataView.prototype, 'buffer'), dvOffset: getter(DataView.prototype, 'byteOffset'),
		dvLength: getter(DataView.prototype, 'byteLength'),
		reSource: getter(RegExp.prototype, 'source'), reFlags: flags,
		stringValue: String.prototype.valueOf,
		mapForEach: Map.prototype.forEach, setForEach: Set.prototype.forEach,
		mapSet: Map.prototype.set, setAdd: Set.prototype.add,
		Map: Map, Set: Set, Date: Date, RegExp: RegExp, DataView: DataView, ctors: ctors,
		hasOwn(o, k) { return apply(hasOwn, o, [k]); },
		ownMessage(o) {
			const d = gOPD(o, 'message');
			return d !== undefined && apply(hasOwn, d, ['value']) ? [apply(concat, '', [d.value])] : null;
		},
		keys(o) { return keys(o); },
		get(o, k) { return o[k]; },
		define(o, k, v, enumerable) {
			defineProperty(o, k, {__proto__: null, value: v, writable: true, enumerable: enumerable, configurable: true});
		},
	};
})()`

var intrinsicsProgram = goja.MustCompile("entangle:clone-intrinsics", intrinsicsSource, true)

// intrinsics are the functions and constructors a codec captured.
type intrinsics struct {
	taBuffer, taOffset, taLength, taTag goja.Callable
	dvBuffer, dvOffset, dvLength        goja.Callable
	reSource, stringValue               goja.Callable
	reFlags                             []reFlag
	mapForEach, setForEach              goja.Callable
	mapSet, setAdd                      goja.Callable
	hasOwn, ownMessage, keys, get       goja.Callable
	define                              goja.Callable

	Map, Set, Date, RegExp, DataView *goja.Object
	typed                            [messages.BigUint64 + 1]*goja.Object // by ElementKind; nil if missing
	errors                           map[string]*goja.Object
}

type reFlag struct {
	letter byte
	get    goja.Callable
}

// elementKinds maps typed array constructor names to their kinds.
var elementKinds = map[string]messages.ElementKind{}

func init() {
	for k := messages.Int8; k <= messages.BigUint64; k++ {
		elementKinds[k.String()] = k
	}
}

func captureIntrinsics(rt *goja.Runtime) *intrinsics {
	v, err := rt.RunProgram(intrinsicsProgram)
	if err != nil {
		panic("script: capturing intrinsics: " + err.Error())
	}
	o := v.(*goja.Object)
	in := &intrinsics{
		taBuffer: mustFunc(o, "taBuffer"), taOffset: mustFunc(o, "taOffset"), taLength: mustFunc(o, "taLength"),
		taTag:    mustFunc(o, "taTag"),
		dvBuffer: mustFunc(o, "dvBuffer"), dvOffset: mustFunc(o, "dvOffset"), dvLength: mustFunc(o, "dvLength"),
		reSource: mustFunc(o, "reSource"), stringValue: mustFunc(o, "stringValue"),
		mapForEach: mustFunc(o, "mapForEach"), setForEach: mustFunc(o, "setForEach"),
		mapSet: mustFunc(o, "mapSet"), setAdd: mustFunc(o, "setAdd"),
		hasOwn: mustFunc(o, "hasOwn"), ownMessage: mustFunc(o, "ownMessage"), keys: mustFunc(o, "keys"),
		get: mustFunc(o, "get"), define: mustFunc(o, "define"),
		Map: o.Get("Map").(*goja.Object), Set: o.Get("Set").(*goja.Object), Date: o.Get("Date").(*goja.Object),
		RegExp: o.Get("RegExp").(*goja.Object), DataView: o.Get("DataView").(*goja.Object),
		errors: map[string]*goja.Object{},
	}
	flags := o.Get("reFlags").(*goja.Object)
	n := int(flags.Get("length").ToInteger())
	for i := 0; i+1 < n; i += 2 {
		f, _ := goja.AssertFunction(flags.Get(strconv.Itoa(i + 1)))
		in.reFlags = append(in.reFlags, reFlag{letter: flags.Get(strconv.Itoa(i)).String()[0], get: f})
	}
	ctors := o.Get("ctors").(*goja.Object)
	for _, name := range ctors.Keys() {
		ctor := ctors.Get(name).(*goja.Object)
		if k, ok := elementKinds[name]; ok {
			in.typed[k] = ctor
		} else {
			in.errors[name] = ctor
		}
	}
	return in
}
