package messages

import (
	"math"
	"math/big"
	"time"

	"github.com/entangle-go/entangle/internal/jsrec"
)

// convert reads record node n (not a pointer) as a Reader node, consuming
// the children it folds in and pushing a frame for the ones that follow.
func (rd *jsReader) convert(n *node) (jsrec.Node, error) {
	out := jsrec.Node{ID: -1}
	switch n.kind {
	case kUndefined:
		out.Kind = jsrec.Undefined
	case kNull:
		out.Kind = jsrec.Null
	case kBool:
		out.Kind, out.Bool = jsrec.Bool, n.x != 0
	case kInt:
		return number(int64(n.x)), nil
	case kUint:
		return unsignedNumber(n.x), nil
	case kFloat:
		out.Kind, out.Num = jsrec.Number, math.Float64frombits(n.x)
	case kString:
		s, err := rd.str(n)
		out.Kind, out.Str = jsrec.String, s
		return out, err
	case kBigInt:
		b, err := rd.blob(n.x)
		if err != nil {
			return out, err
		}
		out.Kind, out.Big = jsrec.BigInt, new(big.Int).SetBytes(b)
		if n.flags == 1 {
			out.Big.Neg(out.Big)
		}
	case kBytes:
		b, err := rd.blob(n.x)
		if err != nil {
			return out, err
		}
		out = jsrec.Node{Kind: jsrec.TypedArray, Elem: uint8(Uint8), Length: len(b), ID: rd.fresh()}
		rd.push(rframe{kind: fBuffer, data: append([]byte{}, b...)})
	case kPacked:
		return rd.packed(n)
	case kTime:
		if n.x >= uint64(len(rd.r.times)) {
			return out, corrupt("time index out of range")
		}
		out.Kind, out.Num, out.ID = jsrec.Date, timeMs(rd.r.times[n.x]), rd.fresh()
	case kDate:
		out.Kind, out.Num, out.ID = jsrec.Date, math.Float64frombits(n.x), rd.fresh()
	case kRegExp, kJSRegExp:
		src, err := rd.stringChild()
		if err != nil {
			return out, err
		}
		flags, err := rd.stringChild()
		out.Kind, out.Str, out.Flags, out.ID = jsrec.RegExp, src, flags, rd.fresh()
		return out, err
	case kError, kErrorCause:
		return rd.errorNode(n)
	case kSlice, kArray:
		out = jsrec.Node{Kind: jsrec.Array, Length: int(n.n), Count: int(n.n), Dense: true, ID: rd.fresh()}
		rd.push(rframe{kind: fValues, left: int(n.n)})
	case kGoMap:
		if rd.stringKeys(n) {
			out = jsrec.Node{Kind: jsrec.Object, Count: int(n.n), ID: rd.fresh()}
			rd.push(rframe{kind: fEntries, left: int(n.n), keyNext: true})
		} else {
			out = jsrec.Node{Kind: jsrec.Map, Count: int(n.n), ID: rd.fresh()}
			rd.push(rframe{kind: fValues, left: 2 * int(n.n)})
		}
	case kStruct:
		names, err := rd.fieldNames(n)
		if err != nil {
			return out, err
		}
		out = jsrec.Node{Kind: jsrec.Object, Count: len(names), ID: rd.fresh()}
		rd.push(rframe{kind: fStruct, names: names, keyNext: true})
	case kObject:
		out = jsrec.Node{Kind: jsrec.Object, Count: int(n.n), ID: rd.fresh()}
		rd.push(rframe{kind: fEntries, left: int(n.n), keyNext: true})
	case kJSArray:
		out = jsrec.Node{Kind: jsrec.Array, Length: int(n.x), Count: int(n.n), ID: rd.fresh()}
		rd.push(rframe{kind: fEntries, left: int(n.n), keyNext: true})
	case kMap:
		out = jsrec.Node{Kind: jsrec.Map, Count: int(n.n), ID: rd.fresh()}
		rd.push(rframe{kind: fValues, left: 2 * int(n.n)})
	case kSet:
		out = jsrec.Node{Kind: jsrec.Set, Count: int(n.n), ID: rd.fresh()}
		rd.push(rframe{kind: fValues, left: int(n.n)})
	case kArrayBuffer:
		b, err := rd.blob(n.x)
		if err != nil {
			return out, err
		}
		out = jsrec.Node{Kind: jsrec.ArrayBuffer, Bytes: append([]byte{}, b...), ID: rd.fresh()}
		rd.noteBuffer(out.ID, len(b))
	case kTransferred:
		if n.x >= uint64(len(rd.xferIDs)) {
			return out, corrupt("transfer slot out of range")
		}
		if id := rd.xferIDs[n.x]; id >= 0 {
			return jsrec.Node{Kind: jsrec.Ref, ID: id}, nil
		}
		b := rd.r.xfer[n.x]
		out = jsrec.Node{Kind: jsrec.ArrayBuffer, Bytes: b, ID: rd.fresh()}
		rd.xferIDs[n.x] = out.ID
		rd.noteBuffer(out.ID, len(b))
	case kTypedArray:
		k := ElementKind(n.flags)
		if !k.Valid() {
			return out, corrupt("bad element kind")
		}
		out = jsrec.Node{Kind: jsrec.TypedArray, Elem: n.flags, Offset: int(n.x), Length: int(n.n), ID: rd.fresh()}
		rd.push(rframe{kind: fView, off: int(n.x), length: int(n.n), width: k.Size()})
	case kDataView:
		out = jsrec.Node{Kind: jsrec.DataView, Offset: int(n.x), Length: int(n.n), ID: rd.fresh()}
		rd.push(rframe{kind: fView, off: int(n.x), length: int(n.n), width: 1})
	case kExternal:
		if n.x >= uint64(rd.r.ext) {
			return out, corrupt("external slot out of range")
		}
		out.Kind, out.Slot = jsrec.External, int(n.x)
	case kRef:
		return rd.ref(n.x)
	case kBoxed:
		return rd.boxed()
	case kBlob, kFile:
		return rd.blobNode(n)
	case kComplex:
		return out, notJS("a Go complex number")
	case kProto:
		return out, notJS("a protobuf message")
	case kBinary:
		return out, notJS("a value marshaled by its Go type")
	default:
		return out, corrupt("unexpected " + n.kind.String() + " node")
	}
	return out, nil
}

