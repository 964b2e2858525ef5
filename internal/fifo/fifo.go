package fifo

// Queue is a growable FIFO queue. Popping never moves the other entries, so
// a long queue (a burst its reader has not caught up with) costs the same
// per entry as a short one. It grows by doubling and never shrinks. The
// zero value is an empty queue, ready to use. It is not safe for
// concurrent use: its owners hold their own lock around it.
type Queue[T any] struct {
	buf  []T
	head int32
	n    int32
}

// Len returns how many entries the queue holds.
func (q *Queue[T]) Len() int { return int(q.n) }

// Push adds v at the back.
func (q *Queue[T]) Push(v T) {
	if int(q.n) == len(q.buf) {
		q.grow()
	}
	i := int(q.head + q.n)
	if i >= len(q.buf) {
		i -= len(q.buf)
	}
	q.buf[i] = v
	q.n++
}

func (q *Queue[T]) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 2
	}
	buf := make([]T, size)
	k := copy(buf, q.buf[q.head:])
	copy(buf[k:], q.buf[:q.head])
	q.buf, q.head = buf, 0
}

// Pop removes the oldest entry and returns it; ok is false when the queue
// is empty. The slot it leaves is cleared, so the queue keeps no
// reference to what it handed out.
func (q *Queue[T]) Pop() (v T, ok bool) {
	if q.n == 0 {
		return v, false
	}
	var zero T
	v, q.buf[q.head] = q.buf[q.head], zero
	q.head++
	if int(q.head) == len(q.buf) {
		q.head = 0
	}
	q.n--
	return v, true
}
