package actors

import (
	"context"
	"sync"
)

// evQueue is an unbounded queue from a context's goroutine (which must
// never block) to Go code waiting outside actors.
type evQueue[T any] struct {
	mu     sync.Mutex
	items  []T
	closed bool
	wake   chan struct{} // closed and replaced on every change
}

func newEvQueue[T any]() *evQueue[T] { return &evQueue[T]{wake: make(chan struct{})} }

func (q *evQueue[T]) push(v T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.items = append(q.items, v)
	close(q.wake)
	q.wake = make(chan struct{})
}

// close ends the queue: waiters get errClosed once it is empty.
func (q *evQueue[T]) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	close(q.wake)
	q.wake = make(chan struct{})
}

// pop waits for the first item for which match is true (any item if match
// is nil), removes it and returns it. It returns closedErr once the queue
// is closed and holds no match, or ctx's error.
func (q *evQueue[T]) pop(ctx context.Context, match func(T) bool, closedErr error) (T, error) {
	for {
		q.mu.Lock()
		for i, v := range q.items {
			if match == nil || match(v) {
				q.items = append(q.items[:i], q.items[i+1:]...)
				q.mu.Unlock()
				return v, nil
			}
		}
		closed, wake := q.closed, q.wake
		q.mu.Unlock()
		var zero T
		if closed {
			return zero, closedErr
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
}
