package messages_test

import (
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type Pair struct{ A, B *Point }
type Ring struct {
	Name string
	Next *Ring
}
type Graph struct {
	Shared map[string]int
	Again  map[string]int
	Nodes  []*Ring
}

func init() {
	messages.RegisterType(Pair{})
	messages.RegisterType(Ring{})
	messages.RegisterType(Graph{})
}

func TestIdentityAndCycles(t *testing.T) {
	p := &Point{1, 2}
	ring := &Ring{Name: "a", Next: &Ring{Name: "b"}}
	ring.Next.Next = ring
	shared := map[string]int{"x": 1}
	self := map[string]any{"name": "self"}
	self["me"] = self
	obj := messages.NewObject()
	obj.Set("self", obj)
	obj.Set("list", []any{obj})
	m := messages.NewMap()
	s := messages.NewSet()
	m.Set(s, m)
	s.Add(m)
	s.Add(obj)

	tests := []struct {
		name  string
		in    any
		check func(t *testing.T, out any)
	}{
		{"two pointers to one struct", &Pair{A: p, B: p}, func(t *testing.T, out any) {
			c := out.(*Pair)
			assert.Same(t, c.A, c.B)
			assert.NotSame(t, p, c.A)
		}},
		{"pointer cycle through structs", ring, func(t *testing.T, out any) {
			c := out.(*Ring)
			assert.Same(t, c, c.Next.Next)
			assert.Equal(t, "b", c.Next.Name)
		}},
		{"map referenced twice", &Graph{Shared: shared, Again: shared, Nodes: []*Ring{ring, ring.Next, ring}}, func(t *testing.T, out any) {
			c := out.(*Graph)
			c.Shared["y"] = 2
			assert.Equal(t, 2, c.Again["y"], "both fields hold one new map")
			assert.Len(t, shared, 1)
			assert.Same(t, c.Nodes[0], c.Nodes[2])
			assert.Same(t, c.Nodes[0].Next, c.Nodes[1])
		}},
		{"map containing itself via any", self, func(t *testing.T, out any) {
			c := out.(map[string]any)
			c["probe"] = true
			assert.Equal(t, true, c["me"].(map[string]any)["probe"])
		}},
		{"Object containing itself", obj, func(t *testing.T, out any) {
			c := out.(*messages.Object)
			self, _ := c.Get("self")
			assert.Same(t, c, self)
			list, _ := c.Get("list")
			assert.Same(t, c, list.([]any)[0])
		}},
		{"Map and Set referring to each other", []any{m, s}, func(t *testing.T, out any) {
			l := out.([]any)
			cm, cs := l[0].(*messages.Map), l[1].(*messages.Set)
			v, ok := cm.Get(cs)
			require.True(t, ok, "the Set is a key of the Map, by identity")
			assert.Same(t, cm, v)
			assert.True(t, cs.Has(cm))
			assert.Equal(t, 2, cs.Len())
		}},
		{"slices are copied independently", func() any {
			arr := []int{1, 2, 3, 4}
			return []any{arr[:2], arr[1:3]}
		}(), func(t *testing.T, out any) {
			l := out.([]any)
			l[0].([]int)[1] = 99
			assert.Equal(t, 2, l[1].([]int)[0], "two slices over one array do not share after the clone")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := roundTrips(tc.in)
			require.NoError(t, err)
			for how, out := range outs {
				assert.Empty(t, cloneEqual(tc.in, out), how)
				t.Run(how, func(t *testing.T) { tc.check(t, out) })
			}
		})
	}
}

func TestCycleThroughSlicesIsAnError(t *testing.T) {
	s := []any{nil}
	s[0] = s
	_, err := messages.StructuredClone(s)
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.ErrorIs(t, err, messages.ErrLimitExceeded)
}
