package messages

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"
)

// Packed slices and arrays recorded by another build may have elements of
// another width or signedness ([]int32 there, []int64 here): they convert
// element by element when every value fits, as single numbers do.

// numberFamily groups the packable kinds whose values convert into each
// other: bools, integers (signed or not), floats, complex numbers.
func numberFamily(k reflect.Kind) int {
	switch k {
	case reflect.Bool:
		return 1
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return 2
	case reflect.Float32, reflect.Float64:
		return 3
	case reflect.Complex64, reflect.Complex128:
		return 4
	}
	return 0
}

func signed(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// convertPacked fills v (a slice of the right length, or an array) from
// data, which holds v.Len() elements of kind wire, of the same number
// family as v's elements but another kind.
func convertPacked(v reflect.Value, wire reflect.Kind, data []byte) error {
	w, le := packWidth(wire), binary.LittleEndian
	ek := v.Type().Elem().Kind()
	for i := 0; i < v.Len(); i++ {
		x, b := v.Index(i), data[i*w:(i+1)*w]
		switch numberFamily(wire) {
		case 2:
			var u uint64
			switch w {
			case 1:
				u = uint64(b[0])
			case 2:
				u = uint64(le.Uint16(b))
			case 4:
				u = uint64(le.Uint32(b))
			default:
				u = le.Uint64(b)
			}
			neg := false
			if signed(wire) {
				s := int64(u<<(64-8*w)) >> (64 - 8*w) // sign-extend
				u, neg = uint64(s), s < 0
			}
			switch {
			case signed(ek) && (neg || u <= math.MaxInt64) && !x.OverflowInt(int64(u)):
				x.SetInt(int64(u))
			case !signed(ek) && !neg && !x.OverflowUint(u):
				x.SetUint(u)
			default:
				return &DataCloneError{Type: v.Type(), Reason: "integer out of range (element " + strconv.Itoa(i) + ")"}
			}
		case 3:
			if w == 4 {
				x.SetFloat(float64(math.Float32frombits(le.Uint32(b))))
			} else {
				x.SetFloat(math.Float64frombits(le.Uint64(b)))
			}
		case 4:
			if w == 8 {
				x.SetComplex(complex(float64(math.Float32frombits(le.Uint32(b))), float64(math.Float32frombits(le.Uint32(b[4:])))))
			} else {
				x.SetComplex(complex(math.Float64frombits(le.Uint64(b)), math.Float64frombits(le.Uint64(b[8:]))))
			}
		default:
			return corrupt("packed elements of kind " + wire.String() + " cannot convert")
		}
	}
	return nil
}
