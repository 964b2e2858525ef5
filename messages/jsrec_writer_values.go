package messages

import (
	"math"
	"math/big"
	"strconv"
)

// The value methods of the jsrec Writer: one node (or a container's
// header) each, in pre-order.

func (w *jsWriter) Undefined() {
	if w.start() {
		w.push(node{kind: kUndefined})
	}
}

func (w *jsWriter) Null() {
	if w.start() {
		w.push(node{kind: kNull})
	}
}

func (w *jsWriter) Bool(b bool) {
	if w.start() {
		w.push(node{kind: kBool, x: b2u(b)})
	}
}

func (w *jsWriter) Number(f float64) {
	if w.start() {
		w.push(node{kind: kFloat, x: math.Float64bits(f)})
	}
}

func (w *jsWriter) BigInt(b *big.Int) {
	if b == nil {
		w.fail(misuse("a nil BigInt"))
		return
	}
	if w.start() {
		w.push(w.bigNode(b))
	}
}

func (w *jsWriter) String(s string) {
	if w.start() {
		w.push(w.str(s))
	}
}

func (w *jsWriter) Boxed(v any) int {
	if !w.start() {
		return -1
	}
	var c node
	switch x := v.(type) {
	case bool:
		c = node{kind: kBool, x: b2u(x)}
	case float64:
		c = node{kind: kFloat, x: math.Float64bits(x)}
	case string:
		c = w.str(x)
	case *big.Int:
		if x == nil {
			w.fail(misuse("a nil BigInt in a wrapper"))
			return -1
		}
		id := w.object(node{kind: kBoxed})
		w.push(w.bigNode(x))
		return id
	default:
		w.fail(misuse("a wrapper of a value that is not bool, float64, string or *big.Int"))
		return -1
	}
	id := w.object(node{kind: kBoxed})
	w.push(c)
	return id
}

func (w *jsWriter) Date(ms float64) int {
	if !w.start() {
		return -1
	}
	return w.object(node{kind: kDate, x: math.Float64bits(ms)})
}

func (w *jsWriter) RegExp(source, flags string) int {
	if !w.start() {
		return -1
	}
	id := w.object(node{kind: kJSRegExp})
	w.push(w.str(source))
	w.push(w.str(flags))
	return id
}

func (w *jsWriter) ArrayBuffer(b []byte) int {
	if !w.start() {
		return -1
	}
	return w.object(node{kind: kArrayBuffer, x: w.blob(b)})
}

func (w *jsWriter) TransferredArrayBuffer(slot int) int {
	if slot < 0 || slot >= xferIDBase {
		w.fail(misuse("transfer slot " + strconv.Itoa(slot) + " out of range"))
		return -1
	}
	if !w.start() {
		return -1
	}
	w.push(node{kind: kTransferred, x: uint64(slot)})
	w.maxXfer = max(w.maxXfer, slot)
	if w.xferSeen == nil {
		w.xferSeen = map[int]bool{}
	}
	w.xferSeen[slot] = true
	return xferIDBase + slot
}

func (w *jsWriter) BeginTypedArray(elem uint8, byteOffset, length int) int {
	if !ElementKind(elem).Valid() || byteOffset < 0 || length < 0 || length > math.MaxUint32 {
		w.fail(misuse("a typed array of a bad element kind, offset or length"))
	}
	if !w.start() {
		return -1
	}
	return w.open(node{kind: kTypedArray, flags: elem, x: uint64(byteOffset), n: uint32(length)}, 1)
}

func (w *jsWriter) BeginDataView(byteOffset, byteLength int) int {
	if byteOffset < 0 || byteLength < 0 || byteLength > math.MaxUint32 {
		w.fail(misuse("a DataView of a bad offset or length"))
	}
	if !w.start() {
		return -1
	}
	return w.open(node{kind: kDataView, x: uint64(byteOffset), n: uint32(byteLength)}, 1)
}

func (w *jsWriter) BeginArray(length int) int {
	if length < 0 || length > math.MaxUint32 {
		w.fail(misuse("an array length out of range"))
	}
	if !w.start() {
		return -1
	}
	return w.open(node{kind: kJSArray, x: uint64(length)}, -1)
}

func (w *jsWriter) BeginObject() int {
	if !w.start() {
		return -1
	}
	return w.open(node{kind: kObject}, -1)
}

func (w *jsWriter) Key(k string) {
	if w.err != nil || w.done {
		return
	}
	if len(w.stack) == 0 || !w.stack[len(w.stack)-1].keyed || w.stack[len(w.stack)-1].children%2 != 0 {
		w.fail(misuse("a property key outside an Array or Object, or where a value is expected"))
		return
	}
	f := &w.stack[len(w.stack)-1]
	f.children++
	f.lastKey = k
	if w.room() {
		w.push(w.str(k))
	}
}

func (w *jsWriter) BeginMap() int {
	if !w.start() {
		return -1
	}
	return w.open(node{kind: kMap}, -1)
}

func (w *jsWriter) BeginSet() int {
	if !w.start() {
		return -1
	}
	return w.open(node{kind: kSet}, -1)
}

func (w *jsWriter) BeginError(name, message, stack string, hasMessage, hasCause bool) int {
	if !w.start() {
		return -1
	}
	k, n, fixed := kError, uint32(3), 0
	if hasCause {
		k, n, fixed = kErrorCause, 4, 1
	}
	id := w.open(node{kind: k, n: n}, fixed)
	if id >= 0 {
		w.push(w.str(errorName(name)))
		if hasMessage {
			w.push(w.str(message))
		} else {
			w.push(node{kind: kUndefined})
		}
		w.push(w.str(stack))
	}
	return id
}

func (w *jsWriter) Blob(typ string, b []byte) int {
	if !w.start() {
		return -1
	}
	id := w.object(node{kind: kBlob, x: w.blob(b)})
	w.push(w.str(typ))
	return id
}

func (w *jsWriter) File(typ string, b []byte, name string, lastModified float64) int {
	if !w.start() {
		return -1
	}
	id := w.object(node{kind: kFile, x: w.blob(b)})
	w.push(w.str(typ))
	w.push(w.str(name))
	w.push(node{kind: kFloat, x: math.Float64bits(lastModified)})
	return id
}

func (w *jsWriter) Ref(id int) {
	switch {
	case id >= xferIDBase:
		if !w.xferSeen[id-xferIDBase] {
			w.fail(misuse("a reference to transferred ArrayBuffer ID " + strconv.Itoa(id) + " not written before"))
			return
		}
		if w.start() {
			w.push(node{kind: kTransferred, x: uint64(id - xferIDBase)})
		}
	case id < 0 || id >= w.r.nobj:
		w.fail(misuse("a reference to unknown ID " + strconv.Itoa(id)))
	default:
		if w.start() {
			w.push(node{kind: kRef, x: uint64(id)})
		}
	}
}

func (w *jsWriter) External(slot int) {
	if slot < 0 || slot > math.MaxInt32 {
		w.fail(misuse("external slot " + strconv.Itoa(slot) + " out of range"))
		return
	}
	if w.start() {
		w.push(node{kind: kExternal, x: uint64(slot)})
		w.maxExt = max(w.maxExt, slot)
	}
}
