package messages

import (
	"encoding/binary"
	"math"
	"reflect"
	"unsafe"
)

// Slices and arrays of booleans and numbers are stored packed: one node and
// one little-endian byte payload, like a typed array, instead of one node
// per element.

var nativeLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// packWidth is the wire size of one element of kind k (int and uint are
// always 8 bytes on the wire).
func packWidth(k reflect.Kind) int {
	switch k {
	case reflect.Bool, reflect.Int8, reflect.Uint8:
		return 1
	case reflect.Int16, reflect.Uint16:
		return 2
	case reflect.Int32, reflect.Uint32, reflect.Float32:
		return 4
	case reflect.Int, reflect.Uint, reflect.Int64, reflect.Uint64, reflect.Float64, reflect.Complex64:
		return 8
	case reflect.Complex128:
		return 16
	}
	return 0
}

// rawMemory returns the memory of slice or addressable array v, when it can
// be copied as is (little-endian host, element size equal to wire size).
func rawMemory(v reflect.Value, k reflect.Kind) ([]byte, bool) {
	n, w := v.Len(), packWidth(k)
	if !nativeLittleEndian || n == 0 || int(v.Type().Elem().Size()) != w {
		return nil, false
	}
	var p unsafe.Pointer
	switch {
	case v.Kind() == reflect.Slice:
		p = v.UnsafePointer()
	case v.CanAddr():
		p = v.Addr().UnsafePointer()
	default:
		return nil, false
	}
	return unsafe.Slice((*byte)(p), n*w), true
}

func packValues(v reflect.Value, k reflect.Kind) []byte {
	n, w := v.Len(), packWidth(k)
	out := make([]byte, n*w)
	if raw, ok := rawMemory(v, k); ok {
		copy(out, raw)
		return out
	}
	le := binary.LittleEndian
	for i := 0; i < n; i++ {
		x, b := v.Index(i), out[i*w:]
		switch k {
		case reflect.Bool:
			b[0] = byte(b2u(x.Bool()))
		case reflect.Int8:
			b[0] = byte(x.Int())
		case reflect.Uint8:
			b[0] = byte(x.Uint())
		case reflect.Int16:
			le.PutUint16(b, uint16(x.Int()))
		case reflect.Uint16:
			le.PutUint16(b, uint16(x.Uint()))
		case reflect.Int32:
			le.PutUint32(b, uint32(x.Int()))
		case reflect.Uint32:
			le.PutUint32(b, uint32(x.Uint()))
		case reflect.Float32:
			le.PutUint32(b, math.Float32bits(float32(x.Float())))
		case reflect.Int, reflect.Int64:
			le.PutUint64(b, uint64(x.Int()))
		case reflect.Uint, reflect.Uint64:
			le.PutUint64(b, x.Uint())
		case reflect.Float64:
			le.PutUint64(b, math.Float64bits(x.Float()))
		case reflect.Complex64:
			c := x.Complex()
			le.PutUint32(b, math.Float32bits(float32(real(c))))
			le.PutUint32(b[4:], math.Float32bits(float32(imag(c))))
		case reflect.Complex128:
			c := x.Complex()
			le.PutUint64(b, math.Float64bits(real(c)))
			le.PutUint64(b[8:], math.Float64bits(imag(c)))
		}
	}
	return out
}

// unpackValues fills v (a settable slice of length n, or array) from data,
// which holds exactly n elements of kind k.
func unpackValues(v reflect.Value, k reflect.Kind, data []byte) error {
	n, w := v.Len(), packWidth(k)
	if len(data) != n*w {
		return corrupt("packed payload has the wrong length")
	}
	if k != reflect.Bool {
		if raw, ok := rawMemory(v, k); ok {
			copy(raw, data)
			return nil
		}
	}
	le := binary.LittleEndian
	for i := 0; i < n; i++ {
		x, b := v.Index(i), data[i*w:]
		switch k {
		case reflect.Bool:
			if b[0] > 1 {
				return corrupt("packed bool is neither 0 nor 1")
			}
			x.SetBool(b[0] == 1)
		case reflect.Int8:
			x.SetInt(int64(int8(b[0])))
		case reflect.Uint8:
			x.SetUint(uint64(b[0]))
		case reflect.Int16:
			x.SetInt(int64(int16(le.Uint16(b))))
		case reflect.Uint16:
			x.SetUint(uint64(le.Uint16(b)))
		case reflect.Int32:
			x.SetInt(int64(int32(le.Uint32(b))))
		case reflect.Uint32:
			x.SetUint(uint64(le.Uint32(b)))
		case reflect.Float32:
			x.SetFloat(float64(math.Float32frombits(le.Uint32(b))))
		case reflect.Int, reflect.Int64:
			i64 := int64(le.Uint64(b))
			if x.OverflowInt(i64) {
				return &DataCloneError{Type: v.Type(), Reason: "integer does not fit this platform's int"}
			}
			x.SetInt(i64)
		case reflect.Uint, reflect.Uint64:
			u := le.Uint64(b)
			if x.OverflowUint(u) {
				return &DataCloneError{Type: v.Type(), Reason: "integer does not fit this platform's uint"}
			}
			x.SetUint(u)
		case reflect.Float64:
			x.SetFloat(math.Float64frombits(le.Uint64(b)))
		case reflect.Complex64:
			x.SetComplex(complex(float64(math.Float32frombits(le.Uint32(b))), float64(math.Float32frombits(le.Uint32(b[4:])))))
		case reflect.Complex128:
			x.SetComplex(complex(math.Float64frombits(le.Uint64(b)), math.Float64frombits(le.Uint64(b[8:]))))
		}
	}
	return nil
}
