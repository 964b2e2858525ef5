package messages_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestObjectAPI(t *testing.T) {
	var o messages.Object // the zero value is ready to use
	for i := 0; i < 20; i++ {
		o.Set(fmt.Sprint("k", i), i)
	}
	o.Set("k3", "again") // keeps its place
	assert.True(t, o.Delete("k0"))
	assert.False(t, o.Delete("k0"))
	o.Set("k0", "back") // goes last
	for i := 1; i < 15; i++ {
		o.Delete(fmt.Sprint("k", i)) // forces compaction
	}
	assert.Equal(t, []string{"k15", "k16", "k17", "k18", "k19", "k0"}, o.Keys())
	assert.Equal(t, 6, o.Len())
	v, ok := o.Get("k0")
	assert.True(t, ok)
	assert.Equal(t, "back", v)
	assert.False(t, o.Has("k3"))
	var seen []string
	for k := range o.All() {
		seen = append(seen, k)
		if k == "k16" {
			o.Set("late", 1)
		}
	}
	assert.Equal(t, []string{"k15", "k16", "k17", "k18", "k19", "k0", "late"}, seen)
}

func TestMapSetAPI(t *testing.T) {
	m := messages.NewMap()
	m.Set(math.NaN(), "nan")
	m.Set(math.Copysign(0, -1), "zero")
	m.Set(1, "int one")
	m.Set(1.0, "float one")
	goMap := map[string]int{}
	m.Set(goMap, "by identity")
	v, ok := m.Get(math.NaN())
	assert.True(t, ok)
	assert.Equal(t, "nan", v)
	v, _ = m.Get(0.0)
	assert.Equal(t, "zero", v, "-0 and +0 are one key")
	assert.False(t, math.Signbit(m.Keys()[1].(float64)), "a -0 key is stored as +0")
	v, _ = m.Get(1)
	assert.Equal(t, "int one", v, "different Go types are different keys")
	v, _ = m.Get(goMap)
	assert.Equal(t, "by identity", v)
	assert.False(t, m.Has(map[string]int{}))
	assert.Equal(t, 5, m.Len())
	assert.Panics(t, func() { m.Set([]int{1}, "slice") })

	s := messages.NewSet()
	for _, x := range []any{"b", "a", "b", nil, messages.Undefined} {
		s.Add(x)
	}
	assert.Equal(t, []any{"b", "a", nil, messages.Undefined}, s.Values())
	assert.True(t, s.Delete("b"))
	s.Add("b")
	assert.Equal(t, []any{"a", nil, messages.Undefined, "b"}, s.Values())

	outs, err := roundTrips([]any{m, s})
	require.NoError(t, err)
	for how, out := range outs {
		l := out.([]any)
		cm := l[0].(*messages.Map)
		assert.Len(t, cm.Keys(), 5, how)
		v, ok := cm.Get(math.NaN())
		assert.True(t, ok, how)
		assert.Equal(t, "nan", v, how)
		assert.Equal(t, []any{"a", nil, messages.Undefined, "b"}, l[1].(*messages.Set).Values(), how)
	}
}

func TestObjectKeyOrderSurvivesClone(t *testing.T) {
	o := messages.NewObject()
	for _, k := range []string{"zeta", "10", "alpha", "2", "mid"} {
		o.Set(k, k)
	}
	outs, err := roundTrips(o)
	require.NoError(t, err)
	for how, out := range outs {
		assert.Equal(t, []string{"zeta", "10", "alpha", "2", "mid"}, out.(*messages.Object).Keys(), how)
	}
}

func TestUndefinedAndRegExp(t *testing.T) {
	assert.Equal(t, "undefined", messages.Undefined.String())
	var v any = messages.Undefined
	assert.True(t, v == messages.Undefined)
	assert.Equal(t, "/a+/g", messages.RegExp{Source: "a+", Flags: "g"}.String())
	assert.Equal(t, "TypeError: x", messages.NewError("TypeError", "x").Error())
	assert.Equal(t, "Error", messages.NewError("Custom", "").Error())
}
