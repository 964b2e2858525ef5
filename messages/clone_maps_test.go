package messages_test

// The typed map copy (clone_maps.go) reads and writes maps through stand-in
// types: these tests hold it to the record path on every key and value
// shape it takes, and check that the maps it writes hash and hold their
// values as maps of their own type do.

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/entangle-go/entangle/internal/twin"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type (
	mkInt32  int32
	mkUint32 uint32
	mkInt64  int64
	mkUint   uint
	mkString string
	mObj     struct {
		A, B int
		S    string
	}
	mPadded struct {
		_ [0]int64
		A int8
	}
	mBool   struct{ B bool }
	mInt16  struct{ U int16 }
	mUint32 struct{ U uint32 }
	mFloat  struct{ F float64 }
)

var matrixKeys = []reflect.Type{
	reflect.TypeFor[int](), reflect.TypeFor[int64](), reflect.TypeFor[uint](), reflect.TypeFor[uint64](),
	reflect.TypeFor[int32](), reflect.TypeFor[uint32](), reflect.TypeFor[string](),
	reflect.TypeFor[mkInt32](), reflect.TypeFor[mkUint32](), reflect.TypeFor[mkInt64](), reflect.TypeFor[mkUint](), reflect.TypeFor[mkString](),
}

var matrixValues = []reflect.Type{
	reflect.TypeFor[*mObj](), reflect.TypeFor[map[string]int](), reflect.TypeFor[[]int](), reflect.TypeFor[[]string](),
	reflect.TypeFor[string](), reflect.TypeFor[mkString](), reflect.TypeFor[int64](), reflect.TypeFor[float64](),
	reflect.TypeFor[[1]uint64](), reflect.TypeFor[mFloat](), reflect.TypeFor[mPadded](),
	reflect.TypeFor[int32](), reflect.TypeFor[mUint32](), reflect.TypeFor[[1]int32](),
	reflect.TypeFor[int16](), reflect.TypeFor[mInt16](), reflect.TypeFor[[1]uint16](),
	reflect.TypeFor[int8](), reflect.TypeFor[bool](), reflect.TypeFor[mBool](),
}

// matrixKey is the i-th key of type t: spread over the whole range,
// negative ones too.
func matrixKey(t reflect.Type, i int) reflect.Value {
	k := reflect.New(t).Elem()
	x := uint64(i)*0x9E3779B97F4A7C15 ^ uint64(i)
	switch t.Kind() {
	case reflect.String:
		k.SetString(fmt.Sprintf("key-%d", i))
	case reflect.Int, reflect.Int64, reflect.Int32:
		if t.Size() == 4 {
			k.SetInt(int64(int32(x)))
		} else {
			k.SetInt(int64(x))
		}
	default:
		if t.Size() == 4 {
			k.SetUint(uint64(uint32(x)))
		} else {
			k.SetUint(x)
		}
	}
	return k
}

func matrixValue(t reflect.Type, i int, shared reflect.Value) reflect.Value {
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Pointer:
		if i%5 == 0 {
			return shared
		}
		if i%7 == 0 {
			return v // nil
		}
		v.Set(reflect.ValueOf(&mObj{A: i, B: -i, S: fmt.Sprint(i)}))
	case reflect.Map:
		if i%7 == 0 {
			return v
		}
		v.Set(reflect.ValueOf(map[string]int{fmt.Sprint(i): i}))
	case reflect.Slice:
		if i%7 == 0 {
			return v
		}
		s := reflect.MakeSlice(t, i%4, i%4+3)
		for j := range s.Len() {
			if t.Elem().Kind() == reflect.String {
				s.Index(j).SetString(fmt.Sprint(i, j))
			} else {
				s.Index(j).SetInt(int64(i * j))
			}
		}
		v.Set(s)
	case reflect.String:
		v.SetString(fmt.Sprint("v", i))
	default:
		// flat: a pattern in every byte
		b := valueBytes(v)
		for j := range b {
			b[j] = byte(i*31 + j*7 + 1)
		}
		if t.Kind() == reflect.Bool || t == reflect.TypeFor[mBool]() {
			b[0] &= 1
		}
		if t == reflect.TypeFor[float64]() && i%3 == 0 {
			v.SetFloat(math.Float64frombits(0x7ff0000000000001)) // signaling NaN
		}
	}
	return v
}

