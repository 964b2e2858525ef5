package messages

import "unsafe"

// SwapRegistration is swapRegistration for the external tests.
var SwapRegistration = swapRegistration

// AppendPrimitive and DecodePrimitive are the primitive shortcuts the ports
// package reaches through internal/primrec, for the external tests.
var AppendPrimitive = appendPrimitive

// DecodePrimitive is decodePrimitive under the limits in opts.
func DecodePrimitive(b []byte, opts ...DecodeOption) (any, bool) {
	cfg := defaultDecodeConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return decodePrimitive(b, cfg.maxBytes)
}

// CloneDirect is the typed direct copy of StructuredClone alone: false
// when it gives the value to the record path.
func CloneDirect(v any) (any, bool) { return cloneDirect(v) }

// MapSeed is the hash seed of m, a map that is not nil: the second word of
// the runtime's map (see internal/mapgroup). A copy made whole keeps its
// original's seed; a map made anew gets a seed of its own.
func MapSeed(m any) uintptr {
	p := (*[2]unsafe.Pointer)(unsafe.Pointer(&m))[1]
	return (*[2]uintptr)(p)[1]
}
