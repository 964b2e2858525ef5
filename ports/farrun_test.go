package ports

import (
	"encoding/binary"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/primrec"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// sentLog is a transport that keeps what is sent, for postFar's tests.
type sentLog struct {
	mu   sync.Mutex
	msgs []any
	to   []*actor.PID
}

func (l *sentLog) send(_ actor.SenderContext, to *actor.PID, msg any) {
	l.mu.Lock()
	l.msgs = append(l.msgs, msg)
	l.to = append(l.to, to)
	l.mu.Unlock()
}

func (l *sentLog) behind(actor.SenderContext, *actor.PID, any) {}

func (l *sentLog) taken() []any {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]any(nil), l.msgs...)
}

// farOwner is an owner of one core whose posts to another node go to a
// sentLog.
func farOwner(t *testing.T) (*owner, *portCore, *sentLog, *wire.Ref) {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	t.Cleanup(sys.Shutdown)
	log := &sentLog{}
	e := &Extension{system: sys, tr: log, fast: true}
	o := newOwner(e, actor.NewPID("nonhost", "owner"))
	c := o.newCore(1, 0, 0)
	far := &wire.Ref{Pid: actor.NewPID("127.0.0.1:1", "peer"), Key: 77}
	return o, c, log, far
}

// decoded is what a receiver rebuilds from the wire messages in log: the
// data of each message by number, or its encode error.
func decoded(t *testing.T, msgs []any) (seqs []uint64, data []any) {
	t.Helper()
	cfg := defaultConfig()
	for _, m := range msgs {
		var recs []farRec
		var first uint64
		switch w := m.(type) {
		case *wire.Msg:
			recs, first = []farRec{{rec: w.GetRecord(), err: w.GetEncodeError()}}, w.GetSeq()
		case *wire.Run:
			var err error
			recs, err = splitRun(w)
			require.NoError(t, err)
			first = w.GetSeq()
			if w.GetCount() > 1 {
				assert.LessOrEqual(t, len(w.GetRecords()), runMaxBytes+4, "a run of %d messages", w.GetCount())
			}
		default:
			t.Fatalf("sent %T", m)
		}
		for i := range recs {
			seqs = append(seqs, first+uint64(i))
			rec, prim, err := decodeFar(&recs[i], false, &cfg)
			switch {
			case err != nil:
				data = append(data, err)
			case rec == nil:
				data = append(data, prim)
			default:
				v, err := messages.Deserialize(rec)
				require.NoError(t, err)
				data = append(data, v)
			}
		}
	}
	return seqs, data
}

type runItem struct{ S string }

func init() { messages.RegisterType(&runItem{}) }

// postFar sends the first post of a turn at once and gathers the rest in
// runs: bounded in count and bytes, a long message starting a run of its
// own, a message that cannot be encoded keeping its place with its error.
// What the receiver splits the runs into is every message, in order.
func TestPostFarGathersRuns(t *testing.T) {
	long := strings.Repeat("y", runMaxBytes)
	tests := []struct {
		name  string
		posts []any
		sent  int // wire messages sent after the turn ends
	}{
		{"one post goes alone", []any{1}, 1},
		{"two posts: the second in a run", []any{1, "two"}, 2},
		// 96-byte strings: entries of 107 bytes, 19 to a run.
		{"19 posts fit in a run", texts(1+19, 96), 2},
		{"the 20th starts the next run", texts(1+20, 96), 3},
		{"runs fill up", texts(1+5*19+3, 96), 7},
		{"a long message goes in a run of its own", []any{1, 2, &runItem{long}, 3}, 4},
		{"a long message after a long message", []any{1, &runItem{long}, &runItem{long}}, 3},
		{"an unencodable message keeps its place", []any{1, 2, &unregisteredForRuns{}, "x"}, 2},
		// Each error text (about 100 bytes) counts against the bound.
		{"error texts count against the bound", unencodable(1 + 40), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, c, log, far := farOwner(t)
			o.far.delay = time.Hour // runs leave by size and at the turn's end only
			ctx := o.ext.system.Root
			for i, v := range tt.posts {
				m := inMsg{seq: uint64(i + 1), val: v, plain: true}
				o.postFar(ctx, c, far, &m)
			}
			o.flushFar(ctx)
			msgs := log.taken()
			require.Len(t, msgs, tt.sent)
			_, isMsg := msgs[0].(*wire.Msg)
			assert.True(t, isMsg, "the first post of the turn goes alone")
			seqs, data := decoded(t, msgs)
			require.Len(t, data, len(tt.posts))
			for i, v := range tt.posts {
				assert.Equal(t, uint64(i+1), seqs[i])
				if _, bad := v.(*unregisteredForRuns); bad {
					assert.ErrorIs(t, data[i].(error), messages.ErrDataClone)
					continue
				}
				assert.Equal(t, v, data[i], "message %d", i+1)
			}
			// The next turn starts afresh: its first post goes alone.
			m := inMsg{seq: uint64(len(tt.posts) + 1), val: 5, plain: true}
			o.postFar(ctx, c, far, &m)
			_, isMsg = log.taken()[tt.sent].(*wire.Msg)
			assert.True(t, isMsg)
		})
	}
}

