package messages_test

import (
	"fmt"
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMapHeadIsTheRuntimes: the map head that mapgroup.go reads matches
// the runtime's map on the Go this module is built with. It fails when a
// new runtime lays its maps out otherwise: whole copies are then off (no
// wrong copy is made), and mapHead needs updating.
func TestMapHeadIsTheRuntimes(t *testing.T) {
	require.True(t, messages.MapHeadKnown)
}

// TestSingleGroup: maps of at most eight entries that never held more are
// one group and are copied whole; a map made with a larger hint, or that
// once held more entries, is not, whatever it holds now.
func TestSingleGroup(t *testing.T) {
	grown := map[int]string{}
	for i := range 100 {
		grown[i] = ""
	}
	for i := range 99 {
		delete(grown, i)
	}
	eight := map[string]string{}
	for i := range 8 {
		eight[fmt.Sprint(i)] = ""
	}
	nine := map[string]string{"x": ""}
	for k, v := range eight {
		nine[k] = v
	}
	for _, tc := range []struct {
		name string
		m    any
		want bool
	}{
		{"empty", map[string]string{}, true},
		{"one entry", map[string]int{"a": 1}, true},
		{"eight entries", eight, true},
		{"nine entries", nine, false},
		{"made for eight", make(map[uint32]bool, 8), true},
		{"made for 100", make(map[string]string, 100), false},
		{"held 100, holds 1", grown, false},
	} {
		assert.Equal(t, tc.want, messages.SingleGroup(tc.m), tc.name)
	}
}
