package ports

import (
	"reflect"
	"sync/atomic"
	"testing"
	"unsafe"

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

// The pinned protoactor caches a PID's process where localProcess reads
// it; if an upgrade moves it, this fails (and every lookup goes to the
// registry).
func TestPIDLayout(t *testing.T) {
	require.True(t, pidLayoutOK, "actor.PID no longer has the layout of pidFields")
}

// localProcess finds what the registry holds under a local id. A port
// actor's process cached in the PID (as protoactor's PID.ref caches it) is
// taken from there while it lives; a dead one, another system's, or
// another kind of actor's is looked up in the registry.
func TestLocalProcessAgreesWithTheRegistry(t *testing.T) {
	sys, other := newSystem(t), newSystem(t)
	e := Get(sys)
	pr := newProbe(t, sys, "owner")
	ch := newChannel(t, pr)
	port := ch.Port1.core.pid
	registered := func(sys *actor.ActorSystem, id string) actor.Process {
		p, _ := sys.ProcessRegistry.GetLocal(id)
		return p
	}
	// cached returns a PID value for id with p cached in it.
	cached := func(id string, p actor.Process) *actor.PID {
		pid := actor.NewPID(sys.Address(), id)
		atomic.StorePointer((*unsafe.Pointer)(unsafe.Pointer(&(*pidFields)(unsafe.Pointer(pid)).p)), unsafe.Pointer(&p))
		return pid
	}
	portProc := registered(sys, port.GetId())
	require.NotNil(t, portProc)
	otherPr := newProbe(t, other, "owner")
	otherCh := newChannel(t, otherPr)
	otherProc := registered(other, otherCh.Port1.core.pid.GetId())
	require.NotNil(t, otherProc)

	for _, tt := range []struct {
		name string
		pid  *actor.PID
		want actor.Process
	}{
		{"nothing cached", actor.NewPID(sys.Address(), port.GetId()), portProc},
		{"a live port actor cached", cached(port.GetId(), portProc), portProc},
		{"the owner cached, not a port", cached(pr.pid.GetId(), registered(sys, pr.pid.GetId())), registered(sys, pr.pid.GetId())},
		{"another system's port cached under this system's port's id", cached(port.GetId(), otherProc), portProc},
		{"another system's port cached under an id unknown here", cached("no-such-actor", otherProc), nil},
		{"another system's owner cached under this system's owner's id", cached(pr.pid.GetId(), registered(other, otherPr.pid.GetId())), registered(sys, pr.pid.GetId())},
		// Only the cache can answer this: the id names nothing here. It
		// shows that a live port's cached process is used as it is.
		{"a live port cached under an id unknown here", cached("no-such-actor", portProc), portProc},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := e.localProcess(tt.pid)
			require.Equal(t, tt.want != nil, ok)
			if ok {
				assert.True(t, p == tt.want, "got %v, want %v", p, tt.want)
			}
		})
	}

	stale := cached(port.GetId(), portProc)
	pr.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port1.Close(ctx))
		require.NoError(t, ch.Port2.Close(ctx))
	})
	waitPortActors(t, sys, 0)
	_, ok := e.localProcess(stale)
	assert.False(t, ok, "a port actor that stopped, its process still cached")
	_, ok = e.localProcess(nil)
	assert.False(t, ok, "a nil PID")
	otherPr.do(func(ctx actor.Context) {
		require.NoError(t, otherCh.Port1.Close(ctx))
		require.NoError(t, otherCh.Port2.Close(ctx))
	})
	waitPortActors(t, other, 0)
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
