package messages_test

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/entangle-go/entangle/internal/twin"
	"github.com/entangle-go/entangle/messages"
)

// FuzzDirectCloneMatchesRecord builds a graph of Go values from the fuzz
// bytes (see buildTyped: structs with nested and shared pointers, cycles,
// slices sharing backing arrays, maps of structs, interfaces, arrays,
// named types, embedded structs, nils, float32 NaNs) and checks that the
// typed direct copy gives what Serialize+Deserialize gives, bit for bit,
// and that where the record path refuses the value the direct copy gives
// up and StructuredClone fails too.
func FuzzDirectCloneMatchesRecord(f *testing.F) {
	for _, p := range typedPrograms() {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, program []byte) {
		v := buildTyped(program)
		rec, recErr := recordClone(v)
		direct, ok := messages.CloneDirect(v)
		out, err := messages.StructuredClone(v)
		if recErr != nil {
			if ok {
				t.Fatalf("the record path refuses the value (%v), the direct copy took it", recErr)
			}
			// Which error is found first can depend on the order maps
			// are walked in, so only the kind of failure is compared.
			if !errors.Is(err, messages.ErrDataClone) {
				t.Fatalf("StructuredClone gives %v, the record path %v", err, recErr)
			}
			return
		}
		if err != nil {
			t.Fatalf("StructuredClone: %v (the record path took the value)", err)
		}
		if ok {
			if diff := twin.Diff(direct, rec); diff != "" {
				t.Fatalf("direct copy and record path differ: %s", diff)
			}
		}
		if diff := twin.Diff(out, rec); diff != "" {
			t.Fatalf("StructuredClone and record path differ: %s", diff)
		}
	})
}

func typedPrograms() [][]byte {
	return [][]byte{
		{0, 'a', 0, 'b', 2, 0, 1, 2, 1, 0, 3, 0, 0},
		{1, 1, 0x01, 0x00, 0x80, 0x7f, 's', 1, 1, 2, 3, 4, 0, 'n', 13, 0, 0, 13, 0, 1, 17, 0, 0},
		{0, 'x', 0, 'y', 8, 0, 'k', 1, 8, 1, 'k', 0, 9, 0, 4, 10, 0, 1, 3, 10, 1, 0, 2, 16, 3, 11, 0},
		{0, 'r', 18, 0, 18, 5, 18, 2, 16, 3, 12, 0, 3, 15, 0, 1, 19, 0, 2, 11, 0, 7, 0, 3, 6, 0, 4, 1, 2, 3},
		{0, 'c', 14, 0, 1, 0x01, 0x00, 0x80, 0x7f, 20, 0, 11, 0, 5, 0, 1, 2, 3},
		{0, 'q', 12, 0, 3, 21, 0, 11, 0},
		{2, 23, 0, 'a', 1, 'b', 2, 23, 2, 'c', 'd', 'e', 7, 'f', 23, 4, 2, 'k', 'v', 'l', 'w', 23, 1, 3, 'z', 9, 23, 3, 'p', 'q', 23, 5, 'r', 1, 4, 1, 's', 2, 3, 1, 23, 6, 1, 0, 2, 0, 23, 7, 9, 'x', 9, 'y'},
	}
}