type unregisteredForRuns struct{ A int }

// unencodable is n posts that cannot be encoded for the trip.
func unencodable(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = &unregisteredForRuns{A: i}
	}
	return out
}

// texts is n posts of strings of size bytes.
func texts(n, size int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = strings.Repeat(string(rune('a'+i%26)), size)
	}
	return out
}

// A run waits no longer than runDelay for its turn to end.
func TestPostFarRunLeavesAfterTheDelay(t *testing.T) {
	o, c, log, far := farOwner(t)
	ctx := o.ext.system.Root
	for i := range 3 {
		m := inMsg{seq: uint64(i + 1), val: i, plain: true}
		o.postFar(ctx, c, far, &m)
	}
	require.Eventually(t, func() bool { return len(log.taken()) == 2 }, waitFor, runDelay/5)
	w, ok := log.taken()[1].(*wire.Run)
	require.True(t, ok)
	assert.Equal(t, uint32(2), w.GetCount())
	o.flushFar(ctx)
	assert.Len(t, log.taken(), 2, "nothing was left to send at the end of the turn")
}

// A run numbered for one incarnation of the other end leaves before a post
// to its successor begins another.
func TestPostFarRunFollowsTheOtherEnd(t *testing.T) {
	o, c, log, far := farOwner(t)
	o.far.delay = time.Hour
	ctx := o.ext.system.Root
	moved := &wire.Ref{Pid: actor.NewPID("127.0.0.1:2", "successor"), Key: 78}
	for i, to := range []*wire.Ref{far, far, far, moved, moved} {
		m := inMsg{seq: uint64(i + 1), val: i, plain: true}
		o.postFar(ctx, c, to, &m)
	}
	o.flushFar(ctx)
	require.Len(t, log.taken(), 3)
	assert.Equal(t, []string{"peer", "peer", "successor"}, []string{log.to[0].GetId(), log.to[1].GetId(), log.to[2].GetId()})
	assert.Equal(t, uint64(77), log.msgs[1].(*wire.Run).GetKey())
	assert.Equal(t, uint64(78), log.msgs[2].(*wire.Run).GetKey())
	assert.Equal(t, uint64(4), log.msgs[2].(*wire.Run).GetSeq())
}

func entry(b []byte) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(b))), b...)
}

