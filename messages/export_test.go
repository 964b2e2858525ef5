package messages

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
