package messages

import (
	"encoding/binary"
	"math"
	"math/big"
	"reflect"

	"github.com/entangle-go/entangle/internal/jsrec"
)

// How the jsrec Reader reads what only Go values have: integers, Go maps
// (Objects when their keys are strings), structs (Objects keyed by field
// names) and packed slices (dense Arrays).

// number reads a Go integer as a Number when it fits in 2^53 exactly, else
// as a BigInt.
func number(i int64) jsrec.Node {
	if i >= -(1<<53) && i <= 1<<53 {
		return jsrec.Node{Kind: jsrec.Number, Num: float64(i), ID: -1}
	}
	return jsrec.Node{Kind: jsrec.BigInt, Big: big.NewInt(i), ID: -1}
}

func unsignedNumber(u uint64) jsrec.Node {
	if u <= 1<<53 {
		return jsrec.Node{Kind: jsrec.Number, Num: float64(u), ID: -1}
	}
	return jsrec.Node{Kind: jsrec.BigInt, Big: new(big.Int).SetUint64(u), ID: -1}
}

// subtreeEnds returns, for every node, the index after its subtree.
func subtreeEnds(nodes []node) []int32 {
	ends := make([]int32, len(nodes))
	type open struct{ at, left int }
	var stack []open
	for i := range nodes {
		if c := childCount(&nodes[i]); c > 0 {
			stack = append(stack, open{i, c})
			continue
		}
		ends[i] = int32(i + 1)
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.left--; top.left > 0 {
				break
			}
			ends[top.at] = int32(i + 1)
			stack = stack[:len(stack)-1]
		}
	}
	return ends
}

// stringKeys reports whether the keys of Go map node n are all strings,
// so that it reads as an Object.
func (rd *jsReader) stringKeys(n *node) bool {
	at := rd.pos
	for i := uint32(0); i < n.n; i++ {
		if at >= len(rd.nodes) || rd.nodes[at].kind != kString {
			return false
		}
		v := at + 1 // a string has no children
		if v >= len(rd.nodes) || int(rd.ends[v]) <= v {
			return false
		}
		at = int(rd.ends[v])
	}
	return true
}

// fieldNames returns the field names of struct node n, from its plan (in
// memory) or its shape in the type table (decoded).
func (rd *jsReader) fieldNames(n *node) ([]string, error) {
	if names, ok := rd.names[n.x]; ok {
		return names, nil
	}
	var names []string
	if rd.r.decoded {
		j := n.x - uint64(firstDynamicID)
		if n.x < uint64(firstDynamicID) || j >= uint64(len(rd.r.types)) || rd.r.types[j].op != tStruct {
			return nil, corrupt("struct node without a struct shape")
		}
		for _, f := range rd.r.types[j].fields {
			names = append(names, f.name)
		}
	} else {
		p := planByID(uint32(n.x))
		if p == nil || p.kind != pStruct {
			return nil, corrupt("struct node without a struct plan")
		}
		for _, f := range p.fields {
			names = append(names, f.name)
		}
	}
	if len(names) != int(n.n) {
		return nil, corrupt("struct node has the wrong number of fields")
	}
	if rd.names == nil {
		rd.names = map[uint64][]string{}
	}
	rd.names[n.x] = names
	return names, nil
}

func (rd *jsReader) packed(n *node) (jsrec.Node, error) {
	k := reflect.Kind(n.flags)
	if k == reflect.Complex64 || k == reflect.Complex128 {
		return jsrec.Node{}, notJS("a Go complex number")
	}
	data, err := rd.blob(n.x)
	if err != nil {
		return jsrec.Node{}, err
	}
	w := packWidth(k)
	if !packable(k) || uint64(n.n)*uint64(w) != uint64(len(data)) {
		return jsrec.Node{}, corrupt("packed payload has the wrong length")
	}
	rd.push(rframe{kind: fPacked, left: int(n.n), data: data, pk: n.flags, width: w})
	return jsrec.Node{Kind: jsrec.Array, Length: int(n.n), Count: int(n.n), Dense: true, ID: rd.fresh()}, nil
}

// packedElem reads element f.idx-1 of a packed payload.
func (rd *jsReader) packedElem(f *rframe) (jsrec.Node, error) {
	b := f.data[(f.idx-1)*f.width:]
	le := binary.LittleEndian
	switch reflect.Kind(f.pk) {
	case reflect.Bool:
		return jsrec.Node{Kind: jsrec.Bool, Bool: b[0] != 0, ID: -1}, nil
	case reflect.Int8:
		return number(int64(int8(b[0]))), nil
	case reflect.Uint8:
		return number(int64(b[0])), nil
	case reflect.Int16:
		return number(int64(int16(le.Uint16(b)))), nil
	case reflect.Uint16:
		return number(int64(le.Uint16(b))), nil
	case reflect.Int32:
		return number(int64(int32(le.Uint32(b)))), nil
	case reflect.Uint32:
		return number(int64(le.Uint32(b))), nil
	case reflect.Int, reflect.Int64:
		return number(int64(le.Uint64(b))), nil
	case reflect.Uint, reflect.Uint64:
		return unsignedNumber(le.Uint64(b)), nil
	case reflect.Float32:
		return jsrec.Node{Kind: jsrec.Number, Num: float64(math.Float32frombits(le.Uint32(b))), ID: -1}, nil
	case reflect.Float64:
		return jsrec.Node{Kind: jsrec.Number, Num: math.Float64frombits(le.Uint64(b)), ID: -1}, nil
	}
	return jsrec.Node{}, corrupt("bad packed element kind")
}