func valueBytes(v reflect.Value) []byte {
	return reflect.NewAt(reflect.ArrayOf(int(v.Type().Size()), reflect.TypeFor[byte]()), v.Addr().UnsafePointer()).Elem().Bytes()
}

// TestTypedMapCopyMatrix: maps of every key and value type the typed map
// copy reads through stand-in types (clone_maps.go), made by reflect,
// small and of two tables, with deletions and with a large hint: the
// direct copy takes them, equals the record path's copy, finds every key
// of the original with its value (flat values bit for bit, pointers
// copied), and stays a working map of its own type.
func TestTypedMapCopyMatrix(t *testing.T) {
	for _, kt := range matrixKeys {
		for _, vt := range matrixValues {
			mt := reflect.MapOf(kt, vt)
			for _, n := range []int{0, 1, 9, 100, 1100} {
				for _, mode := range []string{"plain", "deleted", "hint"} {
					if n == 1100 && mode != "plain" {
						continue // one map of two tables is enough
					}
					name := fmt.Sprintf("%v/%d/%s", mt, n, mode)
					shared := reflect.ValueOf(&mObj{A: 42})
					hint := 0
					if mode == "hint" {
						hint = 4 * n
					}
					m := reflect.MakeMapWithSize(mt, hint)
					total := n
					if mode == "deleted" {
						total = 2 * n
					}
					for i := range total {
						m.SetMapIndex(matrixKey(kt, i), matrixValue(vt, i, shared))
					}
					if mode == "deleted" {
						for i := 0; i < total; i += 2 {
							m.SetMapIndex(matrixKey(kt, i), reflect.Value{})
						}
					}
					direct, ok := messages.CloneDirect(m.Interface())
					require.True(t, ok, name)
					rec, err := recordClone(m.Interface())
					require.NoError(t, err, name)
					if d := twin.Diff(direct, rec); d != "" {
						t.Fatalf("%s: %s", name, d)
					}
					c := reflect.ValueOf(direct)
					require.Equal(t, mt, c.Type(), name)
					require.Equal(t, m.Len(), c.Len(), name)
					for it := m.MapRange(); it.Next(); {
						got := c.MapIndex(it.Key())
						if !got.IsValid() {
							t.Fatalf("%s: key %v not found in the copy", name, it.Key())
						}
						want := it.Value()
						switch vt.Kind() {
						case reflect.Pointer:
							if want.IsNil() != got.IsNil() || !want.IsNil() && (want.Pointer() == got.Pointer() || !reflect.DeepEqual(want.Elem().Interface(), got.Elem().Interface())) {
								t.Fatalf("%s: value of %v: %v, want a copy of %v", name, it.Key(), got, want)
							}
						case reflect.Map, reflect.Slice:
							if !reflect.DeepEqual(want.Interface(), got.Interface()) && !(want.Len() == 0 && got.Len() == 0) {
								t.Fatalf("%s: value of %v: %v, want %v", name, it.Key(), got, want)
							}
						default:
							w, g := reflect.New(vt).Elem(), reflect.New(vt).Elem()
							w.Set(want)
							g.Set(got)
							if string(valueBytes(w)) != string(valueBytes(g)) {
								t.Fatalf("%s: value of %v: %x, want %x", name, it.Key(), valueBytes(g), valueBytes(w))
							}
						}
					}
					// every key of the copy, looked up in the copy and in the original
					for it := c.MapRange(); it.Next(); {
						if !c.MapIndex(it.Key()).IsValid() || !m.MapIndex(it.Key()).IsValid() {
							t.Fatalf("%s: key %v of the copy not found", name, it.Key())
						}
					}
					// the copy stays a working map: add and delete through its own type
					extra := matrixKey(kt, 1<<20)
					c.SetMapIndex(extra, reflect.Zero(vt))
					require.True(t, c.MapIndex(extra).IsValid(), name)
					c.SetMapIndex(extra, reflect.Value{})
					require.Equal(t, m.Len(), c.Len(), name)
				}
			}
		}
	}
}