// timeMs is t's JavaScript time value: whole milliseconds since the epoch,
// NaN for the zero time (what an invalid Date becomes in Go) and outside
// the range of Dates.
func timeMs(t time.Time) float64 {
	ms := t.UnixMilli()
	if t.IsZero() || ms < -8.64e15 || ms > 8.64e15 {
		return math.NaN()
	}
	return float64(ms)
}

func (rd *jsReader) errorNode(n *node) (jsrec.Node, error) {
	out := jsrec.Node{Kind: jsrec.Error, ID: rd.fresh()}
	var err error
	if out.Str, err = rd.stringChild(); err != nil {
		return out, err
	}
	out.Str = errorName(out.Str)
	if out.Message, out.HasMessage, err = rd.messageChild(); err != nil {
		return out, err
	}
	if out.Stack, err = rd.stringChild(); err != nil {
		return out, err
	}
	if n.kind == kErrorCause {
		out.HasCause = true
		rd.push(rframe{kind: fCause, left: 1})
	}
	return out, nil
}

func (rd *jsReader) boxed() (jsrec.Node, error) {
	out := jsrec.Node{Kind: jsrec.Boxed, ID: rd.fresh()}
	c, err := rd.next()
	if err != nil {
		return out, err
	}
	switch c.kind {
	case kBool:
		out.Box, out.Bool = jsrec.Bool, c.x != 0
	case kFloat:
		out.Box, out.Num = jsrec.Number, math.Float64frombits(c.x)
	case kString:
		out.Box = jsrec.String
		out.Str, err = rd.str(c)
	case kBigInt:
		rd.recID++ // the big.Int's own id; nothing refers to it
		p, err := rd.convert(c)
		if err != nil {
			return out, err
		}
		out.Box, out.Big = jsrec.BigInt, p.Big
	default:
		return out, corrupt("a primitive wrapper holds a " + c.kind.String())
	}
	return out, err
}

func (rd *jsReader) blobNode(n *node) (jsrec.Node, error) {
	b, err := rd.blob(n.x)
	if err != nil {
		return jsrec.Node{}, err
	}
	out := jsrec.Node{Kind: jsrec.Blob, Bytes: b, ID: rd.fresh()}
	if out.Str, err = rd.stringChild(); err != nil || n.kind == kBlob {
		return out, err
	}
	out.Kind = jsrec.File
	if out.Name, err = rd.stringChild(); err != nil {
		return out, err
	}
	c, err := rd.next()
	if err != nil {
		return out, err
	}
	if c.kind != kFloat {
		return out, corrupt("a File's lastModified must be a float")
	}
	out.Num = math.Float64frombits(c.x)
	return out, nil
}
