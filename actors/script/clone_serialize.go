package script

import (
	"math"
	"math/big"
	"strings"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// maxCloneDepth bounds how deeply containers nest in a serialized value, as
// messages.Serialize does for Go values.
const maxCloneDepth = messages.DefaultMaxDepth - 2

// serializer is one run of StructuredSerializeInternal over a value: its
// cloneMemory (objects already written, and the transfer list's entries) and
// the Writer. Methods panic with a *goja.Exception when a script's code
// (a getter, a toString) throws; serialize catches it.
type serializer struct {
	c      *jsCodec
	w      jsrec.Writer
	mem    cloneMemory
	depth  int
	global *goja.Object

	bufs  []goja.ArrayBuffer // the transfer list's ArrayBuffers, by slot
	ports []*goja.Object     // the transfer list's MessagePorts, by slot

	// run is s.top as a func (made once, as the serializer is reused);
	// in is the value it serializes, err what it returned.
	run func()
	in  goja.Value
	err error
}

// top serializes s.in into s.err's outcome, with the path "value".
func (s *serializer) top() {
	if s.err = s.value(s.in); s.err != nil {
		s.err = atPath(s.err, "value")
	}
}

// value serializes v.
func (s *serializer) value(v goja.Value) error {
	switch x := v.(type) {
	case *goja.Object:
		return s.object(x)
	case goja.String:
		s.w.String(wtf8Of(x))
	case *goja.Symbol:
		return cloneError("a Symbol could not be cloned")
	default:
		switch {
		case goja.IsNumber(v):
			s.w.Number(v.ToFloat())
		case v == nil || goja.IsUndefined(v):
			s.w.Undefined()
		case goja.IsNull(v):
			s.w.Null()
		case goja.IsBigInt(v):
			s.w.BigInt(v.Export().(*big.Int))
		default:
			s.w.Bool(v.ToBoolean())
		}
	}
	return nil
}

// object serializes o: a reference if it was seen before, else by kind.
func (s *serializer) object(o *goja.Object) error {
	if e, ok := s.mem.get(o); ok {
		return s.seen(e)
	}
	switch cloneKindOf(o) {
	case kindOrdinary:
		if o == s.global {
			return cloneError("the global object could not be cloned")
		}
		if p := o.Prototype(); p != nil && p != s.c.objectProto {
			if done, err := s.platform(o); done {
				return err
			}
		}
		return s.properties(o, s.w.BeginObject())
	case kindArray:
		return s.properties(o, s.w.BeginArray(int(o.Get("length").ToInteger())))
	case kindPrimitive:
		return s.boxed(o)
	case kindString:
		str := mustCall(s.c.in.stringValue, o).(goja.String)
		s.remember(o, s.w.Boxed(wtf8Of(str)))
	case kindDate:
		ms := math.NaN()
		if t, ok := o.Export().(interface{ UnixMilli() int64 }); ok {
			ms = float64(t.UnixMilli())
		}
		s.remember(o, s.w.Date(ms))
	case kindRegExp:
		s.regexp(o)
	case kindArrayBuffer:
		ab := o.Export().(goja.ArrayBuffer)
		if ab.Detached() {
			return cloneError("a detached ArrayBuffer could not be cloned")
		}
		s.remember(o, s.w.ArrayBuffer(append(make([]byte, 0, len(ab.Bytes())), ab.Bytes()...)))
	case kindTypedArray:
		return s.view(o, true)
	case kindDataView:
		return s.view(o, false)
	case kindMap:
		return s.collection(o, true)
	case kindSet:
		return s.collection(o, false)
	case kindError:
		return s.error(o)
	default:
		if _, ok := goja.AssertFunction(o); ok {
			return cloneError("a function could not be cloned")
		}
		return cloneError(kindName(o) + " could not be cloned")
	}
	return nil
}

// seen writes a reference to an object already in cloneMemory.
func (s *serializer) seen(e *memEntry) error {
	switch {
	case e.port:
		s.w.External(e.slot)
	case e.id >= 0:
		s.w.Ref(e.id)
	default: // a transferred ArrayBuffer, first named here
		e.id = s.w.TransferredArrayBuffer(e.slot)
	}
	return nil
}

func (s *serializer) remember(o *goja.Object, id int) {
	s.mem.put(o, memEntry{id: id, slot: -1})
}

// platform handles an ordinary object that is not a plain one: a
// MessagePort (cloneable only through the transfer list), a Blob or a File,
// or another of the realm's platform objects (not cloneable). done is false
// for any other object, which is then cloned as a plain object.
func (s *serializer) platform(o *goja.Object) (done bool, err error) {
	if s.c.host != nil {
		if _, ok := s.c.host.portOf(o); ok {
			return true, cloneError("a MessagePort could not be cloned: it is not in the transfer list")
		}
	}
	if s.c.blobData != nil {
		if d, ok := mustCall(s.c.blobData, goja.Undefined(), o).(*goja.Object); ok {
			s.blob(o, d)
			return true, nil
		}
	}
	if s.c.isPlatform != nil {
		if v := mustCall(s.c.isPlatform, goja.Undefined(), o); v.ToBoolean() {
			name := "platform"
			if str, ok := v.(goja.String); ok {
				name = str.String()
			}
			return true, cloneError("a " + name + " object could not be cloned")
		}
	}
	return false, nil
}

func (s *serializer) blob(o, d *goja.Object) {
	typ := toWTF8(d.Get("type"))
	var b []byte
	if bytes, ok := d.Get("bytes").(*goja.Object); ok {
		if raw, ok := bytes.Export().([]byte); ok {
			b = append(make([]byte, 0, len(raw)), raw...)
		}
	}
	if d.Get("isFile").ToBoolean() {
		s.remember(o, s.w.File(typ, b, toWTF8(d.Get("name")), d.Get("lastModified").ToFloat()))
		return
	}
	s.remember(o, s.w.Blob(typ, b))
}

// boxed serializes a Number, Boolean or BigInt wrapper (a Symbol wrapper
// is not cloneable).
func (s *serializer) boxed(o *goja.Object) error {
	switch o.ClassName() {
	case "Number":
		var f float64
		switch x := o.Export().(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		}
		s.remember(o, s.w.Boxed(f))
	case "Boolean":
		s.remember(o, s.w.Boxed(o.Export()))
	default:
		if o.ExportType() != bigIntType {
			return cloneError("a Symbol wrapper object could not be cloned")
		}
		s.remember(o, s.w.Boxed(o.Export()))
	}
	return nil
}

func (s *serializer) regexp(o *goja.Object) {
	src := slashEscape(toWTF8(mustCall(s.c.in.reSource, o)))
	flags := make([]byte, 0, 8)
	for _, f := range s.c.in.reFlags {
		if mustCall(f.get, o).ToBoolean() {
			flags = append(flags, f.letter)
		}
	}
	s.remember(o, s.w.RegExp(src, string(flags)))
}

// slashEscape rewrites the escape goja's RegExp source uses for a "/" of
// the pattern (\u002f) as the one browsers use (\/), which matches the
// same, so that a clone's source reads as on the web. An escaped
// backslash followed by "u002f" is left alone.
func slashEscape(src string) string {
	if !strings.Contains(src, `\u002f`) {
		return src
	}
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		if src[i] != '\\' {
			b.WriteByte(src[i])
			continue
		}
		if strings.HasPrefix(src[i:], `\u002f`) {
			b.WriteString(`\/`)
			i += len(`\u002f`) - 1
			continue
		}
		b.WriteByte('\\')
		if i+1 < len(src) {
			i++
			b.WriteByte(src[i])
		}
	}
	return b.String()
}
