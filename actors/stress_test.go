package actors_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/actors"
	"github.com/entangle-go/entangle/actors/actorstest"
	"github.com/entangle-go/entangle/actors/origin"
	"github.com/entangle-go/entangle/ports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The contexts stress test drives windows and nested dedicated workers that
// create channels, post, transfer ports between contexts, close ports, and
// are destroyed (window closed, worker terminated, worker closing itself)
// at random points, while messages are in flight. After each seed it waits
// until all is quiet and checks, against a model of what was posted:
// per direction an in-order prefix without duplicates, every message of a
// live pair delivered, exactly one close for each live end whose peer went
// away and none otherwise, and nothing left behind after Shutdown.
//
//	go test ./actors -run TestContextsStress                        # CI
//	go test ./actors -run TestContextsStress -ctxstress.seed=7 -v   # replay one seed
var (
	ctxSeeds = flag.Int("ctxstress.seeds", 30, "number of seeds")
	ctxOps   = flag.Int("ctxstress.ops", 300, "operations per seed")
	ctxSeed  = flag.Uint64("ctxstress.seed", 0, "run only this seed")
)

func TestContextsStress(t *testing.T) {
	if *ctxSeed != 0 {
		runContextsSeed(t, *ctxSeed, *ctxOps)
		return
	}
	seeds := *ctxSeeds
	if testing.Short() {
		seeds = 5
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		if !t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { runContextsSeed(t, seed, *ctxOps) }) {
			return
		}
	}
}

// payload is one stress message: from end, number seq in its direction.
type payload struct{ End, Seq int }

// portTag travels with a transferred port: which end it is.
type portTag struct{ End int }

// model is what the test knows; contexts update it from their goroutines.
type model struct {
	mu         sync.Mutex
	violations []string
	held       map[int]int  // end -> context id holding it
	posted     map[int]int  // end -> messages posted from it
	received   map[int]int  // end -> last seq received at it
	closes     map[int]int  // end -> CloseEvents at it
	dead       map[int]bool // context id -> destroyed
	ends       int
	trace      map[int][]string // end -> what happened to it, for a violation's report
}

func (m *model) violate(format string, args ...any) {
	m.violations = append(m.violations, fmt.Sprintf(format, args...))
}

// note records what happened to end (m.mu held).
func (m *model) note(end int, format string, args ...any) {
	if m.trace == nil {
		m.trace = map[int][]string{}
	}
	m.trace[end] = append(m.trace[end], fmt.Sprintf(format, args...))
}

// sctx is one context's own state, touched only on its goroutine.
type sctx struct {
	id      int
	ports   map[int]*ports.MessagePort
	ends    map[*ports.MessagePort]int
	workers map[int]*actors.Worker // by context id, workers this context created
}

func (m *model) behaviour(c *sctx) actor.ReceiveFunc {
	return func(ctx actor.Context) {
		switch ev := ctx.Message().(type) {
		case *ports.MessageEvent:
			if tag, ok := ev.Data.(portTag); ok && len(ev.Ports) == 1 {
				p := ev.Ports[0]
				c.ports[tag.End], c.ends[p] = p, tag.End
				_ = p.Start(ctx)
				m.mu.Lock()
				m.held[tag.End] = c.id
				m.note(tag.End, "arrived at ctx %d (dead %v)", c.id, m.dead[c.id])
				m.mu.Unlock()
				return
			}
			pl, ok := ev.Data.(payload)
			if !ok || ev.Target == nil {
				return
			}
			end := c.ends[ev.Target]
			m.mu.Lock()
			if pl.End != end^1 {
				m.violate("end %d got a message of end %d", end, pl.End)
			}
			if m.closes[end] > 0 {
				m.violate("end %d got seq %d after its close", end, pl.Seq)
			}
			if pl.Seq != m.received[end]+1 {
				m.violate("end %d got seq %d after %d", end, pl.Seq, m.received[end])
			}
			m.received[end] = pl.Seq
			m.mu.Unlock()
		case *ports.CloseEvent:
			end, ok := c.ends[ev.Target]
			if !ok {
				return
			}
			m.mu.Lock()
			m.closes[end]++
			m.note(end, "close event at ctx %d (%s)", c.id, ev.Reason)
			if ev.Reason != ports.CloseByPeer {
				m.violate("end %d closed with reason %s", end, ev.Reason)
			}
			m.mu.Unlock()
			delete(c.ports, end)
			delete(c.ends, ev.Target)
		}
	}
}

