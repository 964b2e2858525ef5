package ports

import (
	"sync"
	"testing"

	"github.com/entangle-go/entangle/internal/racebuild"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// segQueue is FIFO through any mix of pushes, pops and drains, grows by
// doubling segments up to maxSegment, and keeps only its last segment
// when empty.
func TestSegQueueOrder(t *testing.T) {
	for _, tt := range []struct {
		name  string
		burst []int // push this many, then pop half, per step
	}{
		{"one at a time", []int{1, 1, 1, 1}},
		{"within the first segment", []int{2, 2}},
		{"across growing segments", []int{3, 10, 70}},
		{"a long burst", []int{1000, 5000}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var q segQueue[int]
			next, want := 0, 0
			for _, n := range tt.burst {
				for i := 0; i < n; i++ {
					q.push(next)
					next++
				}
				for i := 0; i < (n+1)/2; i++ {
					v, ok := q.pop()
					require.True(t, ok)
					require.Equal(t, want, v)
					want++
				}
			}
			assert.Equal(t, next-want, q.len())
			rest := q.drain()
			require.Len(t, rest, next-want)
			for i, v := range rest {
				assert.Equal(t, want+i, v)
			}
			assert.Equal(t, 0, q.len())
			_, ok := q.pop()
			assert.False(t, ok)
		})
	}
}

func TestSegQueueSegments(t *testing.T) {
	var q segQueue[*int]
	for i := 0; i < 200; i++ {
		q.push(new(int))
	}
	sizes := []int{}
	for s := q.head; s != nil; s = s.next {
		sizes = append(sizes, len(s.vals))
	}
	assert.Equal(t, []int{2, 4, 8, 16, 32, 64, 64, 64}, sizes)
	last := q.tail
	for i := 0; i < 200; i++ {
		_, ok := q.pop()
		require.True(t, ok)
	}
	require.Same(t, last, q.head, "an empty queue keeps its last segment")
	assert.Same(t, q.head, q.tail)
	for _, v := range last.vals {
		assert.Nil(t, v, "popped slots hold nothing for the collector")
	}
	q.push(new(int))
	assert.Same(t, last, q.tail, "and reuses it")
	assert.Equal(t, 1, q.len())
}

// A steady stream through a long queue reuses the segment its head
// finished instead of allocating one per maxSegment messages, and an
// emptied queue lets the spare go.
func TestSegQueueSpare(t *testing.T) {
	var q segQueue[*int]
	v := new(int)
	for i := 0; i < 5*maxSegment; i++ {
		q.push(v)
	}
	allocs := testing.AllocsPerRun(10, func() {
		for i := 0; i < 4*maxSegment; i++ {
			q.push(v)
			got, ok := q.pop()
			if !ok || got != v {
				t.Fatal("the queue lost a value")
			}
		}
	})
	assert.Zero(t, allocs, "a stream through a long queue allocates no segments")
	for i := 0; i < maxSegment; i++ { // the head finishes a segment; the queue stays long
		_, ok := q.pop()
		require.True(t, ok)
	}
	require.NotNil(t, q.spare)
	for _, s := range q.spare.vals {
		assert.Nil(t, s, "the spare holds nothing for the collector")
	}
	for q.len() > 0 {
		_, ok := q.pop()
		require.True(t, ok)
	}
	assert.Nil(t, q.spare, "an empty queue keeps only its last segment")
}

// A queue with a pool hands the full-size segments it finishes to the pool
// (beyond its one spare, and the spare itself once it empties), each
// emptied, and takes its tail's next from there: a queue that swells again
// and again, as a burst's does, allocates segments only the first time.
func TestSegQueuePool(t *testing.T) {
	var pool sync.Pool
	q := segQueue[*int]{pool: &pool}
	v := new(int)
	swell := func() {
		for i := 0; i < 10*maxSegment; i++ {
			q.push(v)
		}
		for q.len() > 0 {
			got, ok := q.pop()
			if !ok || got != v {
				t.Fatal("the queue lost a value")
			}
		}
	}
	swell() // the first swell makes the segments
	assert.Nil(t, q.spare, "an empty queue keeps only its last segment")
	if racebuild.Enabled {
		// sync.Pool drops a share of what it is given under the race
		// detector: what it holds is left unchecked there.
		return
	}
	pooled, ok := pool.Get().(*segment[*int])
	require.True(t, ok, "the finished segments went to the pool")
	assert.Len(t, pooled.vals, maxSegment)
	assert.Nil(t, pooled.next)
	for _, s := range pooled.vals {
		assert.Nil(t, s, "a pooled segment holds nothing for the collector")
	}
	pool.Put(pooled)
	allocs := testing.AllocsPerRun(10, swell)
	// Without the pool each swell allocates nine segments; the collector
	// may empty the pool meanwhile, and a few be made again.
	assert.Less(t, allocs, 3.0, "segments allocated per swell")
}

// A queue without a pool keeps no more than before: only its last segment
// once it is empty.
func TestSegQueueWithoutPool(t *testing.T) {
	v := new(int)
	var plain segQueue[*int]
	for i := 0; i < 10*maxSegment; i++ {
		plain.push(v)
	}
	for plain.len() > 0 {
		_, _ = plain.pop()
	}
	assert.Nil(t, plain.spare)
	assert.Nil(t, plain.pool)
}
