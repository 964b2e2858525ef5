package messages_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"runtime"
	"testing"
	"time"

	"github.com/entangle-go/entangle/internal/racebuild"
	"github.com/entangle-go/entangle/internal/twin"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Go types for the typed direct copy: every shape the copy plan knows.

type Leaf struct {
	I int8
	F float32
	S string
	B bool
	C complex64
	A [2]float32
	U uint16
}

type Embedded struct{ E int }

type Key struct {
	A int8
	B string
}

type Leaves []Leaf

// Labels is a named map of strings, copied whole.
type Labels map[string]string

type namedAny map[string]any

type Node struct {
	Embedded
	*Leaf
	Name   string
	Value  Leaf
	Next   *Node
	Other  *Node
	Kids   []*Node
	Vals   Leaves
	Nums   []float32
	Bytes  []byte
	Tags   []string
	Map    map[string]*Node
	ByKey  map[Key]Leaf
	ByInt  map[int16][]int
	Any    any
	List   []any
	Arr    [2]*Leaf
	Grid   [2][3]float32
	Names  [2]string
	Shape  Shape
	When   time.Time
	Times  []time.Time
	Nested struct {
		Deep struct{ P *int }
	}
	_    [0]func()
	mark struct{} //lint:ignore U1000 a zero-size unexported marker
}

func (n *Node) Area() float64 { return float64(len(n.Name)) }

// snan32 is a signaling float32 NaN, which the record path quiets when it
// reads a float32 through a float64.
var snan32 = math.Float32frombits(0x7f800001)

