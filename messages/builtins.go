package messages

import (
	"math/big"
	"reflect"
	"time"
)

// Built-in type ids. Types in a record are referred to by id: ids below
// firstDynamicID are these fixed built-ins, in memory and on the wire alike;
// larger ids are plan ids in memory and type-table entries on the wire. The
// values are part of the binary format and never change.
const (
	idNone uint32 = iota
	idBool
	idInt
	idInt8
	idInt16
	idInt32
	idInt64
	idUint
	idUint8
	idUint16
	idUint32
	idUint64
	idFloat32
	idFloat64
	idComplex64
	idComplex128
	idString
	idBytes
	idAny
	idError
	idSliceAny
	idMapStringAny
	idTime
	idBigInt
	idBigIntPtr
	idUndefined
	idObject
	idObjectPtr
	idMap
	idMapPtr
	idSet
	idSetPtr
	idRegExp
	idRegExpPtr
	idErrorValue
	idErrorPtr
	idArrayBuffer
	idArrayBufferPtr
	idTypedArray
	idTypedArrayPtr
	idDataView
	idDataViewPtr
	idTransferable
	idSliceString
	idSliceInt
	idSliceFloat64
	idMapStringString
	idBlobPtr
	idFilePtr
	idBuiltinEnd

	firstDynamicID uint32 = 64
)

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

var (
	errorType        = typeOf[error]()
	anyType          = typeOf[any]()
	transferableType = typeOf[Transferable]()
)

// builtinTypes maps the fixed ids to their Go types.
var builtinTypes = [firstDynamicID]reflect.Type{
	idBool: typeOf[bool](), idInt: typeOf[int](), idInt8: typeOf[int8](), idInt16: typeOf[int16](),
	idInt32: typeOf[int32](), idInt64: typeOf[int64](), idUint: typeOf[uint](), idUint8: typeOf[uint8](),
	idUint16: typeOf[uint16](), idUint32: typeOf[uint32](), idUint64: typeOf[uint64](),
	idFloat32: typeOf[float32](), idFloat64: typeOf[float64](), idComplex64: typeOf[complex64](),
	idComplex128: typeOf[complex128](), idString: typeOf[string](), idBytes: typeOf[[]byte](),
	idAny: anyType, idError: errorType, idSliceAny: typeOf[[]any](), idMapStringAny: typeOf[map[string]any](),
	idTime: typeOf[time.Time](), idBigInt: typeOf[big.Int](), idBigIntPtr: typeOf[*big.Int](),
	idUndefined: typeOf[UndefinedType](), idObject: typeOf[Object](), idObjectPtr: typeOf[*Object](),
	idMap: typeOf[Map](), idMapPtr: typeOf[*Map](), idSet: typeOf[Set](), idSetPtr: typeOf[*Set](),
	idRegExp: typeOf[RegExp](), idRegExpPtr: typeOf[*RegExp](), idErrorValue: typeOf[Error](),
	idErrorPtr: typeOf[*Error](), idArrayBuffer: typeOf[ArrayBuffer](), idArrayBufferPtr: typeOf[*ArrayBuffer](),
	idTypedArray: typeOf[TypedArray](), idTypedArrayPtr: typeOf[*TypedArray](), idDataView: typeOf[DataView](),
	idDataViewPtr: typeOf[*DataView](), idTransferable: transferableType, idSliceString: typeOf[[]string](),
	idSliceInt: typeOf[[]int](), idSliceFloat64: typeOf[[]float64](), idMapStringString: typeOf[map[string]string](),
	idBlobPtr: typeOf[*Blob](), idFilePtr: typeOf[*File](),
}

var builtinIDs = func() map[reflect.Type]uint32 {
	m := make(map[reflect.Type]uint32, idBuiltinEnd)
	for id, t := range builtinTypes {
		if t != nil {
			m[t] = uint32(id)
		}
	}
	return m
}()
