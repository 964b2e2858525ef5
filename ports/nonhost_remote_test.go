//go:build !race

package ports

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/wire"
)

// An owner spawned before remote.Start has the address "nonhost": other
// nodes cannot reach it. Once remote runs, its next message reports it,
// once; an owner spawned after is not reported.
func TestRemoteOwnerSpawnedBeforeStartIsReported(t *testing.T) {
	sys, startRemote := nodeBeforeRemote(t)
	reports := subscribe[*OwnerNotReachable](t, sys)
	early := newProbe(t, sys, "early")
	require.Equal(t, wire.UnstartedAddress, early.pid.GetAddress())
	startRemote()
	late := newProbe(t, sys, "late")
	for i := 0; i < 2; i++ {
		early.do(func(actor.Context) {})
		late.do(func(actor.Context) {})
	}
	rep := receive(t, reports, "OwnerNotReachable")
	assert.True(t, rep.Owner.Equal(early.pid))
	assert.Equal(t, sys.Address(), rep.SystemAddress)
	assert.Empty(t, reports, "once per owner; none for the owner spawned after remote.Start (the EventStream publishes synchronously)")
}
