package messages

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/entangle-go/entangle/internal/flatrec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type flatCelsius float64

type flatWithNamed struct{ C flatCelsius }

func init() { RegisterType(flatWithNamed{}) }

// A registration can rename a type in the records (here the field's type,
// written under its default name until it is registered): the template
// made before it is not used after it, so the shortcut goes on writing
// what Serialize and MarshalBinary write, and reads by the new names.
func TestFlatTemplateFollowsRegistrations(t *testing.T) {
	v := flatWithNamed{C: 1.5}
	require.True(t, flatrec.Flat(v))
	before, ok := flatrec.Append(nil, v)
	require.True(t, ok)
	require.Equal(t, marshal(t, v), before)

	Register("flat.Celsius", flatCelsius(0))
	t.Cleanup(func() {
		// Registrations are for the process's life; this one is taken
		// back so that the test runs again the same (go test -count).
		registry.mu.Lock()
		delete(registry.byName, "flat.Celsius")
		delete(registry.byType, registrationType(flatCelsius(0)))
		registry.mu.Unlock()
		registryGen.Add(1)
	})
	after, ok := flatrec.Append(nil, v)
	require.True(t, ok)
	assert.Equal(t, marshal(t, v), after, "the bytes name the field's type by its new name")
	assert.NotEqual(t, before, after)
	got, ok := flatrec.Decode(after, flatrec.LimitsOf(nil))
	require.True(t, ok)
	assert.Equal(t, v, got)
}

// The types a peer's records name are not this program's to bound: the
// decoder learns at most maxCachedTables flat types, and a record of a
// type past that takes the full path. A record of no learnt type costs the
// shortcut one pass over its type table and one lookup, however many it
// has learnt.
func TestFlatDecoderLearnsABoundedNumberOfTypes(t *testing.T) {
	d := &flatDecoders
	d.Lock()
	savedM, savedN := d.m, d.n
	d.m, d.n = map[string][]*flatTemplate{}, 0
	d.Unlock()
	t.Cleanup(func() {
		d.Lock()
		d.m, d.n = savedM, savedN
		d.Unlock()
	})
	shape := func(i int) any {
		rt := reflect.StructOf([]reflect.StructField{{Name: fmt.Sprintf("F%d", i), Type: reflect.TypeOf(0)}})
		return reflect.New(rt).Interface()
	}
	for i := range maxCachedTables + 10 {
		flatrec.Learn(shape(i))
	}
	d.RLock()
	n := d.n
	d.RUnlock()
	assert.Equal(t, maxCachedTables, n)

	learnt, late := shape(0), shape(maxCachedTables+5)
	_, ok := flatrec.Decode(marshal(t, learnt), flatrec.LimitsOf(nil))
	assert.True(t, ok, "a learnt type")
	_, ok = flatrec.Decode(marshal(t, late), flatrec.LimitsOf(nil))
	assert.False(t, ok, "a type past the bound")
}