func join(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// splitRun refuses every malformed run with errBadRun.
func TestSplitRunRefusesMalformedRuns(t *testing.T) {
	one, _ := primrec.Append(nil, 1)
	tests := []struct {
		name string
		w    *wire.Run
	}{
		{"no messages", &wire.Run{Count: 0, Records: entry(one)}},
		{"more messages than bytes", &wire.Run{Count: 3, Records: entry(one)}},
		{"fewer entries than count", &wire.Run{Count: 2, Records: join(entry(one), []byte{1, 0})}},
		{"an entry past the end", &wire.Run{Count: 1, Records: []byte{9, 0, 0, 0, 1}}},
		{"bytes after the last entry", &wire.Run{Count: 1, Records: join(entry(one), []byte{7})}},
		{"an error for a message out of range", &wire.Run{Count: 1, Records: entry(nil), Errors: []*wire.RunError{{Index: 1, Text: "x"}}}},
		{"an error for a message with a record", &wire.Run{Count: 1, Records: entry(one), Errors: []*wire.RunError{{Index: 0, Text: "x"}}}},
		{"two errors for one message", &wire.Run{Count: 1, Records: entry(nil), Errors: []*wire.RunError{{Index: 0, Text: "x"}, {Index: 0, Text: "y"}}}},
		{"an error without a reason", &wire.Run{Count: 1, Records: entry(nil), Errors: []*wire.RunError{{Index: 0}}}},
		{"an empty entry without an error", &wire.Run{Count: 2, Records: join(entry(one), entry(nil))}},
		{"more records than a run of several holds", &wire.Run{Count: 2, Records: join(entry(one), entry(make([]byte, runMaxBytes)))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := splitRun(tt.w)
			assert.ErrorIs(t, err, errBadRun)
		})
	}
}

// FuzzSplitRun: splitRun never panics, and what it accepts is count
// entries that, written out again, are the run's bytes.
func FuzzSplitRun(f *testing.F) {
	one, _ := primrec.Append(nil, 1)
	f.Add(join(entry(one), entry(nil)), uint32(2), uint32(1), "oops")
	f.Add(entry(one), uint32(1), uint32(0), "")
	f.Add([]byte{255, 255, 255, 255}, uint32(1), uint32(0), "")
	f.Fuzz(func(t *testing.T, records []byte, count, errAt uint32, errText string) {
		w := &wire.Run{Count: count, Records: records}
		if errText != "" {
			w.Errors = []*wire.RunError{{Index: errAt, Text: errText}}
		}
		recs, err := splitRun(w)
		if err != nil {
			return
		}
		require.Len(t, recs, int(count))
		var again []byte
		for _, r := range recs {
			again = append(again, entry(r.rec)...)
		}
		assert.Equal(t, records, again)
		if errText != "" {
			assert.Equal(t, errText, recs[errAt].err)
		}
	})
}

// invokeLog is a port actor stand-in: it keeps the user messages its
// mailbox hands it.
type invokeLog struct{ user []any }

func (l *invokeLog) InvokeSystemMessage(any)  {}
func (l *invokeLog) InvokeUserMessage(m any)  { l.user = append(l.user, m) }
func (l *invokeLog) EscalateFailure(any, any) {}

// A run that the fast path cannot take (here the actor has not let
// messages come straight in) reaches the port actor as the wire.Msgs it
// stands for, in order, with their records and encode errors; a run that
// does not split is refused as a protocol error and reaches nobody.
func TestRunReachesTheActorAsItsMessages(t *testing.T) {
	o, _, _, _ := farOwner(t)
	c := o.newCore(2, 1, 0)
	mb := newPortMailbox(c)
	inv := &invokeLog{}
	mb.RegisterHandlers(inv, nil)
	one, _ := primrec.Append(nil, 1)
	two, _ := primrec.Append(nil, "two")
	mb.PostUserMessage(&wire.Run{Key: c.key, From: 9, Seq: 5, Count: 3,
		Records: join(entry(one), entry(nil), entry(two)),
		Errors:  []*wire.RunError{{Index: 1, Text: "not encodable"}}})
	want := []*wire.Msg{
		{Key: c.key, From: 9, Seq: 5, Record: one},
		{Key: c.key, From: 9, Seq: 6, EncodeError: "not encodable"},
		{Key: c.key, From: 9, Seq: 7, Record: two},
	}
	require.Len(t, inv.user, len(want))
	for i, w := range want {
		got, ok := inv.user[i].(*wire.Msg)
		require.True(t, ok, "message %d is a %T", i, inv.user[i])
		assert.Equal(t, w.GetSeq(), got.GetSeq())
		assert.Equal(t, w.GetKey(), got.GetKey())
		assert.Equal(t, w.GetFrom(), got.GetFrom())
		assert.Equal(t, string(w.GetRecord()), string(got.GetRecord()))
		assert.Equal(t, w.GetEncodeError(), got.GetEncodeError())
	}
	mb.PostUserMessage(&wire.Run{Key: c.key, Count: 2, Records: entry(one)})
	assert.Len(t, inv.user, len(want), "a malformed run reaches nobody")
	assert.Equal(t, int64(1), o.ext.protoErrors.Load())
	mb.PostUserMessage(&wire.Run{Key: c.key + 1, Count: 2, Records: join(entry(one), entry(two))})
	assert.Len(t, inv.user, len(want), "a run with another port's key reaches nobody")
	assert.Equal(t, int64(2), o.ext.protoErrors.Load(), "and counts once")
}