func runContextsSeed(t *testing.T, seed uint64, ops int) {
	runContextsSeedOn(t, seed, ops, []*env{newEnv(t)})
}

// runContextsSeedOn runs one seed with contexts spread over the given
// actor systems (nodes).
func runContextsSeedOn(t *testing.T, seed uint64, ops int, nodes []*env) {
	rng := rand.New(rand.NewPCG(seed, seed*7919))
	m := &model{held: map[int]int{}, posted: map[int]int{}, received: map[int]int{}, closes: map[int]int{}, dead: map[int]bool{}}
	type live struct {
		pid     *actor.PID
		c       *sctx
		creator int // -1 for windows
		node    *env
		op      int // the operation that created it
	}
	var ctxs []*live
	children := map[int][]int{}
	newCtx := func(creator int) *sctx {
		return &sctx{id: len(ctxs), ports: map[int]*ports.MessagePort{}, ends: map[*ports.MessagePort]int{}, workers: map[int]*actors.Worker{}}
	}
	run := func(id int, fn func(ctx actor.Context, c *sctx) error) {
		l := ctxs[id]
		err := l.node.plugin.Run(l.node.ctx(), l.pid, func(ctx actor.Context) error { return fn(ctx, l.c) })
		require.NoError(t, err, "seed %d: a task of live context %d", seed, id)
	}
	alive := func() []int {
		var ids []int
		for id := range ctxs {
			if !m.dead[id] {
				ids = append(ids, id)
			}
		}
		return ids
	}
	spawnWindow := func() {
		c := newCtx(-1)
		n := nodes[rng.IntN(len(nodes))]
		pid := n.sys.Root.Spawn(actors.WindowFunc(origin.MustParse("https://stress.example"), m.behaviour(c)))
		ctxs = append(ctxs, &live{pid: pid, c: c, creator: -1, node: n})
	}
	var markDead func(id int)
	markDead = func(id int) {
		m.dead[id] = true
		for _, ch := range children[id] {
			markDead(ch)
		}
	}
	for i := 0; i < 3; i++ {
		spawnWindow()
	}
	for op := 0; op < ops; op++ {
		ids := alive()
		if len(ids) == 0 {
			spawnWindow()
			continue
		}
		at := ids[rng.IntN(len(ids))]
		m.mu.Lock()
		var mine []int
		for end, holder := range m.held {
			if holder == at && !m.dead[holder] {
				mine = append(mine, end)
			}
		}
		m.mu.Unlock()
		sort.Ints(mine)
		pick := func() (int, bool) {
			if len(mine) == 0 {
				return 0, false
			}
			return mine[rng.IntN(len(mine))], true
		}
		switch r := rng.IntN(100); {
		case r < 40: // post a few messages
			end, ok := pick()
			if !ok {
				continue
			}
			k := 1 + rng.IntN(5)
			run(at, func(ctx actor.Context, c *sctx) error {
				p, ok := c.ports[end]
				if !ok {
					return nil
				}
				for i := 0; i < k; i++ {
					m.mu.Lock()
					m.posted[end]++
					seq := m.posted[end]
					m.note(end, "op %d: ctx %d posts seq %d", op, c.id, seq)
					m.mu.Unlock()
					if err := p.PostMessage(ctx, payload{End: end, Seq: seq}); err != nil {
						return err
					}
				}
				return nil
			})
		case r < 60: // transfer a port to another live context
			end, ok := pick()
			if !ok {
				continue
			}
			to := ids[rng.IntN(len(ids))]
			// A PID caches its process: name the target afresh.
			toPID := actor.NewPID(ctxs[to].pid.GetAddress(), ctxs[to].pid.GetId())
			run(at, func(ctx actor.Context, c *sctx) error {
				p, ok := c.ports[end]
				if !ok {
					return nil
				}
				delete(c.ports, end)
				delete(c.ends, p)
				m.mu.Lock()
				delete(m.held, end)
				m.note(end, "op %d: ctx %d transfers it to ctx %d (creator %d, %s, created at op %d)", op, c.id, to, ctxs[to].creator, toPID.GetId(), ctxs[to].op)
				m.mu.Unlock()
				return ports.PostTo(ctx, toPID, portTag{End: end}, p)
			})
		case r < 75: // a new channel
			run(at, func(ctx actor.Context, c *sctx) error {
				ch, err := ports.NewMessageChannel(ctx)
				if err != nil {
					return err
				}
				m.mu.Lock()
				a := m.ends
				m.ends += 2
				m.held[a], m.held[a+1] = c.id, c.id
				m.note(a, "op %d: created at ctx %d", op, c.id)
				m.note(a+1, "op %d: created at ctx %d", op, c.id)
				m.mu.Unlock()
				for i, p := range []*ports.MessagePort{ch.Port1, ch.Port2} {
					c.ports[a+i], c.ends[p] = p, a+i
					_ = p.Start(ctx)
				}
				return nil
			})
		case r < 80: // close a port
			end, ok := pick()
			if !ok {
				continue
			}
			run(at, func(ctx actor.Context, c *sctx) error {
				p, ok := c.ports[end]
				if !ok {
					return nil
				}
				delete(c.ports, end)
				delete(c.ends, p)
				m.mu.Lock()
				delete(m.held, end)
				m.note(end, "op %d: ctx %d closes it", op, c.id)
				m.mu.Unlock()
				return p.Close(ctx)
			})
		case r < 88: // a new worker
			if len(ids) > 12 {
				continue
			}
			c := newCtx(at)
			var pid *actor.PID
			run(at, func(ctx actor.Context, parent *sctx) error {
				w, err := actors.NewWorker(ctx, actors.Func(m.behaviour(c)), actors.WorkerOptions{})
				if err != nil {
					return err
				}
				parent.workers[c.id] = w
				pid = w.PID()
				return nil
			})
			ctxs = append(ctxs, &live{pid: pid, c: c, creator: at, node: ctxs[at].node, op: op})
			children[at] = append(children[at], c.id)
		case r < 94: // destroy a context
			l := ctxs[at]
			m.mu.Lock()
			markDead(at)
			for end, holder := range m.held {
				if m.dead[holder] {
					m.note(end, "op %d: its holder ctx %d is destroyed (destroying ctx %d)", op, holder, at)
				}
			}
			m.mu.Unlock()
			switch {
			case l.creator >= 0 && rng.IntN(2) == 0: // terminated by its creator
				if rng.IntN(2) == 0 {
					run(l.creator, func(ctx actor.Context, c *sctx) error { return c.workers[at].Terminate(ctx) })
				} else {
					run(l.creator, func(ctx actor.Context, c *sctx) error { return c.workers[at].TerminateGracefully(ctx) })
				}
			default: // window.close() or self.close()
				run(at, func(ctx actor.Context, _ *sctx) error { return actors.Close(ctx) })
			}
		default: // a new window
			if len(ids) < 10 {
				spawnWindow()
			}
		}
	}

	waitAllQuiet(t, nodes)
	m.mu.Lock()
	for end := 0; end < m.ends; end++ {
		peer := end ^ 1
		holder, held := m.held[end]
		aliveEnd := held && !m.dead[holder]
		ph, pheld := m.held[peer]
		alivePeer := pheld && !m.dead[ph]
		if m.closes[end] > 1 {
			m.violate("end %d got %d close events", end, m.closes[end])
		}
		if !aliveEnd {
			continue
		}
		if m.received[end] != m.posted[peer] {
			m.violate("end %d (live) received %d of the %d messages its peer posted", end, m.received[end], m.posted[peer])
		}
		if alivePeer && m.closes[end] != 0 {
			m.violate("end %d got a close while both ends live", end)
		}
		if !alivePeer && m.closes[end] != 1 {
			m.violate("end %d (live) got %d close events after its peer went away", end, m.closes[end])
		}
	}
	violations := m.violations
	for _, v := range violations {
		var end int
		if _, err := fmt.Sscanf(v, "end %d", &end); err == nil {
			t.Logf("seed %d, end %d: %s", seed, end, strings.Join(m.trace[end], "; "))
			t.Logf("seed %d, its peer %d: %s", seed, end^1, strings.Join(m.trace[end^1], "; "))
			t.Logf("seed %d: destroyed contexts %v", seed, m.dead)
			t.Logf("seed %d: received at %d: %d of %d; at %d: %d of %d", seed, end, m.received[end], m.posted[end^1], end^1, m.received[end^1], m.posted[end])
			for _, n := range nodes {
				t.Logf("seed %d: node %s: %d contexts, ports %+v", seed, n.sys.Address(), n.plugin.Contexts(), n.plugin.Ports().Stats())
			}
			for id, l := range ctxs {
				if _, ok := l.node.sys.ProcessRegistry.Get(l.pid); ok != !m.dead[id] || l.node.plugin.Has(l.pid.GetId()) != !m.dead[id] {
					t.Logf("seed %d: ctx %d (%s, creator %d, op %d): actor alive %v, plugin has %v, model alive %v", seed, id, l.pid.GetId(), l.creator, l.op, ok, l.node.plugin.Has(l.pid.GetId()), !m.dead[id])
				}
			}
		}
	}
	m.mu.Unlock()
	require.Empty(t, violations, "seed %d", seed)

	for _, n := range nodes {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		require.NoError(t, n.plugin.Shutdown(ctx), "seed %d", seed)
		cancel()
	}
	for _, n := range nodes {
		assert.Zero(t, n.plugin.Contexts(), "seed %d", seed)
		assert.Zero(t, n.plugin.Ports().Stats().PortActors, "seed %d: port actors left after Shutdown", seed)
	}
}

