package script

import (
	"io"
	"sync"
	"testing"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// Hand-built records for the codec's deserializer: a test lists the nodes
// a Reader would yield (shapes only Go senders write, and records no Writer
// would make), and replayRec registers them under a fresh *messages.Record.
// TestMain puts replayReader in front of package messages' Reader: it
// replays a registered record and hands every other one on.

var (
	replayMu      sync.Mutex
	replayRecords = map[*messages.Record][]jsrec.Node{}
)

// replayRec registers a record whose Reader yields nodes.
func replayRec(t testing.TB, nodes ...jsrec.Node) *messages.Record {
	t.Helper()
	rec := new(messages.Record)
	replayMu.Lock()
	replayRecords[rec] = nodes
	replayMu.Unlock()
	return rec
}

// installReplayReader wraps jsrec.NewReader (set by package messages).
func installReplayReader() {
	next := jsrec.NewReader
	jsrec.NewReader = func(rec any) (jsrec.Reader, error) {
		r, _ := rec.(*messages.Record)
		replayMu.Lock()
		nodes, ok := replayRecords[r]
		delete(replayRecords, r)
		replayMu.Unlock()
		if !ok {
			return next(rec)
		}
		return &replayReader{nodes: nodes}, nil
	}
}

type replayReader struct {
	nodes []jsrec.Node
	at    int
}

func (r *replayReader) Next() (jsrec.Node, error) {
	if r.at >= len(r.nodes) {
		return jsrec.Node{}, io.EOF
	}
	n := r.nodes[r.at]
	r.at++
	if n.Bytes != nil {
		n.Bytes = append([]byte(nil), n.Bytes...) // fresh for the receiver, as the contract says
	}
	return n, nil
}

func (r *replayReader) Release() {}
