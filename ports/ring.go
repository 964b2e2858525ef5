package ports

// ring is a growable FIFO queue. Popping never moves the other entries, so
// a long queue (a burst the owner has not caught up with) costs the same
// per message as a short one.
type ring[T any] struct {
	buf  []T
	head int32
	n    int32
}

func (r *ring[T]) len() int { return int(r.n) }

func (r *ring[T]) push(v T) {
	if int(r.n) == len(r.buf) {
		r.grow()
	}
	i := int(r.head + r.n)
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	r.buf[i] = v
	r.n++
}

func (r *ring[T]) grow() {
	size := 2 * len(r.buf)
	if size == 0 {
		size = 2
	}
	buf := make([]T, size)
	k := copy(buf, r.buf[r.head:])
	copy(buf[k:], r.buf[:r.head])
	r.buf, r.head = buf, 0
}

// pop removes the oldest entry; ok is false when the queue is empty.
func (r *ring[T]) pop() (v T, ok bool) {
	if r.n == 0 {
		return v, false
	}
	var zero T
	v, r.buf[r.head] = r.buf[r.head], zero
	r.head++
	if int(r.head) == len(r.buf) {
		r.head = 0
	}
	r.n--
	return v, true
}
