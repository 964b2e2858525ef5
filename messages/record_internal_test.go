package messages

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A pooled record that StructuredClone used keeps its identity map for the
// next clone; when Serialize borrows it, the record it returns must not
// keep pointers to the sender's objects (they would stay alive while the
// record waits in a queue).
func TestSerializeLeavesNoPointersInBorrowedScratch(t *testing.T) {
	r := newRecord()
	r.scratchMem = map[memKey]uint32{}
	type node struct{ Next *node }
	a := &node{}
	a.Next = &node{Next: a}
	e := newEncoder(r, nil)
	require.NoError(t, e.anyValue([]any{a, a.Next, map[string]any{}}, true))
	require.NotEmpty(t, e.mem, "the value has objects to remember")
	e.finish()
	assert.Empty(t, r.scratchMem)
	v, err := Deserialize(r)
	require.NoError(t, err)
	out := v.([]any)
	assert.Same(t, out[0].(*node).Next, out[1])
}
