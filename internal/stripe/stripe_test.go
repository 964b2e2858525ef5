package stripe

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Writers on their own slots and on shared ones: the sum is every Add.
func TestCounterSumsEveryAdd(t *testing.T) {
	for _, tt := range []struct {
		name    string
		writers int
	}{
		{"one writer", 1},
		{"one slot each", stripes},
		{"more writers than slots", 3 * stripes},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c Counter
			var wg sync.WaitGroup
			for w := 0; w < tt.writers; w++ {
				s := c.Slot()
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 1000; i++ {
						s.Add(2)
						s.Add(-1)
					}
				}()
			}
			wg.Wait()
			assert.Equal(t, int64(1000*tt.writers), c.Load())
		})
	}
}

// The first writers get distinct slots, each on cache lines of its own.
func TestSlotsAreApart(t *testing.T) {
	var c Counter
	seen := map[uintptr]bool{}
	for i := 0; i < stripes; i++ {
		p := uintptr(unsafe.Pointer(c.Slot()))
		require.False(t, seen[p], "slot %d handed out twice", i)
		seen[p] = true
	}
	assert.GreaterOrEqual(t, unsafe.Sizeof(slot{}), uintptr(128))
	assert.Same(t, c.Slot(), &c.stripes[0].n, "the round robin starts again")
}
