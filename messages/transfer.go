package messages

import (
	"reflect"
	"strconv"
)

// transferSet is a validated transfer list, split into ArrayBuffer slots and
// external slots (each numbered in list order).
type transferSet struct {
	abs   []*ArrayBuffer
	ext   []Transferable
	abIdx map[*ArrayBuffer]int // built for long lists
	exIdx map[Transferable]int
}

const linearTransferScan = 16

// newTransferSet validates list as StructuredSerializeWithTransfer does
// before serializing: no nil entry, no duplicate, nothing already detached.
// It returns nil for an empty list.
func newTransferSet(list []Transferable) (*transferSet, error) {
	if len(list) == 0 {
		return nil, nil
	}
	ts := &transferSet{}
	var seen map[Transferable]int
	if len(list) > linearTransferScan {
		seen = make(map[Transferable]int, len(list))
	}
	for i, t := range list {
		if isNilTransferable(t) {
			return nil, &DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(t), Reason: "a transfer list entry is nil"}
		}
		if !reflect.TypeOf(t).Comparable() {
			return nil, &DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(t), Reason: "transferables must be comparable (use a pointer type)"}
		}
		dup := -1
		if seen != nil {
			if j, ok := seen[t]; ok {
				dup = j
			}
			seen[t] = i
		} else {
			for j := 0; j < i; j++ {
				if list[j] == t {
					dup = j
					break
				}
			}
		}
		if dup >= 0 {
			return nil, &DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(t),
				Reason: "the transfer list holds this object twice (also at transfer[" + strconv.Itoa(dup) + "])"}
		}
		if t.Detached() {
			return nil, &DataCloneError{Path: transferPath(i), Type: reflect.TypeOf(t), Reason: "an already detached object cannot be transferred"}
		}
		if ab, ok := t.(*ArrayBuffer); ok {
			ts.abs = append(ts.abs, ab)
		} else {
			ts.ext = append(ts.ext, t)
		}
	}
	if len(ts.abs) > linearTransferScan {
		ts.abIdx = make(map[*ArrayBuffer]int, len(ts.abs))
		for i, ab := range ts.abs {
			ts.abIdx[ab] = i
		}
	}
	if len(ts.ext) > linearTransferScan {
		ts.exIdx = make(map[Transferable]int, len(ts.ext))
		for i, t := range ts.ext {
			ts.exIdx[t] = i
		}
	}
	return ts, nil
}

func isNilTransferable(t Transferable) bool {
	if t == nil {
		return true
	}
	if ab, ok := t.(*ArrayBuffer); ok {
		return ab == nil
	}
	v := reflect.ValueOf(t)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return v.IsNil()
	}
	return false
}

// abSlot returns the transfer slot of b, if b is in the list.
func (ts *transferSet) abSlot(b *ArrayBuffer) (int, bool) {
	if ts == nil {
		return 0, false
	}
	if ts.abIdx != nil {
		i, ok := ts.abIdx[b]
		return i, ok
	}
	for i, x := range ts.abs {
		if x == b {
			return i, true
		}
	}
	return 0, false
}

// extSlot returns the external slot of t, if t is in the list.
func (ts *transferSet) extSlot(t Transferable) (int, bool) {
	if ts == nil {
		return 0, false
	}
	if ts.exIdx != nil {
		i, ok := ts.exIdx[t]
		return i, ok
	}
	for i, x := range ts.ext {
		if x == t {
			return i, true
		}
	}
	return 0, false
}

// detachAll moves the bytes of every listed ArrayBuffer into r. It runs
// only after the whole value serialized without error.
func (ts *transferSet) detachAll(r *Record) {
	if ts == nil {
		return
	}
	for _, ab := range ts.abs {
		d := ab.detach()
		r.xfer = append(r.xfer, d)
		r.size += len(d)
	}
	r.ext = len(ts.ext)
}

// transferPath names entry i of a transfer list in an error (made only
// for an error: a valid list costs no string).
func transferPath(i int) string { return "transfer[" + strconv.Itoa(i) + "]" }