func directShapes() map[string]any {
	n := 5
	shared := &Leaf{I: 1, S: "shared"}
	ring := &Node{Name: "a"}
	ring.Next = &Node{Name: "b", Next: ring}
	ring.Other = ring
	backing := []int{1, 2, 3, 4}
	self := &Node{Name: "self"}
	self.Map = map[string]*Node{"me": self}
	self.Any = self.Map
	inner := &Node{Name: "inner"}
	inner.Shape = inner
	full := &Node{
		Embedded: Embedded{E: 3}, Leaf: shared, Name: "full", Value: Leaf{F: snan32, C: complex(snan32, 1), A: [2]float32{snan32, 2}},
		Kids: []*Node{ring, ring, nil}, Vals: Leaves{{S: "v", F: snan32}}, Nums: []float32{snan32, 1}, Bytes: []byte("xyz"),
		Tags: []string{"a", "b"}, Map: map[string]*Node{"r": ring, "nil": nil}, ByKey: map[Key]Leaf{{1, "k"}: {S: "kv"}},
		ByInt: map[int16][]int{1: backing[:2], 2: backing[1:3], 3: nil, 4: {}}, Any: Leaf{F: snan32}, List: []any{1, "s", shared, []any{nil}},
		Arr: [2]*Leaf{shared, shared}, Grid: [2][3]float32{{snan32}}, Names: [2]string{"x", "y"}, Shape: Square{2},
	}
	full.Nested.Deep.P = &n
	labels := Labels{"k": "v"}
	return map[string]any{
		"small struct pointer":           &struct{ I int }{7},
		"small struct value":             struct{ I int }{7},
		"flat struct with strings":       Leaf{I: 1, S: "s", F: 2.5},
		"flat struct with a NaN":         Leaf{F: snan32},
		"pointer to flat with a NaN":     &Leaf{F: snan32, A: [2]float32{snan32}},
		"named scalar":                   Celsius(21.5),
		"float32 scalar NaN":             snan32,
		"array of float32 NaNs":          [3]float32{snan32, 1, snan32},
		"pointer to float32 array":       &[3]float32{snan32, 1, snan32},
		"complex64 NaN":                  complex(snan32, snan32),
		"array of strings":               [2]string{"a", "b"},
		"array of pointers, shared":      [2]*Leaf{shared, shared},
		"empty array":                    [0]*Leaf{},
		"empty struct":                   struct{}{},
		"pointer to empty struct":        &struct{}{},
		"two pointers to one struct":     &Pair{A: &Point{1, 2}, B: nil},
		"shared pointer in slice":        []*Leaf{shared, shared, nil},
		"cycle":                          ring,
		"cycle through a map":            self,
		"cycle through an interface":     inner,
		"slices sharing a backing":       [][]int{backing[:2], backing[1:3], backing},
		"slice of structs":               []Leaf{{S: "a", F: snan32}, {S: "b"}},
		"slice of strings":               []string{"a", "b", "c"},
		"slice of bytes":                 []byte("hello"),
		"empty slice":                    []int{},
		"empty byte slice":               []byte{},
		"nil slice":                      []int(nil),
		"nil map":                        map[string]int(nil),
		"nil pointer":                    (*Node)(nil),
		"nil interface in a struct":      &Node{},
		"packed ints":                    []int{1, 2, 3, 4, 5},
		"packed bools":                   []bool{true, false, true},
		"named slice":                    Tags{"x", "y", "z"},
		"map of struct values":           map[string]Leaf{"a": {S: "a", F: snan32}, "b": {}},
		"map of struct keys":             map[Key]int{{1, "a"}: 1, {2, "b"}: 2},
		"map of slices":                  map[int][]string{1: {"a"}, 2: nil},
		"map with pointer values":        map[string]*Leaf{"a": shared, "b": shared},
		"named keys, pointer values":     map[Celsiusname]*Leaf{"a": shared, "b": nil},
		"map with map values":            map[string]map[string]int{"a": {"x": 1}, "b": nil, "c": {}},
		"map with map[string]any values": map[string]map[string]any{"a": {"x": shared}, "b": {"y": []any{shared}}},
		"long map, shared values":        longSharedMap(),
		"maps chained through pointers":  mapChain(1000),
		"map with NaN keys":              map[float64]int{math.NaN(): 1, math.NaN(): 2, 3: 3},
		"map with any values":            map[int]any{1: shared, 2: []any{shared}, 3: nil},
		"map[string]any":                 map[string]any{"i": 1, "s": "x", "l": []any{1.5, true}, "leaf": shared},
		"[]any with Go values":           []any{shared, shared, Leaf{}, []int{1}, map[string]int{"a": 1}},
		"interface with methods":         []Shape{Square{1}, &Node{Name: "n"}, nil},
		"pointer-shaped struct":          struct{ P *Leaf }{shared},
		"pointer-shaped array":           [1]*Leaf{shared},
		"pointer-shaped map struct":      []any{struct{ M map[string]int }{map[string]int{"a": 1}}},
		"named map[string]any":           namedAny{"a": namedAny{}, "b": map[string]any{}},
		"map of strings":                 map[string]string{"a": "x", "b": "y"},
		"named map of strings":           Labels{"a": "x", "": ""},
		"flat map in two places":         []Labels{labels, labels, nil, {}},
		"flat map in two interfaces":     []any{labels, labels},
		"map with -0 and NaN keys":       map[float64]string{math.Copysign(0, -1): "z", math.NaN(): "n", math.NaN(): "m"},
		"map with NaN values":            map[string]float64{"n": math.NaN(), "i": math.Inf(1)},
		"map of flat structs":            map[Key]Point{{1, "a"}: {1, 2}, {2, "b"}: {3, 4}},
		"long flat map":                  longFlatMap(),
		"map of int8":                    map[string]int8{"a": -1, "b": 127},
		"named keys, uint16 values":      map[Celsiusname]uint16{"a": 1, "b": 65535},
		"map of int32":                   map[string]int32{"a": -7},
		"map of 8-byte structs":          map[string]struct{ A, B int32 }{"a": {1, 2}},
		"map of byte pairs":              map[string][2]uint8{"a": {1, 2}, "b": {}},
		"map of bools":                   map[string]bool{"t": true, "f": false},
		"set of strings":                 map[string]struct{}{"a": {}, "b": {}},
		"map of named strings":           map[string]Celsiusname{"a": "x"},
		"int keys, shared pointers":      map[int]*Leaf{1: shared, 2: shared, 3: nil},
		"int64 keys, strings":            map[int64]string{-1: "a", 1 << 40: "b"},
		"uint32 keys, bools":             map[uint32]bool{0: true, 1 << 31: false},
		"int32 keys, 2-byte values":      map[int32]uint16{-5: 7},
		"int32 keys, 8-byte values":      map[int32]float64{1: math.NaN(), 2: math.Inf(-1)},
		"uint64 keys, maps":              map[uint64]map[string]int{1: {"a": 1}, 2: nil},
		"named int keys, slices":         map[Weekday][]string{1: {"mon"}, 2: nil, 3: {}},
		"int32 keys, misaligned values":  map[int32][2]uint16{1: {2, 3}},
		"int32 keys, 4-aligned 8 bytes":  map[int32][2]int32{1: {2, 3}, -1: {4, 5}},
		"map of string slices":           map[string][]string{"a": {"x"}, "b": nil, "c": {}},
		"named keys, slices of structs":  map[Celsiusname][]Leaf{"a": {{F: snan32}, {S: "s"}}, "b": nil},
		"string keys, shared backing":    map[string][]int{"a": backing[:2], "b": backing[1:3]},
		"time with a monotonic reading":  withTime{At: time.Now(), N: 1},
		"times in an interface":          []any{time.Now(), time.Unix(5, 0).In(time.FixedZone("Z", 3600)), &Node{When: time.Now()}},
		"times in a slice":               []time.Time{time.Now(), {}},
		"embedded structs":               Node{Embedded: Embedded{E: 1}, Leaf: shared},
		"everything":                     full,
		"pointer chain at the limit":     chain(4999),
	}
}

