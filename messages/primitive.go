package messages

// IsPrimitive reports whether v is a primitive whose structured clone is v
// itself: nil (null), Undefined, a bool, a string, or a number of one of
// Go's built-in numeric types (int, int8 ... uint64, float32, float64,
// complex64, complex128; named types and uintptr are not primitives here).
//
// Such a value needs no Record to travel within one process: a Go string is
// immutable and the rest are plain values, so handing v over is exactly
// what StructuredClone returns. The ports package uses it to skip Serialize
// and Deserialize for the commonest messages; a primitive that leaves the
// process is serialized like any other value. The check is a type switch,
// without reflection.
func IsPrimitive(v any) bool {
	switch v.(type) {
	case nil, bool, string, UndefinedType,
		int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64,
		float32, float64, complex64, complex128:
		return true
	}
	return false
}