// TestTypedMapCopyValuesSurviveTheCollector: the copies' pointer, map, slice and
// string values are written through the stand-in types while the
// collector runs; every pointee must survive and keep its contents.
func TestTypedMapCopyValuesSurviveTheCollector(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			runtime.GC()
		}
	}()
	type copies struct {
		p  map[int32]*mObj
		m  map[uint64]map[string]int
		s  map[mkInt32][]string
		st map[int]string
	}
	var all []copies
	for round := range 15 {
		n := 50 + round*37
		p := make(map[int32]*mObj)
		mm := make(map[uint64]map[string]int)
		s := make(map[mkInt32][]string)
		st := make(map[int]string)
		for i := range n {
			p[int32(i*7919)] = &mObj{A: i, B: round, S: fmt.Sprint("p", i)}
			mm[uint64(i)<<40] = map[string]int{fmt.Sprint(i): i}
			s[mkInt32(-i)] = []string{fmt.Sprint("s", i)}
			st[i] = fmt.Sprint("st", i, "-", round)
		}
		var c copies
		x, err := messages.StructuredClone(p)
		require.NoError(t, err)
		c.p = x.(map[int32]*mObj)
		y, err := messages.StructuredClone(mm)
		require.NoError(t, err)
		c.m = y.(map[uint64]map[string]int)
		z, err := messages.StructuredClone(s)
		require.NoError(t, err)
		c.s = z.(map[mkInt32][]string)
		w, err := messages.StructuredClone(st)
		require.NoError(t, err)
		c.st = w.(map[int]string)
		all = append(all, c)
		_ = make([]*mObj, 1<<14) // garbage
	}
	stop.Store(true)
	wg.Wait()
	runtime.GC()
	for round, c := range all {
		n := 50 + round*37
		require.Len(t, c.p, n)
		for i := range n {
			o := c.p[int32(i*7919)]
			require.NotNil(t, o)
			require.Equal(t, mObj{A: i, B: round, S: fmt.Sprint("p", i)}, *o)
			require.Equal(t, map[string]int{fmt.Sprint(i): i}, c.m[uint64(i)<<40])
			require.Equal(t, []string{fmt.Sprint("s", i)}, c.s[mkInt32(-i)])
			require.Equal(t, fmt.Sprint("st", i, "-", round), c.st[i])
		}
	}
}

type mLink[M any] struct {
	Next *mLink[M]
	M    M
}

func atTheLimit[M any](t *testing.T, name string, m M) {
	for _, n := range []int{4998, 4999, 5000} {
		head := &mLink[M]{M: m}
		for range n - 1 {
			head = &mLink[M]{Next: head}
		}
		rec, recErr := recordClone(head)
		direct, ok := messages.CloneDirect(head)
		if (recErr == nil) != ok {
			t.Errorf("%s, %d links: the record path fails: %t, the direct copy takes it: %t", name, n, recErr != nil, ok)
		}
		if ok && recErr == nil {
			if d := twin.Diff(direct, rec); d != "" {
				t.Errorf("%s, %d links: %s", name, n, d)
			}
		}
	}
}

// TestTypedMapCopyAtTheNestingLimit: each value shape, around the
// nesting limit, taken exactly when the record path takes it.
func TestTypedMapCopyAtTheNestingLimit(t *testing.T) {
	o := &mObj{A: 1}
	atTheLimit(t, "int32->V8 struct", map[int32]mFloat{1: {2}})
	atTheLimit(t, "int32->[1]uint64", map[int32][1]uint64{1: {2}})
	atTheLimit(t, "int32->[1]bool", map[int32][1]bool{1: {true}})
	atTheLimit(t, "int32->pad", map[int32]mPadded{1: {A: 1}})
	atTheLimit(t, "int32->int16", map[int32]int16{1: 2})
	atTheLimit(t, "int32->empty", map[int32]int16{})
	atTheLimit(t, "int->string", map[int]string{1: "a"})
	atTheLimit(t, "string->int", map[string]int{"a": 1})
	atTheLimit(t, "string->empty", map[string]int{})
	// a struct around the map shifts it by one level, so that a flat
	// struct value lands exactly one past the limit too
	atTheLimit(t, "wrapped int32->V8 struct", struct{ M map[int32]mFloat }{map[int32]mFloat{1: {2}}})
	atTheLimit(t, "wrapped string->V8 struct", struct{ M map[string]mFloat }{map[string]mFloat{"a": {2}}})
	atTheLimit(t, "int64->ptr", map[int64]*mObj{1: o, 2: o})
	atTheLimit(t, "int64->nil ptr", map[int64]*mObj{1: nil})
	atTheLimit(t, "uint32->slice", map[uint32][]int{1: {1}})
	atTheLimit(t, "uint32->[][1]int8", map[uint32][][1]int8{1: {{1}}})
	atTheLimit(t, "uint32->nil slice", map[uint32][]int{1: nil})
	atTheLimit(t, "uint->map", map[uint]map[string]int{1: {"a": 1}})
	atTheLimit(t, "uint->map of map", map[uint]map[int32]map[int32]mUint32{1: {2: {3: {4}}}})
	atTheLimit(t, "uint->nil map", map[uint]map[string]int{1: nil})
	atTheLimit(t, "uint64->[]*ptr", map[uint64][]*mObj{1: {o, o, nil}})
	atTheLimit(t, "any", map[int32]any{1: 1}) // general path, for comparison
	// maps copied whole (one group of flat values), one after the other:
	// the first must give back the level it took
	atTheLimit(t, "two whole maps", struct{ A, B map[string]int }{map[string]int{"a": 1}, map[string]int{"b": 2, "c": 3}})
	atTheLimit(t, "three whole maps in a slice", []map[int32]string{{1: "a"}, {2: "b"}, {3: "c"}})
}

