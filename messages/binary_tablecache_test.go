package messages

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type cachedT struct{ I int }

// forgetRegistration undoes Register(name, ...) when the test ends, so that
// a test that needs the type unregistered at first can run again (-count).
func forgetRegistration(t *testing.T, name string) {
	t.Cleanup(func() {
		registry.mu.Lock()
		delete(registry.byType, registry.byName[name])
		delete(registry.byName, name)
		registry.mu.Unlock()
		registryGen.Add(1)
	})
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	r, err := Serialize(v)
	require.NoError(t, err)
	defer r.Release()
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	return b
}

// TestCachedTablesFollowRegistration: a type table kept from before a
// registration is not used after it, on either side.
func TestCachedTablesFollowRegistration(t *testing.T) {
	before := marshal(t, cachedT{I: 1})
	assert.Equal(t, before, marshal(t, cachedT{I: 1}), "the kept table gives the same bytes")
	assert.True(t, bytes.Contains(before, []byte(defaultName(typeOf[cachedT]()))))
	_, err := DecodeRecord(before)
	require.ErrorIs(t, err, ErrDataClone, "not registered yet")

	Register("test.CachedT", cachedT{})
	forgetRegistration(t, "test.CachedT")
	after := marshal(t, cachedT{I: 2})
	assert.True(t, bytes.Contains(after, []byte("test.CachedT")))
	for range 2 { // the second decoding uses the kept table
		d, err := DecodeRecord(after)
		require.NoError(t, err)
		v, err := Deserialize(d)
		require.NoError(t, err)
		assert.Equal(t, cachedT{I: 2}, v)
		d.Release()
	}
	_, err = DecodeRecord(after, WithMaxBytes(len(after)-1))
	require.ErrorIs(t, err, ErrLimitExceeded, "a kept table does not bypass the limits")
}

// TestCachedTableNeedsMoreResolved: a record that needs table entries the
// kept table left unresolved resolves its own copy.
func TestCachedTableNeedsMoreResolved(t *testing.T) {
	Register("test.CachedT", cachedT{})
	forgetRegistration(t, "test.CachedT")
	v := []any{cachedT{I: 3}}
	b := marshal(t, v)
	d, err := DecodeRecord(b)
	require.NoError(t, err)
	d.Release()
	key := string(b[1:])
	decodedTables.Lock()
	var e *decodedTable
	for k, x := range decodedTables.m {
		if len(k) <= len(key) && key[:len(k)] == k && len(x.types) > 0 {
			e = x
		}
	}
	require.NotNil(t, e, "the table was kept")
	saved := e.resolved
	e.resolved = make([]bool, len(saved)) // as if an earlier record needed none
	decodedTables.Unlock()
	defer func() { decodedTables.Lock(); e.resolved = saved; decodedTables.Unlock() }()

	d, err = DecodeRecord(b)
	require.NoError(t, err)
	got, err := Deserialize(d)
	require.NoError(t, err)
	assert.Equal(t, v, got)
}
