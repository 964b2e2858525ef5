package messages

import (
	"math"
	"strconv"
)

// DeserializeOption configures Deserialize.
type DeserializeOption func(*deserializeConfig)

type deserializeConfig struct {
	objs  []Transferable
	given bool
}

// WithTransferred gives Deserialize the objects that fill the record's
// external slots: objs[k] fills slot k (see Record.ExternalCount), wherever
// the value refers to it. Its count must equal ExternalCount, and each
// object must fit the Go type at the positions that refer to it.
func WithTransferred(objs ...Transferable) DeserializeOption {
	return func(c *deserializeConfig) {
		c.objs = objs
		c.given = true
	}
}

// Deserialize is StructuredDeserializeWithTransfer: it builds a new value
// from r, of the same Go types as the value given to Serialize (for a record
// from DecodeRecord: of the types registered under the recorded names).
//
// ArrayBuffers transferred into r come back as new *ArrayBuffer values that
// own the moved bytes. That can happen once: a later Deserialize of the same
// record fails with an error matching ErrDataClone, so two owners never
// share the bytes (a failed Deserialize does not use them up). External
// slots are filled from WithTransferred; a record with external slots and no
// WithTransferred, or a count that differs, is a *DataCloneError. Every
// failure, including a malformed or mismatched record, is an error matching
// ErrDataClone; Deserialize never panics on a decoded record.
func Deserialize(r *Record, opts ...DeserializeOption) (any, error) {
	if len(opts) == 0 {
		return deserialize(r, &noDeserializeOptions)
	}
	var cfg deserializeConfig
	for _, o := range opts {
		o(&cfg)
	}
	return deserialize(r, &cfg)
}

// noDeserializeOptions is the configuration of a Deserialize without
// options (only read).
var noDeserializeOptions deserializeConfig

func deserialize(r *Record, cfg *deserializeConfig) (any, error) {
	if r == nil || len(r.nodes) == 0 {
		return nil, &DataCloneError{Reason: "empty record"}
	}
	if len(cfg.objs) != r.ext || (r.ext > 0 && !cfg.given) {
		return nil, &DataCloneError{Reason: "no context to adopt the transferred objects: the record holds " +
			strconv.Itoa(r.ext) + " external transferables but " + strconv.Itoa(len(cfg.objs)) +
			" were given (use WithTransferred with exactly that many)"}
	}
	for k, o := range cfg.objs {
		if isNilTransferable(o) {
			return nil, &DataCloneError{Path: "transferred[" + strconv.Itoa(k) + "]", Reason: "a transferred object to adopt is nil"}
		}
	}
	d := decoder{r: r, nodes: r.nodes, ext: cfg.objs, private: r.private, budget: r.budget}
	if r.private {
		d.objs = r.scratchObjs[:0]
		defer func() { r.scratchObjs = d.objs }()
	} else if r.nobj > 0 {
		d.objs = make([]any, 0, min(r.nobj, len(r.nodes)))
	}
	if len(r.xfer) > 0 {
		if !r.claimed.CompareAndSwap(false, true) {
			return nil, &DataCloneError{Reason: "the record's transferred ArrayBuffers were already handed to an earlier Deserialize"}
		}
		d.abs = make([]*ArrayBuffer, len(r.xfer))
		for i, b := range r.xfer {
			d.abs[i] = &ArrayBuffer{data: b}
		}
	}
	v, err := d.anyValue()
	if err == nil && d.pos != len(d.nodes) {
		err = corrupt("nodes after the end of the value")
	}
	if err != nil {
		if len(r.xfer) > 0 {
			r.claimed.Store(false)
		}
		return nil, err
	}
	return v, nil
}

// decoder rebuilds a value from a record's nodes.
type decoder struct {
	r       *Record
	nodes   []node
	pos     int
	objs    []any // object id -> object (nil: placeholder)
	abs     []*ArrayBuffer
	ext     []Transferable
	private bool  // the record is StructuredClone's: payloads may be handed out
	budget  int64 // remaining allocation budget; < 0: unlimited
}

func (d *decoder) next() (*node, error) {
	if d.pos >= len(d.nodes) {
		return nil, corrupt("truncated")
	}
	n := &d.nodes[d.pos]
	d.pos++
	return n, nil
}

// charge takes n bytes from the allocation budget of a decoded record.
func (d *decoder) charge(n int64) error {
	if d.budget < 0 {
		return nil
	}
	d.budget -= n
	if d.budget < 0 || n < 0 {
		return limitErr("value would need more memory than the decode limit allows (WithMaxBytes)")
	}
	return nil
}

func (d *decoder) register(obj any) int {
	d.objs = append(d.objs, obj)
	return len(d.objs) - 1
}

func (d *decoder) ref(x uint64) (any, error) {
	if x >= uint64(len(d.objs)) {
		return nil, corrupt("reference to an unknown object")
	}
	if o := d.objs[x]; o != nil {
		return o, nil
	}
	return nil, &DataCloneError{Reason: "reference to an object that is under construction or was skipped"}
}

func (d *decoder) str(x uint64) (string, error) {
	if x >= uint64(len(d.r.strs)) {
		return "", corrupt("string index out of range")
	}
	return d.r.strs[x], nil
}

