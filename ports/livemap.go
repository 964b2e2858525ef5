package ports

import (
	"hash/maphash"
	"sync"
)

// liveMap is the extension's index of live local port actors by PID id
// (Extension.live): the fast path finds the other end's core there. It is
// a sharded map rather than a sync.Map because an idle channel keeps two
// entries in it for its whole life, and a plain map's entry costs about a
// third of sync.Map's (issue 12's memory per idle channel); lookups are
// rare (when a port actor sets up its fast path), writes happen when a port
// actor starts and stops.
type liveMap struct {
	seed   maphash.Seed
	shards [liveShards]liveShard
}

const liveShards = 64

type liveShard struct {
	mu sync.RWMutex
	m  map[string]*portCore
	_  [32]byte // keep neighbouring shards' locks off one cache line
}

func newLiveMap() *liveMap { return &liveMap{seed: maphash.MakeSeed()} }

func (l *liveMap) shard(id string) *liveShard {
	return &l.shards[maphash.String(l.seed, id)%liveShards]
}

// Load returns the core of the live port actor with this PID id.
func (l *liveMap) Load(id string) (*portCore, bool) {
	s := l.shard(id)
	s.mu.RLock()
	c, ok := s.m[id]
	s.mu.RUnlock()
	return c, ok
}

// Store records a port actor that started.
func (l *liveMap) Store(id string, c *portCore) {
	s := l.shard(id)
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]*portCore{}
	}
	s.m[id] = c
	s.mu.Unlock()
}

// Delete forgets a port actor that stopped.
func (l *liveMap) Delete(id string) {
	s := l.shard(id)
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
}

// Take deletes the entry of id and reports whether there was one.
func (l *liveMap) Take(id string) bool {
	s := l.shard(id)
	s.mu.Lock()
	_, ok := s.m[id]
	if ok {
		delete(s.m, id)
	}
	s.mu.Unlock()
	return ok
}

// Range calls f for every live port actor's core until f returns false.
// f runs without any of the map's locks held, on a snapshot of each shard.
func (l *liveMap) Range(f func(c *portCore) bool) {
	var batch []*portCore
	for i := range l.shards {
		s := &l.shards[i]
		batch = batch[:0]
		s.mu.RLock()
		for _, c := range s.m {
			batch = append(batch, c)
		}
		s.mu.RUnlock()
		for _, c := range batch {
			if !f(c) {
				return
			}
		}
	}
}