type link struct{ Next *link }

// longFlatMap has more entries than one table of the runtime's maps holds
// before it splits, and some deleted.
func longFlatMap() map[int]string {
	m := make(map[int]string)
	for i := range 3000 {
		m[i] = fmt.Sprint(i)
	}
	for i := 0; i < 3000; i += 3 {
		delete(m, i)
	}
	return m
}

// TestMapCopyIsSizedForItsEntries: Go maps never shrink, so a map made
// with a large size hint, or that once held many entries, has a large
// table; its copy is made for the entries it holds now, as the record
// path makes it, not as large as the original's table.
func TestMapCopyIsSizedForItsEntries(t *testing.T) {
	const n = 1 << 16
	shrunk := func() map[string]int {
		m := make(map[string]int)
		for i := range n {
			m[fmt.Sprint(i)] = i
		}
		for i := 1; i < n; i++ {
			delete(m, fmt.Sprint(i))
		}
		return m
	}
	for name, v := range map[string]any{
		"strings, made with a large hint":  make(map[string]string, n),
		"numbers, once large":              shrunk(),
		"slices, made with a large hint":   make(map[string][]int, n),
		"int keys, made with a large hint": make(map[int]string, n),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, ok := messages.CloneDirect(v)
		runtime.ReadMemStats(&after)
		require.True(t, ok, name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), name)
	}
}

// TestFlatMapCopyIsIndependent: the copy of a map copied whole is a map of
// its own, of the same type, and the original keeps its entries whatever
// is done to the copy.
func TestFlatMapCopyIsIndependent(t *testing.T) {
	orig := Labels{"a": "x", "b": "y"}
	out, err := messages.StructuredClone(orig)
	require.NoError(t, err)
	c, ok := out.(Labels)
	require.True(t, ok, "the copy is a %T", out)
	c["a"] = "changed"
	c["new"] = "z"
	delete(c, "b")
	assert.Equal(t, Labels{"a": "x", "b": "y"}, orig)
	assert.Equal(t, Labels{"a": "changed", "new": "z"}, c)
}

// Celsiusname is a named string type, as a map key.
type Celsiusname string