// property reads one string-keyed entry of an object, a map[string]any
// or an array's extra properties: its key, then its value; an error in
// the value names the key in its path.
func (d *decoder) property() (string, any, error) {
	k, err := d.stringChild()
	if err != nil {
		return "", nil, err
	}
	v, err := d.anyValue()
	if err != nil {
		return "", nil, prependPath(err, "["+strconv.Quote(k)+"]")
	}
	return k, v, nil
}

// stringChild reads a child node that must be a string.
func (d *decoder) stringChild() (string, error) {
	n, err := d.next()
	if err != nil {
		return "", err
	}
	if n.kind != kString {
		return "", corrupt("expected a string node")
	}
	return d.str(n.x)
}

// messageChild reads an Error's message child: a string, or undefined for
// none, which a Go *Error holds as "".
func (d *decoder) messageChild() (string, error) {
	n, err := d.next()
	if err != nil {
		return "", err
	}
	switch n.kind {
	case kUndefined:
		return "", nil
	case kString:
		return d.str(n.x)
	}
	return "", corrupt("expected a string or undefined node for an error's message")
}

func (d *decoder) rawBlob(x uint64) ([]byte, error) {
	if x >= uint64(len(d.r.blobs)) {
		return nil, corrupt("payload index out of range")
	}
	return d.r.blobs[x], nil
}

// blob returns payload x for the new value to own: the record's own slice
// when the record is private, else a copy.
func (d *decoder) blob(x uint64) ([]byte, error) {
	b, err := d.rawBlob(x)
	if err != nil || d.private {
		return b, err
	}
	if err := d.charge(int64(len(b))); err != nil {
		return nil, err
	}
	c := make([]byte, len(b))
	copy(c, b)
	return c, nil
}

// anyValue rebuilds the next value at an interface position.
func (d *decoder) anyValue() (any, error) {
	n, err := d.next()
	if err != nil {
		return nil, err
	}
	return d.anyNode(n)
}

func (d *decoder) anyNode(n *node) (any, error) {
	if n.box != 0 {
		if int(n.box) > len(d.r.ifaces) {
			return nil, corrupt("box index out of range")
		}
		if n.kind == kComplex {
			d.pos += 2
		}
		return d.r.ifaces[n.box-1], nil
	}
	if n.typ != idNone {
		return d.typed(n)
	}
	switch n.kind {
	case kNull:
		return nil, nil
	case kUndefined:
		return Undefined, nil
	case kBool:
		return n.x != 0, nil
	case kInt:
		i := int64(n.x)
		if strconv.IntSize == 32 && (i < math.MinInt32 || i > math.MaxInt32) {
			return nil, &DataCloneError{Reason: "integer does not fit this platform's int"}
		}
		return int(i), nil
	case kUint:
		if strconv.IntSize == 32 && n.x > math.MaxUint32 {
			return nil, &DataCloneError{Reason: "integer does not fit this platform's uint"}
		}
		return uint(n.x), nil
	case kFloat:
		return math.Float64frombits(n.x), nil
	case kComplex:
		re, im, err := d.complexParts()
		return complex(re, im), err
	case kString:
		return d.str(n.x)
	case kBytes:
		return d.blob(n.x)
	case kSlice:
		return d.sliceAny(n)
	case kGoMap:
		return d.mapAny(n)
	case kObject:
		return d.object(n)
	case kMap:
		return d.jsMap(n)
	case kSet:
		return d.jsSet(n)
	case kArrayBuffer, kTransferred:
		return d.arrayBuffer(n)
	case kTypedArray:
		return d.typedArray(n)
	case kDataView:
		return d.dataView(n)
	case kError:
		return d.errorValue(n)
	case kRegExp:
		return d.regExp()
	case kBigInt:
		return d.bigInt(n)
	case kTime:
		return d.timeValue(n)
	case kProto:
		return d.protoMessage(n, nil)
	case kJSArray:
		return d.jsArray(n)
	case kBoxed:
		return d.boxed()
	case kDate:
		return d.date(n), nil
	case kJSRegExp:
		return d.jsRegExp()
	case kErrorCause:
		return d.errorCause(n)
	case kBlob, kFile:
		return d.blobValue(n)
	case kExternal:
		if n.x >= uint64(len(d.ext)) {
			return nil, corrupt("external slot out of range")
		}
		return d.ext[n.x], nil
	case kRef:
		return d.ref(n.x)
	}
	return nil, corrupt("a " + n.kind.String() + " node needs a type at an interface position")
}

func (d *decoder) complexParts() (re, im float64, err error) {
	a, err := d.next()
	if err != nil {
		return 0, 0, err
	}
	b, err := d.next()
	if err != nil {
		return 0, 0, err
	}
	if a.kind != kFloat || b.kind != kFloat {
		return 0, 0, corrupt("complex parts must be floats")
	}
	return math.Float64frombits(a.x), math.Float64frombits(b.x), nil
}

func (d *decoder) sliceAny(n *node) ([]any, error) {
	if err := d.charge(16 * int64(n.n)); err != nil {
		return nil, err
	}
	s := make([]any, n.n)
	for i := range s {
		v, err := d.anyValue()
		if err != nil {
			return nil, prependPath(err, "["+strconv.Itoa(i)+"]")
		}
		s[i] = v
	}
	return s, nil
}

func (d *decoder) mapAny(n *node) (map[string]any, error) {
	if err := d.charge(48 * int64(n.n)); err != nil {
		return nil, err
	}
	m := make(map[string]any, n.n)
	d.register(m)
	for i := uint32(0); i < n.n; i++ {
		k, v, err := d.property()
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}
