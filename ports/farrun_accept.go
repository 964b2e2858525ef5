package ports

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/entangle-go/entangle/internal/wire"
)

// The receiving side of a wire.Run (see farrun.go): the port's mailbox
// splits it into its messages. In the steady state it appends them all to
// the queue as acceptFar does for one; whatever the fast path cannot take
// goes to the port actor as the wire.Msgs the run stands for, in order.

// farRec is one message of a run: its record bytes (inside the run's), or
// the sender's reason for having none. It is the farData of its inMsg.
type farRec struct {
	rec []byte
	err string
}

func (f *farRec) GetRecord() []byte      { return f.rec }
func (f *farRec) GetEncodeError() string { return f.err }

var errBadRun = errors.New("malformed run")

// splitRun returns the messages of w, or an error if its records do not
// hold exactly w.Count well-formed entries, an error names no empty one, an
// entry is empty without an error, or a run of several messages is longer
// than a sender makes one (see runMaxBytes).
func splitRun(w *wire.Run) ([]farRec, error) {
	b, n := w.GetRecords(), int(w.GetCount())
	if n == 0 || n > len(b)/4 {
		return nil, fmt.Errorf("%w: %d messages in %d bytes", errBadRun, n, len(b))
	}
	if n > 1 && len(b) > runMaxBytes+4 {
		return nil, fmt.Errorf("%w: %d messages in %d bytes, more than a run holds", errBadRun, n, len(b))
	}
	out := make([]farRec, n)
	for i := range out {
		if len(b) < 4 {
			return nil, fmt.Errorf("%w: message %d has no length", errBadRun, i)
		}
		size := binary.LittleEndian.Uint32(b)
		b = b[4:]
		if uint64(size) > uint64(len(b)) {
			return nil, fmt.Errorf("%w: message %d is longer than the run", errBadRun, i)
		}
		out[i].rec = b[:size:size]
		b = b[size:]
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last message", errBadRun, len(b))
	}
	for _, e := range w.GetErrors() {
		i := e.GetIndex()
		if uint64(i) >= uint64(n) || len(out[i].rec) != 0 || out[i].err != "" || e.GetText() == "" {
			return nil, fmt.Errorf("%w: encode error for message %d", errBadRun, i)
		}
		out[i].err = e.GetText()
	}
	for i := range out {
		if len(out[i].rec) == 0 && out[i].err == "" {
			return nil, fmt.Errorf("%w: message %d has neither a record nor an error", errBadRun, i)
		}
	}
	return out, nil
}

// msgOf is message i of a run as the wire.Msg it stands for.
func msgOf(w *wire.Run, recs []farRec, i int) *wire.Msg {
	return &wire.Msg{Key: w.GetKey(), From: w.GetFrom(), Seq: w.GetSeq() + uint64(i), Record: recs[i].rec, EncodeError: recs[i].err}
}

// acceptRun takes a run into the port: the fast path for as many of its
// messages as the core takes in order (while the actor is idle with
// nothing queued), the actor for the rest.
func (m *portMailbox) acceptRun(w *wire.Run) {
	c := m.core
	var recs []farRec
	reason := "wrong route key" // as the port actor says of a Msg
	err := errBadRun
	if w.GetKey() == c.key {
		if recs, err = splitRun(w); err != nil {
			reason = err.Error()
		}
	}
	if err != nil {
		// Refused whole, once, before the actor sees any of it.
		e := c.own.ext
		e.protoErrors.Add(1)
		e.publish(&ProtocolRejected{Port: c.pid, Message: "*wire.Run", Reason: reason, Role: "mailbox"})
		return
	}
	from := 0
	var res fastResult
	var note *deliver
	m.mu.Lock()
	if c.own.ext.fast && m.idleLocked() {
		from, res, note = c.acceptFastRun(recs, w.GetSeq(), w.GetFrom())
	}
	for i := from; i < len(recs); i++ {
		m.q.User.Push(msgOf(w, recs, i))
	}
	m.mu.Unlock()
	c.tookFar(res, note, from)
	if from < len(recs) {
		m.schedule()
	}
}

// acceptFastRun appends to the queue, in order, the messages of a run
// that the fast path takes (see acceptFast), and returns how many, with
// the notification due to the owner. When the port is closed it takes and
// drops them all (res fastDropped).
func (c *portCore) acceptFastRun(recs []farRec, seq, from uint64) (n int, res fastResult, note *deliver) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fastOpenLocked(seq, from) {
		return 0, fastFallback, nil
	}
	if c.state == handleClosed {
		c.nextIn += uint64(len(recs))
		return len(recs), fastDropped, nil
	}
	// What the queue limits refuse goes to the actor, which applies the
	// overflow policy.
	for n < len(recs) && c.queueLocked(&inMsg{seq: seq + uint64(n), val: &recs[n]}) {
		n++
	}
	if n == 0 {
		return 0, fastFallback, nil
	}
	c.own.queued.Add(int64(n))
	if note = c.noteLocked(false); note != nil {
		return n, fastNotify, note
	}
	return n, fastQueued, nil
}
