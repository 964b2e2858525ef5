package ports

import "sync"

// segQueue is a FIFO queue of values kept in segments. A long queue (a
// burst its owner has not caught up with) grows by one segment at a time
// and never copies what it holds, and a queued value needs no allocation of
// its own. Segments start small and double up to maxSegment; an empty
// queue keeps its last segment, so a port whose queue never held more than
// a few messages at once holds a few slots, and one that took a burst at
// most maxSegment (about 5 KiB).
//
// While the queue is long, the segment its head has just finished is kept
// as a spare for the next segment its tail needs: a steady stream through a
// long queue (a sender ahead of its receiver) reuses two segments in turn
// instead of allocating one per maxSegment messages. The spare is dropped
// when the queue empties, so an idle queue holds no more than before.
//
// A queue given a pool also hands the finished maxSegment segments it does
// not keep to the pool, and takes its tail's next from there before it
// allocates one: a burst's queue swells and shrinks as the receiver falls
// behind and catches up (by thousands of messages in a burst of small
// structs), and each swell took new segments while the last one's went to
// the collector, about 26 bytes a message.
type segQueue[T any] struct {
	head, tail *segment[T]
	spare      *segment[T] // a finished maxSegment segment, emptied, for the tail's next
	pool       *sync.Pool  // of emptied maxSegment *segment[T], shared by queues; nil: none
	n          int
}

const (
	firstSegment = 2
	maxSegment   = 64
)

type segment[T any] struct {
	vals       []T
	next       *segment[T]
	start, end int // vals[start:end] are queued
}

// len returns how many values are queued; a nil queue holds none (as pop
// and drain also treat it).
func (q *segQueue[T]) len() int {
	if q == nil {
		return 0
	}
	return q.n
}

func (q *segQueue[T]) push(v T) {
	t := q.tail
	if t == nil || t.end == len(t.vals) {
		size := firstSegment
		if t != nil {
			size = min(2*len(t.vals), maxSegment)
		}
		var s *segment[T]
		if q.spare != nil && len(q.spare.vals) == size {
			s, q.spare = q.spare, nil
		} else if size == maxSegment && q.pool != nil {
			s, _ = q.pool.Get().(*segment[T])
		}
		if s == nil {
			s = &segment[T]{vals: make([]T, size)}
		}
		if t == nil {
			q.head = s
		} else {
			t.next = s
		}
		q.tail, t = s, s
	}
	t.vals[t.end] = v
	t.end++
	q.n++
}

// pop removes the oldest value; ok is false when the queue is empty.
func (q *segQueue[T]) pop() (v T, ok bool) {
	if q == nil || q.n == 0 {
		return v, false
	}
	s := q.head
	var zero T
	v, s.vals[s.start] = s.vals[s.start], zero
	s.start++
	q.n--
	switch {
	case q.n == 0:
		s.start, s.end = 0, 0 // the only segment: keep it for the next message
		q.release(q.spare)
		q.spare = nil
	case s.start == s.end:
		q.head = s.next // s was full and is done
		if len(s.vals) == maxSegment {
			// pop cleared every slot of s on the way: it holds nothing.
			s.next, s.start, s.end = nil, 0, 0
			if q.spare == nil {
				q.spare = s
			} else {
				q.release(s)
			}
		}
	}
	return v, true
}

// release hands s, an emptied maxSegment segment no queue holds, to the
// pool, if the queue has one.
func (q *segQueue[T]) release(s *segment[T]) {
	if s != nil && q.pool != nil {
		q.pool.Put(s)
	}
}

// prepend puts vals, in order, ahead of every queued value (a batch that
// took them gives back what it did not dispatch; see taken.go).
func (q *segQueue[T]) prepend(vals []T) {
	if len(vals) == 0 {
		return
	}
	if q.n == 0 {
		// An empty queue may keep a segment (see pop): start afresh.
		*q = segQueue[T]{pool: q.pool}
		for _, v := range vals {
			q.push(v)
		}
		return
	}
	s := &segment[T]{vals: append([]T(nil), vals...), next: q.head, end: len(vals)}
	q.head = s
	q.n += len(vals)
}

// drain removes every value and returns them in order.
func (q *segQueue[T]) drain() []T {
	if q == nil {
		return nil
	}
	if q.n == 0 {
		*q = segQueue[T]{pool: q.pool}
		return nil
	}
	out := make([]T, 0, q.n)
	for s := q.head; s != nil; s = s.next {
		out = append(out, s.vals[s.start:s.end]...)
	}
	*q = segQueue[T]{pool: q.pool}
	return out
}
