package ports

import (
	"reflect"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The pinned protoactor keeps a process's mailbox where registry.go reads
// it; if an upgrade moves it, this fails (and the fast path is off).
func TestProcessLayout(t *testing.T) {
	require.True(t, processLayoutOK, "actor.ActorProcess no longer has the layout of actorProcessFields")
	assert.False(t, sameLayout(reflect.TypeFor[actor.PID](), reflect.TypeFor[actorProcessFields]()))
}

// coreOf finds the core of a live local port actor from its PID, and
// nothing for a port actor that stopped, an actor that is not a port, an
// unknown id or another node's address; rangeCores visits exactly the live
// ports.
func TestCoreOf(t *testing.T) {
	sys := newSystem(t)
	e := Get(sys)
	pr := newProbe(t, sys, "owner")
	ch := newChannel(t, pr)
	c1, c2 := ch.Port1.core, ch.Port2.core
	require.NotNil(t, c1.pid)

	for _, tt := range []struct {
		name string
		pid  *actor.PID
		want *portCore
	}{
		{"port 1", c1.pid, c1},
		{"port 2", c2.pid, c2},
		{"a fresh PID value for port 1", actor.NewPID(c1.pid.GetAddress(), c1.pid.GetId()), c1},
		{"the owner, not a port", pr.pid, nil},
		{"an unknown id", actor.NewPID(sys.Address(), "no-such-actor"), nil},
		{"another node", actor.NewPID("10.0.0.1:1", c1.pid.GetId()), nil},
		{"nil", nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) { assert.Same(t, tt.want, e.coreOf(tt.pid)) })
	}

	seen := map[*portCore]bool{}
	e.rangeCores(func(c *portCore) bool { seen[c] = true; return true })
	assert.Equal(t, map[*portCore]bool{c1: true, c2: true}, seen)

	pr.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		require.NoError(t, ch.Port2.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	assert.Nil(t, e.coreOf(c1.pid), "a port actor that stopped is not found")
	assert.Nil(t, e.coreOf(c2.pid))
	n := 0
	e.rangeCores(func(*portCore) bool { n++; return true })
	assert.Zero(t, n)
}

// rangeCores calls f for the core of every live local port actor of the
// system, until f returns false. It walks the whole registry (the stress
// test's snapshots use it).
func (e *Extension) rangeCores(f func(c *portCore) bool) {
	var batch []*portCore
	for _, bucket := range e.system.ProcessRegistry.LocalPIDs.LocalPIDs {
		batch = batch[:0]
		// The bucket's lock is held during the walk, so no core's lock is
		// taken in it.
		bucket.IterCb(func(_ string, v any) {
			if p, ok := v.(actor.Process); ok {
				if mb := portMailboxOf(p); mb != nil {
					batch = append(batch, mb.core)
				}
			}
		})
		for _, c := range batch {
			if c.isLive() && !f(c) {
				return
			}
		}
	}
}