// buildTyped interprets program as a small machine that builds Go values:
// Nodes and Leaves linked in any way, with a stack of loose values that
// ops store into interface fields. It returns a node, a leaf, or the stack
// as a []any, chosen by the first byte.
func buildTyped(program []byte) any {
	p := program
	next := func() byte {
		if len(p) == 0 {
			return 0
		}
		c := p[0]
		p = p[1:]
		return c
	}
	f32 := func() float32 {
		var b [4]byte
		n := copy(b[:], p)
		p = p[n:]
		return math.Float32frombits(binary.LittleEndian.Uint32(b[:]))
	}
	str := func() string { return string(rune('a' + next()%26)) }
	root := next()
	nodes := []*Node{{Name: "root"}}
	leaves := []*Leaf{{S: "leaf"}}
	backing := []int{1, 2, 3, 4, 5, 6}
	var stack []any
	node := func() *Node { return nodes[int(next())%len(nodes)] }
	leaf := func() *Leaf { return leaves[int(next())%len(leaves)] }
	pop := func() any {
		if len(stack) == 0 {
			return nil
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return v
	}
	sub := func() []int {
		i := int(next()) % (len(backing) + 1)
		j := i + int(next())%(len(backing)-i+1)
		if next()%4 == 0 {
			return nil
		}
		return backing[i:j]
	}
	for steps := 0; len(p) > 0 && steps < 300; steps++ {
		switch next() % 24 {
		case 0:
			n := &Node{Name: str()}
			nodes = append(nodes, n)
			stack = append(stack, n)
		case 1:
			l := &Leaf{I: int8(next()), F: f32(), S: str(), B: next()%2 == 0, U: uint16(next())}
			l.C = complex(f32(), float32(next()))
			l.A = [2]float32{f32(), float32(next())}
			leaves = append(leaves, l)
			if next()%2 == 0 {
				stack = append(stack, l)
			} else {
				stack = append(stack, *l)
			}
		case 2:
			node().Next = node()
		case 3:
			if n := node(); next()%3 == 0 {
				n.Other = nil
			} else {
				n.Other = node()
			}
		case 4:
			n := node()
			n.Kids = append(n.Kids, node())
		case 5:
			n := node()
			n.Vals = append(n.Vals, *leaf())
		case 6:
			n := node()
			n.Nums = []float32{f32(), f32()}[:next()%3]
		case 7:
			n := node()
			n.Bytes = [][]byte{nil, {}, []byte("abc")}[next()%3]
		case 8:
			n := node()
			if n.Map == nil {
				if o := node(); o.Map != nil && next()%2 == 0 {
					n.Map = o.Map // one map in two places
				} else {
					n.Map = map[string]*Node{}
				}
			}
			n.Map[str()] = node()
		case 9:
			n := node()
			if n.ByKey == nil {
				n.ByKey = map[Key]Leaf{}
			}
			n.ByKey[Key{int8(next()), str()}] = *leaf()
		case 10:
			n := node()
			if n.ByInt == nil {
				n.ByInt = map[int16][]int{}
			}
			n.ByInt[int16(next())] = sub() // slices over one backing array
		case 11:
			node().Any = pop()
		case 12:
			n := node()
			k := int(next() % 4)
			for i := 0; i < k; i++ {
				n.List = append(n.List, pop())
			}
		case 13:
			n := node()
			n.Arr[next()%2] = leaf()
		case 14:
			n := node()
			n.Grid[next()%2][next()%3] = f32()
			n.Names[next()%2] = str()
		case 15:
			n := node()
			switch next() % 3 {
			case 0:
				n.Shape = Square{float64(next())}
			case 1:
				n.Shape = node()
			default:
				n.Shape = nil
			}
		case 16:
			switch next() % 4 {
			case 0:
				stack = append(stack, []any{pop(), pop()})
			case 1:
				stack = append(stack, map[string]any{str(): pop()})
			case 2:
				stack = append(stack, map[int]any{int(next()): pop()})
			default:
				stack = append(stack, [2]any{pop(), pop()})
			}
		case 17:
			node().Leaf = leaf()
		case 18:
			scalars := []any{int(int8(next())), f32(), str(), Celsius(next()), (*Node)(nil), []int(nil),
				map[string]int(nil), sub(), Tags{str()}, [3]float32{f32()}, Leaves{*leaf()}, true, nil}
			stack = append(stack, scalars[int(next())%len(scalars)])
		case 19:
			if len(backing) > 0 {
				node().Nested.Deep.P = &backing[int(next())%len(backing)] // into a slice's array
			}
		case 20:
			// values only the record path takes, or refuses
			odd := []any{time.Unix(int64(next()), 0), func() {}, make(chan int), errors.New("e"), withBlank{A: 1}}
			stack = append(stack, odd[int(next())%len(odd)])
		case 22:
			n := node()
			n.When = time.Unix(int64(next()), int64(next())).In(time.FixedZone("F", 60*int(next()%4)))
			n.Times = append(n.Times, n.When, time.Time{})
		case 21:
			if n := node(); n.List != nil {
				stack = append(stack, n.List) // a slice inside itself: a cycle through slices
			}
		case 23:
			// maps whose keys and values are their own copies (copied
			// whole), each pushed twice: one map in two places
			var m any
			switch next() % 8 {
			case 0:
				m = map[string]int{str(): int(next()), str(): -int(next())}
			case 1:
				m = map[Key]Point{{int8(next()), str()}: {int(next()), -1}}
			case 2:
				m = map[float64]string{math.NaN(): str(), math.NaN(): str(), math.Copysign(0, -1): str(), float64(next()): str()}
			case 3:
				m = map[string]float64{str(): math.NaN(), str(): math.Inf(-1)}
			case 4:
				m = Labels{}
				for range next() % 12 {
					m.(Labels)[str()] = str()
				}
			case 5:
				// string keys, slice values, the slices over one
				// backing array
				m = map[Celsiusname][]int{Celsiusname(str()): sub(), Celsiusname(str()): sub()}
			case 6:
				// integer keys, shared pointers
				m = map[Weekday]*Leaf{Weekday(next()): leaf(), -Weekday(next()): leaf()}
			default:
				m = map[int32]string{int32(next()): str(), -int32(next()): str()}
			}
			stack = append(stack, m, m)
		}
	}
	switch root % 3 {
	case 0:
		return nodes[0]
	case 1:
		return *leaves[len(leaves)-1]
	}
	return stack
}