// TestSmallFlatMapsAreCopiedWhole: a map of flat values in one group of
// slots is copied whole (its copy keeps the original's hash seed), and
// one whose table is larger than one group, or that is empty, is made
// anew for its entries (a seed of its own).
func TestSmallFlatMapsAreCopiedWhole(t *testing.T) {
	hinted := make(map[string]string, 100)
	hinted["a"], hinted["b"], hinted["c"] = "1", "2", "3"
	nine := map[int32]uint16{}
	for i := range 9 {
		nine[int32(i)] = uint16(i)
	}
	eight := map[int32]uint16{}
	for i := range 8 {
		eight[int32(i)] = uint16(i)
	}
	for _, tt := range []struct {
		name  string
		m     any
		whole bool
	}{
		{"three strings", map[string]string{"a": "1", "b": "2", "c": "3"}, true},
		{"eight numbers", eight, true},
		{"named types", map[mkString]mkInt64{"a": 1}, true},
		{"nine numbers", nine, false},
		{"three strings, made for 100", hinted, false},
		{"empty", map[string]string{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := messages.CloneDirect(struct{ M any }{tt.m})
			require.True(t, ok)
			got := c.(struct{ M any }).M
			require.Equal(t, tt.m, got)
			assert.Equal(t, tt.whole, messages.MapSeed(got) == messages.MapSeed(tt.m))
		})
	}
}

type mSelf map[int32]mSelf

type mHolder struct {
	M map[uint64]*mHolder
	S []int
}

// TestTypedMapCopyKeepsIdentity: shared maps, pointers and slices
// and cycles through integer-keyed maps keep their identity, as on the
// record path.
func TestTypedMapCopyKeepsIdentity(t *testing.T) {
	self := mSelf{}
	for i := range 40 {
		self[int32(i)] = self
	}
	self[-1] = nil
	inner := map[string]int{"a": 1}
	h := &mHolder{S: []int{1, 2, 3}}
	h.M = map[uint64]*mHolder{}
	for i := range 30 {
		h.M[uint64(i)<<33] = h
	}
	h.M[1] = &mHolder{M: h.M}
	backing := []int{1, 2, 3, 4}
	for name, v := range map[string]any{
		"self map":       self,
		"shared inner":   map[int64]map[string]int{1: inner, 2: inner, 3: inner},
		"cycle":          h,
		"two maps":       []map[int32]*mHolder{{1: h}, {2: h}},
		"shared backing": map[uint32][]int{1: backing[:2], 2: backing[1:3], 3: backing},
		"map twice":      [2]map[int]string{{1: "a"}},
	} {
		rec, err := recordClone(v)
		require.NoError(t, err, name)
		direct, ok := messages.CloneDirect(v)
		require.True(t, ok, name)
		if d := twin.Diff(direct, rec); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if d := twin.Diff(v, direct); d != "" && name != "shared backing" { // slices: the record path does not keep backing arrays either
			t.Errorf("%s (against the original): %s", name, d)
		}
	}
}