// longSharedMap has more entries than the identity map's first table,
// all pointing at a few shared objects, and one pointing at itself.
func longSharedMap() map[string]*Node {
	m := make(map[string]*Node, 300)
	leaves := make([]*Node, 10)
	for i := range leaves {
		leaves[i] = &Node{Name: fmt.Sprint("n", i)}
	}
	for i := range 300 {
		m[fmt.Sprint("k", i)] = leaves[i%len(leaves)]
	}
	m["self"] = &Node{Map: m}
	return m
}

type mlink struct{ Next map[string]*mlink }

// mapChain returns n links joined by maps with string keys.
func mapChain(n int) *mlink {
	head := &mlink{}
	for i := 0; i < n; i++ {
		head = &mlink{Next: map[string]*mlink{"next": head}}
	}
	return head
}

// chain returns a list of n links: 2n levels of nesting (a pointer and a
// struct each), so 4999 is the longest the record path takes.
func chain(n int) *link {
	var head *link
	for i := 0; i < n; i++ {
		head = &link{Next: head}
	}
	return head
}

// TestDirectCloneMatchesRecord checks, for each shape, that the typed
// direct copy takes the value and gives what Serialize+Deserialize gives.
func TestDirectCloneMatchesRecord(t *testing.T) {
	for name, v := range directShapes() {
		t.Run(name, func(t *testing.T) {
			rec, err := recordClone(v)
			require.NoError(t, err)
			direct, ok := messages.CloneDirect(v)
			require.True(t, ok, "the direct path gave up")
			assert.Empty(t, twin.Diff(direct, rec))
			if cloneEqual(v, rec) == "" { // cloneEqual cannot look up NaN keys nor tell zero-size objects apart
				assert.Empty(t, cloneEqual(v, direct))
			}
			out, err := messages.StructuredClone(v)
			require.NoError(t, err)
			assert.Empty(t, twin.Diff(out, rec))
		})
	}
}

type withFunc struct {
	F func()
	I int
}

type withTime struct {
	At time.Time
	N  int
}

type hidden struct {
	Shown int
	shown int //lint:ignore U1000 the unexported field under test
}

type withBlank struct {
	A int
	_ int
}

type holdsBad struct {
	Any any
}

// TestDirectCloneGivesUp checks that the values the direct copy does not
// take go to the record path, which gives the same result or the same
// error (with its path) as Serialize does.
func TestDirectCloneGivesUp(t *testing.T) {
	slices := []any{nil}
	slices[0] = slices
	obj := messages.NewObject()
	obj.Set("a", 1)
	for name, v := range map[string]any{
		"func field":               &withFunc{I: 1},
		"chan field":               withChan{C: make(chan int)},
		"func in an interface":     holdsBad{Any: func() {}},
		"nil slice of funcs":       []func(){},
		"unexported field":         hidden{Shown: 1},
		"blank field":              withBlank{A: 1},
		"big integer":              []*big.Int{big.NewInt(3)},
		"web object":               []any{obj},
		"error value":              []error{errors.New("x")},
		"custom marshaler":         []Stamp{{secret: 1}},
		"too deep":                 chain(5000),
		"cycle through slices":     slices,
		"func deep in a map value": map[string]holdsBad{"k": {Any: []any{1, func() {}}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, ok := messages.CloneDirect(v)
			assert.False(t, ok, "the direct path should give up")
			rec, recErr := recordClone(v)
			out, err := messages.StructuredClone(v)
			if recErr != nil {
				require.Error(t, err)
				assert.Equal(t, recErr.Error(), err.Error())
				var a, b *messages.DataCloneError
				require.ErrorAs(t, recErr, &a)
				require.ErrorAs(t, err, &b)
				assert.Equal(t, a.Path, b.Path)
				return
			}
			require.NoError(t, err)
			assert.Empty(t, cloneEqual(rec, out))
		})
	}
}

