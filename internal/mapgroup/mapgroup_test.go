package mapgroup

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestKnown: the head this package reads matches the runtime's map on the
// Go this module is built with. It fails when a new runtime lays its maps
// out otherwise: maps are then copied entry by entry (no wrong copy is
// made), and head needs updating.
func TestKnown(t *testing.T) {
	require.True(t, Known)
}

// TestSingle: maps of at most eight entries that never held more are one
// group; a map made with a larger hint, or that once held more entries, is
// not, whatever it holds now.
func TestSingle(t *testing.T) {
	grown := map[int]string{}
	for i := range 100 {
		grown[i] = ""
	}
	for i := range 99 {
		delete(grown, i)
	}
	eight := map[string]any{}
	for i := range 8 {
		eight[fmt.Sprint(i)] = i
	}
	nine := map[string]any{"x": ""}
	for k, v := range eight {
		nine[k] = v
	}
	for _, tt := range []struct {
		name string
		m    func() bool
		want bool
	}{
		{"empty", func() bool { return Single(Pointer(map[string]string{})) }, true},
		{"one entry", func() bool { return Single(Pointer(map[string]int{"a": 1})) }, true},
		{"eight entries", func() bool { return Single(Pointer(eight)) }, true},
		{"nine entries", func() bool { return Single(Pointer(nine)) }, false},
		{"made for eight", func() bool { return Single(Pointer(make(map[uint32]bool, 8))) }, true},
		{"made for 100", func() bool { return Single(Pointer(make(map[string]string, 100))) }, false},
		{"held 100, holds 1", func() bool { return Single(Pointer(grown)) }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.m())
		})
	}
}
