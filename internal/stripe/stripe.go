package stripe

import "sync/atomic"

// stripes is how many stripes a Counter has; writers share them round robin.
const stripes = 32

// Counter is a striped int64 counter. Its zero value is zero, ready to use.
type Counter struct {
	next    atomic.Uint32
	stripes [stripes]slot
}

// slot is one stripe, alone on its cache lines (two, for processors that
// fetch lines in pairs).
type slot struct {
	n atomic.Int64
	_ [120]byte
}

// Slot returns a stripe for a new writer (an actor, say) to Add to. Slots
// go round robin, so the first writers of a counter have one each.
func (c *Counter) Slot() *atomic.Int64 {
	return &c.stripes[(c.next.Add(1)-1)%stripes].n
}

// Load returns the sum of the stripes. It is exact when no Add runs at the
// same time; otherwise each concurrent Add is counted or not.
func (c *Counter) Load() int64 {
	var sum int64
	for i := range c.stripes {
		sum += c.stripes[i].n.Load()
	}
	return sum
}
