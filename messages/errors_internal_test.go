package messages

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// prepend builds the same path as plain string concatenation would, over
// a long path (kept in a buffer), across the buffer's growth, and when
// Path is set in between.
func TestPrependBuildsThePath(t *testing.T) {
	e := &DataCloneError{Path: ".leaf"}
	want := ".leaf"
	for i := range 3000 {
		c := "[" + strconv.Itoa(i) + "]"
		if i%997 == 0 {
			c = `["` + strings.Repeat("k", i%50) + `"]`
		}
		e.prepend(c)
		want = c + want
		if i == 1500 {
			e.Path = "transfer[1]" + e.Path // set by other code meanwhile
			want = "transfer[1]" + want
		}
		if i%500 == 0 {
			assert.Equal(t, want, e.Path, "after %d components", i+1)
		}
	}
	assert.Equal(t, want, e.Path)
	assert.Greater(t, len(e.Path), 128, "long enough to be kept in the buffer")
}