// TestDirectCloneErrorsKeepTheirPaths: an error deep in a Go value comes
// from the record path, path included.
func TestDirectCloneErrorsKeepTheirPaths(t *testing.T) {
	v := &Node{Kids: []*Node{{}, {Any: map[string]any{"f": withFunc{}}}}}
	_, err := messages.StructuredClone(v)
	var dce *messages.DataCloneError
	require.ErrorAs(t, err, &dce)
	assert.Equal(t, `.Kids[1].Any["f"].F`, dce.Path)
}

func TestDirectCloneAllocations(t *testing.T) {
	small := &struct{ I int }{7}
	tenFields := &struct {
		ID          int64
		Name, Email string
		Age         int
		Score       float64
		Active      bool
		Tags        []string
	}{ID: 1, Name: "a", Email: "b", Tags: []string{"x"}}
	for name, tc := range map[string]struct {
		v   any
		max float64
	}{"*struct{I int}": {small, 1}, "struct with a slice": {tenFields, 2}, "flat value": {Leaf{S: "x"}, 0},
		"map of strings": {map[string]string{"a": "x", "b": "y"}, 2}} {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := messages.StructuredClone(tc.v); err != nil {
				panic(err)
			}
		})
		assert.LessOrEqual(t, allocs, tc.max, name)
	}
}

// Weekday is a named integer type, as a map key.
type Weekday int

// tagged is a struct that is not flat: its copy copies its slice.
type tagged struct {
	Name string
	Tags []string
}

// TestCopyAllocatesOnlyWhatItMakes: the scratch space of a copy (a map's
// scratch key, value and iterator, kept by its plan; the identity table,
// which a copy that meets two objects uses) comes from pools, so a copy
// allocates what it makes, as a hand-written copy does: here the maps'
// headers and tables, the two slices, the struct.
func TestCopyAllocatesOnlyWhatItMakes(t *testing.T) {
	if racebuild.Enabled {
		t.Skip("sync.Pool drops some of what it is given under the race detector")
	}
	for name, tc := range map[string]struct {
		v    any
		want float64
	}{
		"map of slices":        {map[string][]string{"a": {"x"}, "b": {"y", "z"}}, 4},
		"map of struct values": {map[string]tagged{"a": {Name: "a"}, "b": {Name: "b", Tags: []string{"x"}}}, 3},
		"pointer to a struct with a map": {&struct {
			Name  string
			Attrs map[string]any
		}{"n", map[string]any{"a": 1.5, "b": "x"}}, 3},
	} {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := messages.StructuredClone(tc.v); err != nil {
				panic(err)
			}
		})
		assert.LessOrEqual(t, allocs, tc.want, name)
	}
}

func ExampleStructuredClone_goStruct() {
	type Order struct {
		ID    int
		Items []string
	}
	o := &Order{ID: 1, Items: []string{"tea"}}
	c, _ := messages.StructuredClone(o)
	o.Items[0] = "coffee"
	fmt.Println(c.(*Order).ID, c.(*Order).Items)
	// Output: 1 [tea]
}

type gen[T any] struct {
	V T
	P *gen[T]
	L []T
}

// TestDirectClonePlansConcurrently makes copy plans for new types from
// many goroutines at once (go test -race checks the plan cache).
func TestDirectClonePlansConcurrently(t *testing.T) {
	values := []any{
		&gen[int8]{V: 1}, &gen[string]{V: "s"}, &gen[[]float32]{V: []float32{1}}, &gen[map[uint8]string]{},
		&gen[*Leaf]{V: &Leaf{}}, &gen[any]{V: Leaf{}}, &gen[[3]uint16]{}, &gen[Key]{L: []Key{{1, "k"}}},
	}
	done := make(chan string, 8*len(values))
	for g := 0; g < 8; g++ {
		go func() {
			for i := range values {
				v := values[(i+g)%len(values)]
				out, err := messages.StructuredClone(v)
				if err != nil {
					done <- err.Error()
					continue
				}
				rec, err := recordClone(v)
				if err != nil {
					done <- err.Error()
					continue
				}
				done <- twin.Diff(out, rec)
			}
		}()
	}
	for i := 0; i < 8*len(values); i++ {
		assert.Empty(t, <-done)
	}
}
