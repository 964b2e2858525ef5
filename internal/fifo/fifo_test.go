package fifo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Entries come out in the order they went in, across growth and across the
// wrap of the ring, however pushes and pops interleave.
func TestQueueKeepsOrder(t *testing.T) {
	for _, tt := range []struct {
		name       string
		pushes     int // per step
		pops       int // per step
		steps      int
		wantMaxCap int // the buffer never grows past this
	}{
		{"fill then drain", 100, 0, 1, 128},
		{"one in one out", 1, 1, 50, 2},
		{"wraps while growing", 3, 2, 40, 64},
		{"grows from a wrapped buffer", 5, 4, 30, 64},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var q Queue[int]
			next, want := 0, 0
			for range tt.steps {
				for range tt.pushes {
					q.Push(next)
					next++
				}
				for range tt.pops {
					v, ok := q.Pop()
					require.True(t, ok, "the queue holds %d", next-want)
					assert.Equal(t, want, v)
					want++
				}
				assert.Equal(t, next-want, q.Len())
			}
			for q.Len() > 0 {
				v, ok := q.Pop()
				require.True(t, ok)
				assert.Equal(t, want, v)
				want++
			}
			assert.Equal(t, next, want, "every entry came out")
			assert.LessOrEqual(t, len(q.buf), tt.wantMaxCap)
		})
	}
}

func TestEmptyQueuePopsNothing(t *testing.T) {
	var q Queue[string]
	v, ok := q.Pop()
	assert.False(t, ok)
	assert.Equal(t, "", v)
	q.Push("a")
	_, _ = q.Pop()
	v, ok = q.Pop()
	assert.False(t, ok)
	assert.Equal(t, "", v)
	assert.Equal(t, 0, q.Len())
}

// A popped entry is no longer referenced by the queue: what the reader
// drops can be collected.
func TestPopClearsItsSlot(t *testing.T) {
	var q Queue[*int]
	x, y := new(int), new(int)
	q.Push(x)
	q.Push(y)
	got, ok := q.Pop()
	require.True(t, ok)
	assert.Same(t, x, got)
	for _, p := range q.buf {
		assert.NotSame(t, x, p, "the queue still holds the popped entry")
	}
}
