package ports

import (
	"fmt"
	"math"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flatMaps are maps whose values are all primitives, of every kind.
var flatMaps = []struct {
	name string
	m    map[string]any
}{
	{"one entry", map[string]any{"i": 7}},
	{"two entries", map[string]any{"i": 7, "s": "x"}},
	{"three entries, made for 100", func() map[string]any {
		m := make(map[string]any, 100)
		m["a"], m["b"], m["c"] = 1, "2", 3.5
		return m
	}()},
	{"eight entries", map[string]any{"a": 1, "b": "2", "c": 3.5, "d": true, "e": nil, "f": uint8(6), "g": int64(-7), "h": "8"}},
	{"nine entries", map[string]any{"a": 1, "b": "2", "c": 3.5, "d": true, "e": nil, "f": uint8(6), "g": int64(-7), "h": "8", "i": 9}},
	{"every primitive kind", map[string]any{
		"nil": nil, "bool": true, "string": "s", "undefined": messages.Undefined,
		"int": -1, "int8": int8(-8), "int16": int16(-16), "int32": int32(-32), "int64": int64(math.MinInt64),
		"uint": uint(1), "uint8": uint8(8), "uint16": uint16(16), "uint32": uint32(32), "uint64": uint64(math.MaxUint64),
		"float32": float32(1.5), "nan": math.NaN(), "negative zero": math.Copysign(0, -1), "inf": math.Inf(-1),
		"complex64": complex64(1 + 2i), "complex128": 3 + 4i,
	}},
	{"many entries", func() map[string]any {
		m := map[string]any{}
		for i := range 100 {
			m[fmt.Sprint("k", i)] = i
		}
		return m
	}()},
}

// flatMapNamed is the map of flatMaps with that name.
func flatMapNamed(t *testing.T, name string) map[string]any {
	for _, tt := range flatMaps {
		if tt.name == name {
			return tt.m
		}
	}
	t.Fatalf("no flat map %q", name)
	return nil
}

// The map a receiver builds is what StructuredClone makes of the map
// (NaN and -0 compared as printed), and a map of its own.
func TestFlatMapIsTheStructuredClone(t *testing.T) {
	for _, tt := range flatMaps {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := snapshotFlatMap(tt.m)
			require.True(t, ok)
			want, err := messages.StructuredClone(tt.m)
			require.NoError(t, err)
			got := plainValue(f)
			assert.Equal(t, fmt.Sprintf("%#v", want), fmt.Sprintf("%#v", got))
			got.(map[string]any)["added"] = 1
			assert.NotContains(t, tt.m, "added", "the built map is not the posted one")
		})
	}
}

// Anything but a non-empty map[string]any of primitives is cloned as
// before.
func TestSnapshotFlatMapTakesOnlyFlatMaps(t *testing.T) {
	type named map[string]any
	type str string
	for _, tt := range []struct {
		name string
		v    any
	}{
		{"nil map", map[string]any(nil)},
		{"empty map", map[string]any{}},
		{"a named map type", named{"i": 1}},
		{"a map value", map[string]any{"i": 1, "m": map[string]any{}}},
		{"a map value among nine", map[string]any{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "m": map[string]any{}}},
		{"a slice value", map[string]any{"s": []int{1}}},
		{"a pointer value", map[string]any{"p": new(int)}},
		{"a struct value", map[string]any{"s": struct{ I int }{1}}},
		{"a named string value", map[string]any{"s": str("x")}},
		{"another key type", map[int]any{1: 1}},
		{"not a map", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := snapshotFlatMap(tt.v)
			assert.False(t, ok)
		})
	}
}

// A flat map posted on a channel arrives with the entries it had when it
// was posted; what either side does to its map later stays its own.
func TestPostedFlatMapIsTheReceiversOwn(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	sent := map[string]any{"i": 1, "s": "one"}
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, sent))
		sent["i"] = 2
		delete(sent, "s")
	})
	got, ok := a.nextMessage().Data.(map[string]any)
	require.True(t, ok)
	assert.Equal(t, map[string]any{"i": 1, "s": "one"}, got)
	got["i"] = 3
	assert.Equal(t, map[string]any{"i": 2}, sent)
}

// A flat map still queued when its message leaves for another node (its
// receiving port moved there) is encoded as the map.
func TestFlatMapLeavesTheProcessAsTheMap(t *testing.T) {
	for _, tt := range flatMaps {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := snapshotFlatMap(tt.m)
			require.True(t, ok)
			b, reason := appendData(nil, &inMsg{val: f, plain: true})
			require.Empty(t, reason)
			rec, err := messages.DecodeRecord(b)
			require.NoError(t, err)
			got, err := messages.Deserialize(rec)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("%#v", tt.m), fmt.Sprintf("%#v", got))
		})
	}
}

// The receiver's map agrees with StructuredClone's for flat maps made from
// arbitrary keys and values.
func FuzzFlatMapAgreesWithStructuredClone(f *testing.F) {
	f.Add("i", int64(1), 1.5, "s", true)
	f.Add("", int64(math.MinInt64), math.NaN(), "\xff", false)
	f.Fuzz(func(t *testing.T, key string, i int64, x float64, s string, b bool) {
		m := map[string]any{key: i, key + "x": x, key + "s": s, key + "b": b, key + "n": nil}
		fm, ok := snapshotFlatMap(m)
		require.True(t, ok)
		want, err := messages.StructuredClone(m)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("%#v", want), fmt.Sprintf("%#v", plainValue(fm)))
	})
}

// A map that is not flat is turned away before anything is made for it: a
// nested object's post pays nothing for the look, small or large.
func TestSnapshotOfAMapThatIsNotFlatAllocatesNothing(t *testing.T) {
	large := make(map[string]any, 100)
	for i := range 100 {
		large[fmt.Sprintf("key%03d", i)] = map[string]any{"id": float64(i)}
	}
	small := map[string]any{"a": 1, "b": "2", "c": []any{3}}
	for name, m := range map[string]map[string]any{"large": large, "small": small} {
		allocs := testing.AllocsPerRun(100, func() {
			_, ok := snapshotFlatMap(m)
			require.False(t, ok)
		})
		assert.Zero(t, allocs, name)
	}
}

// A flat map of two to eight entries in one group of slots is copied whole
// at the post; one of one entry, or whose table is larger than one group
// (made with a larger hint, or once larger), goes as its entries, for the
// receiver to build a map sized for them.
func TestFlatMapCopiedWholeOnlyInOneGroup(t *testing.T) {
	once := map[string]any{}
	for i := range 50 {
		once[fmt.Sprint(i)] = i
	}
	for i := 2; i < 50; i++ {
		delete(once, fmt.Sprint(i))
	}
	hinted := make(map[string]any, 64)
	hinted["a"], hinted["b"] = 1, 2
	for _, tt := range []struct {
		name  string
		m     map[string]any
		whole bool
	}{
		{"one entry", map[string]any{"i": 1}, false},
		{"two entries", map[string]any{"i": 1, "j": 2}, true},
		{"eight entries", flatMapNamed(t, "eight entries"), true},
		{"nine entries", flatMapNamed(t, "nine entries"), false},
		{"two entries, made for 64", hinted, false},
		{"two entries, once 50", once, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := snapshotFlatMap(tt.m)
			require.True(t, ok)
			if !tt.whole {
				assert.IsType(t, &flatMap{}, v)
				return
			}
			c, isMap := v.(map[string]any)
			require.True(t, isMap, "a %T", v)
			assert.Equal(t, tt.m, c)
			c["added"] = 1
			assert.NotContains(t, tt.m, "added", "the copy is not the posted map")
		})
	}
}
