package messages

import (
	"reflect"
)

// StructuredClone is the web's structuredClone(): Serialize then
// Deserialize, in one step and without keeping the record. Listed
// ArrayBuffers are transferred (detached here, owned by the result).
//
// With nothing to transfer, a value made of Go booleans, numbers, strings,
// structs, pointers, slices, arrays, maps, interfaces and times is copied
// straight into the new value, through a copy plan made once per type, with
// the same result; anything else (the web's dynamic values, ArrayBuffers
// and views, big integers, protobuf messages, types with marshalers,
// and every value Serialize refuses) takes the record path.
//
// There is no context to adopt other transferables, so a transfer list
// holding anything but *ArrayBuffer, or a value holding such an object, is
// a *DataCloneError. When StructuredClone fails, nothing is detached.
func StructuredClone(v any, transfer ...Transferable) (any, error) {
	if len(transfer) == 0 {
		if IsPrimitive(v) {
			return v, nil // its own clone
		}
		if out, ok := cloneDirect(v); ok {
			return out, nil
		}
	}
	ts, err := newTransferSet(transfer)
	if err != nil {
		return nil, err
	}
	if ts != nil && len(ts.ext) > 0 {
		for i, t := range transfer {
			if _, ok := t.(*ArrayBuffer); !ok {
				return nil, &DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(t),
					Reason: "StructuredClone has no context to adopt a transferred " + reflect.TypeOf(t).String()}
			}
		}
	}
	r := recordPool.Get().(*Record)
	r.private = true
	e := newEncoder(r, ts)
	err = e.anyValue(v, true)
	e.finish()
	if err != nil {
		releaseRecord(r)
		return nil, err
	}
	ts.detachAll(r)
	out, err := deserialize(r, &deserializeConfig{})
	releaseRecord(r)
	return out, err
}
