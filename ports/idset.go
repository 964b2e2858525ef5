package ports

import (
	"hash/maphash"
	"sync"
)

// idSet is a set of PID ids: the extension's record of port actors that
// stopped and whose owner has not yet heard (Extension.gone, see
// owner.isPortChild). It is sharded because every port actor that stops
// writes to it, from whichever goroutine it runs on.
type idSet struct {
	seed   maphash.Seed
	shards [idShards]idShard
}

const idShards = 64

type idShard struct {
	mu sync.Mutex
	m  map[string]struct{}
	_  [48]byte // 64 bytes a shard: neighbouring shards' locks stay off one cache line
}

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed()} }

func (s *idSet) shard(id string) *idShard {
	return &s.shards[maphash.String(s.seed, id)%idShards]
}

// Add puts id in the set.
func (s *idSet) Add(id string) {
	sh := s.shard(id)
	sh.mu.Lock()
	if sh.m == nil {
		sh.m = map[string]struct{}{}
	}
	sh.m[id] = struct{}{}
	sh.mu.Unlock()
}

// Take removes id from the set and reports whether it was there.
func (s *idSet) Take(id string) bool {
	sh := s.shard(id)
	sh.mu.Lock()
	_, ok := sh.m[id]
	if ok {
		delete(sh.m, id)
	}
	sh.mu.Unlock()
	return ok
}
