package messages

import (
	"encoding/binary"
	"math"

	"github.com/entangle-go/entangle/internal/primrec"
)

// The ports package reaches the primitive shortcuts through primrec.
func init() {
	primrec.Append = appendPrimitive
	primrec.Decode = decodePrimitive
	primrec.MaxBytes = func(opts any) int {
		cfg := defaultDecodeConfig()
		os, _ := opts.([]DecodeOption)
		for _, o := range os {
			o(&cfg)
		}
		return cfg.maxBytes
	}
}

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

// recordHead starts the binary record of a single value without types,
// transferred buffers or external slots: version, no type entries, no
// moved buffers, no external slots, one node.
var recordHead = [...]byte{formatVersion, 0, 0, 0, 1}

// appendPrimitive appends to b the binary record of a primitive, exactly
// the bytes Serialize(v) followed by MarshalBinary would give, without
// building a Record. It handles nil, Undefined, bool, string and the
// built-in integer and float kinds; ok is false for anything else
// (complex numbers included), and b is then returned unchanged.
func appendPrimitive(b []byte, v any) (_ []byte, ok bool) {
	orig := b
	if b == nil {
		n := 16
		if s, isStr := v.(string); isStr {
			n += len(s)
		}
		b = make([]byte, 0, n)
	}
	b = append(b, recordHead[:]...)
	switch x := v.(type) {
	case nil:
		b = append(b, byte(kNull))
	case UndefinedType:
		b = append(b, byte(kUndefined))
	case bool:
		b = append(b, byte(kBool), byte(b2u(x)))
	case string:
		b = append(b, byte(kString))
		b = appendString(b, x)
	case int:
		b = appendPrimInt(b, idNone, int64(x))
	case int8:
		b = appendPrimInt(b, idInt8, int64(x))
	case int16:
		b = appendPrimInt(b, idInt16, int64(x))
	case int32:
		b = appendPrimInt(b, idInt32, int64(x))
	case int64:
		b = appendPrimInt(b, idInt64, x)
	case uint:
		b = appendPrimUint(b, idNone, uint64(x))
	case uint8:
		b = appendPrimUint(b, idUint8, uint64(x))
	case uint16:
		b = appendPrimUint(b, idUint16, uint64(x))
	case uint32:
		b = appendPrimUint(b, idUint32, uint64(x))
	case uint64:
		b = appendPrimUint(b, idUint64, x)
	case float64:
		b = appendPrimFloat(b, idNone, x)
	case float32:
		b = appendPrimFloat(b, idFloat32, float64(x))
	default:
		return orig, false
	}
	return b, true
}

// appendHead writes a node's first byte: its kind, and the built-in type
// id unless the kind's natural type is meant (id is idNone).
func appendHead(b []byte, k kind, id uint32) []byte {
	if id == idNone {
		return append(b, byte(k))
	}
	b = append(b, byte(k)|typedFlag)
	return binary.AppendUvarint(b, uint64(id))
}

func appendPrimInt(b []byte, id uint32, x int64) []byte {
	return binary.AppendVarint(appendHead(b, kInt, id), x)
}

func appendPrimUint(b []byte, id uint32, x uint64) []byte {
	return binary.AppendUvarint(appendHead(b, kUint, id), x)
}

func appendPrimFloat(b []byte, id uint32, x float64) []byte {
	return binary.LittleEndian.AppendUint64(appendHead(b, kFloat, id), math.Float64bits(x))
}

// decodePrimitive returns the value of a binary record that holds one
// primitive of the kinds appendPrimitive writes, the value DecodeRecord and
// Deserialize would give, without building a Record. ok is false for any
// other input, well-formed or not (DecodeRecord then decodes it or says
// what is wrong), and for a record longer than maxBytes.
func decodePrimitive(b []byte, maxBytes int) (v any, ok bool) {
	if len(b) > maxBytes {
		return nil, false
	}
	if len(b) <= len(recordHead) || [5]byte(b[:5]) != recordHead {
		return nil, false
	}
	p := b[len(recordHead):]
	head := p[0]
	p = p[1:]
	id := idNone
	if head&typedFlag != 0 {
		u, n := binary.Uvarint(p)
		if n <= 0 || u == 0 || u >= uint64(firstDynamicID) {
			return nil, false
		}
		id, p = uint32(u), p[n:]
	}
	switch kind(head &^ typedFlag) {
	case kNull:
		v, ok = nil, id == idNone
	case kUndefined:
		v, ok = Undefined, id == idNone
	case kBool:
		if ok = id == idNone && len(p) >= 1 && p[0] <= 1; ok {
			v, p = p[0] == 1, p[1:]
		}
	case kString:
		u, n := binary.Uvarint(p)
		if ok = id == idNone && n > 0 && u <= uint64(len(p)-n); ok {
			v, p = string(p[n:n+int(u)]), p[n+int(u):]
		}
	case kInt:
		x, n := binary.Varint(p)
		if n <= 0 {
			return nil, false
		}
		p = p[n:]
		v, ok = primInt(x, id)
	case kUint:
		x, n := binary.Uvarint(p)
		if n <= 0 {
			return nil, false
		}
		p = p[n:]
		v, ok = primUint(x, id)
	case kFloat:
		if len(p) < 8 {
			return nil, false
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(p))
		p = p[8:]
		switch id {
		case idNone:
			v, ok = f, true
		case idFloat32:
			// Only an exact narrowing; anything else is for the full
			// decoder to judge.
			if g := float32(f); float64(g) == f {
				v, ok = g, true
			}
		}
	}
	if !ok || len(p) != 0 {
		return nil, false
	}
	return v, true
}

func primInt(x int64, id uint32) (any, bool) {
	switch id {
	case idNone:
		return int(x), x == int64(int(x))
	case idInt8:
		return int8(x), x == int64(int8(x))
	case idInt16:
		return int16(x), x == int64(int16(x))
	case idInt32:
		return int32(x), x == int64(int32(x))
	case idInt64:
		return x, true
	}
	return nil, false
}

func primUint(x uint64, id uint32) (any, bool) {
	switch id {
	case idNone:
		return uint(x), x == uint64(uint(x))
	case idUint8:
		return uint8(x), x == uint64(uint8(x))
	case idUint16:
		return uint16(x), x == uint64(uint16(x))
	case idUint32:
		return uint32(x), x == uint64(uint32(x))
	case idUint64:
		return x, true
	}
	return nil, false
}