// flushStreams makes sure that what each node has sent to each other node
// so far has arrived there: a request to the other node's activator
// travels the same stream, behind it (remote keeps FIFO per pair).
func flushStreams(t *testing.T, nodes []*env) {
	if len(nodes) < 2 {
		return
	}
	for _, from := range nodes {
		for _, to := range nodes {
			if from == to {
				continue
			}
			f := from.sys.Root.RequestFuture(actor.NewPID(to.sys.Address(), "activator"), &actor.Touch{}, wait)
			_, err := f.Result()
			require.NoError(t, err, "flushing %s -> %s", from.sys.Address(), to.sys.Address())
		}
	}
}

// waitAllQuiet waits until a whole pass over the nodes finds each quiet
// with no task run anywhere during the pass.
func waitAllQuiet(t *testing.T, nodes []*env) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*wait)
	defer cancel()
	calm := 0
	for calm < 2 { // two passes in a row without any task
		var before, after uint64
		for _, n := range nodes {
			before += actorstest.Activity(n.plugin)
		}
		flushStreams(t, nodes)
		for _, n := range nodes {
			require.NoError(t, actorstest.WaitQuiet(ctx, n.plugin))
		}
		for _, n := range nodes {
			after += actorstest.Activity(n.plugin)
		}
		if before == after {
			calm++
		} else {
			calm = 0
		}
	}
}
