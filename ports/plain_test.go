package ports

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/entangle-go/entangle/internal/twin"
	"github.com/entangle-go/entangle/internal/wire"
	"github.com/entangle-go/entangle/messages"
)

// A post in this process carries the clone made at post time (plain data);
// the record path is Serialize then Deserialize at the receiver, as before,
// and as a message from another node still travels. These tests check that
// the receiver gets the same value either way.

// recordClone is the record path in this process: Serialize, then
// Deserialize.
func recordClone(v any) (any, error) {
	r, err := messages.Serialize(v)
	if err != nil {
		return nil, err
	}
	return messages.Deserialize(r)
}

// farClone is the path across nodes: the record's bytes, rebuilt as the
// receiving owner does (decodeFar). ok is false if v has no binary form.
func farClone(t testing.TB, v any) (out any, ok bool) {
	t.Helper()
	r, err := messages.Serialize(v)
	require.NoError(t, err)
	b, err := r.MarshalBinary()
	if err != nil {
		return nil, false
	}
	cfg := &config{}
	rec, prim, err := decodeFar(&wire.Msg{Record: b}, false, cfg)
	require.NoError(t, err)
	if rec == nil {
		return prim, true
	}
	out, err = messages.Deserialize(rec)
	require.NoError(t, err)
	return out, true
}

type plainPoint struct {
	X, Y float64
	Name string
}

type plainNode struct {
	V    int
	Next *plainNode
	Tags []string
}

func init() {
	// Registered, so that the path across nodes can rebuild them too.
	messages.RegisterType(plainPoint{})
	messages.RegisterType(plainNode{})
}

// plainCorpus is a set of values of every shape the clone handles,
// with shared references and cycles.
func plainCorpus() map[string]any {
	shared := &plainPoint{X: 1, Y: 2, Name: "shared"}
	ring := &plainNode{V: 1, Tags: []string{"a"}}
	ring.Next = &plainNode{V: 2, Next: ring}
	self := map[string]any{"k": "v"}
	self["self"] = self
	inner := []any{1.5, "x"}
	var nilPoint *plainPoint
	return map[string]any{
		"small struct":   &struct{ I int }{I: 7},
		"struct value":   plainPoint{X: 1, Y: -2, Name: "p"},
		"small map":      map[string]any{"i": 42},
		"nested maps":    map[string]any{"a": map[string]any{"b": []any{1.0, true, nil, "s"}}},
		"shared pointer": []*plainPoint{shared, shared, nil},
		"cycle":          ring,
		"map cycle":      self,
		"shared slice":   map[string]any{"a": inner, "b": inner},
		"typed nil":      nilPoint,
		"typed nil in":   []any{nilPoint, (map[string]int)(nil), ([]int)(nil)},
		"array":          [3]int{1, 2, 3},
		"float32 NaN":    []float32{float32(math.NaN()), 1.5},
		"int map":        map[int]string{1: "one", 2: "two"},
		"bytes":          []byte("bytes"),
		"undefined":      []any{messages.Undefined, nil},
	}
}

// postPlainAndRead posts v from one end of an in-process channel to the
// other and returns what arrives.
func postPlainAndRead(t testing.TB, pr *probe, ch *MessageChannel, v any) any {
	t.Helper()
	pr.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, v)) })
	ev := pr.nextMessage()
	require.Same(t, ch.Port2, ev.Target)
	return ev.Data
}

func TestPlainPostMatchesTheRecordPath(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	for name, v := range plainCorpus() {
		t.Run(name, func(t *testing.T) {
			got := postPlainAndRead(t, a, ch, v)
			want, err := recordClone(v)
			require.NoError(t, err)
			assert.Empty(t, twin.Diff(got, want), "the in-process post and the record path differ")
			if far, ok := farClone(t, v); ok {
				assert.Empty(t, twin.Diff(got, far), "the in-process post and the path across nodes differ")
			}
		})
	}
}

// buildPlain makes a value from a fuzzer's bytes: a small stack machine
// whose containers can be referred to again (shared references, cycles).
func buildPlain(program []byte) any {
	var stack []any
	var maps []map[string]any
	var nodes []*plainNode
	pop := func() any {
		if len(stack) == 0 {
			return nil
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return v
	}
	for i, op := range program {
		arg := int(op >> 3)
		switch op & 7 {
		case 0:
			stack = append(stack, float64(arg)-7.5)
		case 1:
			stack = append(stack, string(rune('a'+arg)))
		case 2:
			n := min(arg%4, len(stack))
			s := make([]any, n)
			for j := range s {
				s[j] = pop()
			}
			stack = append(stack, s)
		case 3:
			m := map[string]any{}
			for j := 0; j < arg%3 && len(stack) > 0; j++ {
				m[string(rune('k'+j))] = pop()
			}
			maps = append(maps, m)
			stack = append(stack, m)
		case 4:
			if len(maps) > 0 {
				m := maps[arg%len(maps)]
				m["ref"] = maps[i%len(maps)] // may make a cycle
				stack = append(stack, m)
			}
		case 5:
			n := &plainNode{V: arg, Tags: []string{"t"}}
			if len(nodes) > 0 {
				n.Next = nodes[arg%len(nodes)]
			}
			nodes = append(nodes, n)
			stack = append(stack, n)
		case 6:
			stack = append(stack, plainPoint{X: float64(arg), Y: math.Inf(1), Name: "p"})
		case 7:
			stack = append(stack, arg%2 == 0, nil)
		}
	}
	if len(stack) == 1 {
		return stack[0]
	}
	return stack
}

// FuzzPlainPostMatchesRecordPath posts the fuzzer's values on a channel in
// this process and requires what arrives to be what the record path makes
// of them, in this process and across nodes.
func FuzzPlainPostMatchesRecordPath(f *testing.F) {
	for _, p := range [][]byte{
		{0x08, 0x01, 0x12},
		{0x0b, 0x05, 0x0d, 0x15, 0x1a, 0x04},
		{0x03, 0x0b, 0x1b, 0x0c, 0x14, 0x22},
		{0x06, 0x0e, 0x07, 0x13, 0x2a},
	} {
		f.Add(p)
	}
	sys := newSystem(f)
	a := newProbe(f, sys, "a")
	ch := newChannel(f, a)
	a.do(func(ctx actor.Context) { require.NoError(f, ch.Port2.Start(ctx)) })
	f.Fuzz(func(t *testing.T, program []byte) {
		if len(program) > 256 {
			return
		}
		v := buildPlain(program)
		want, err := recordClone(v)
		var perr error
		done := make(chan struct{})
		sys.Root.Send(a.pid, &runOn{f: func(ctx actor.Context) { perr = ch.Port1.PostMessage(ctx, v) }, done: done})
		select {
		case <-done:
		case <-time.After(waitFor):
			t.Fatal("timed out posting")
		}
		if err != nil {
			require.Error(t, perr)
			assert.Equal(t, err.Error(), perr.Error(), "the post fails as Serialize does")
			return
		}
		require.NoError(t, perr)
		var got any
		select {
		case ev := <-a.events:
			me, ok := ev.(*MessageEvent)
			require.Truef(t, ok, "want a MessageEvent, got %T", ev)
			got = me.Data
		case <-time.After(waitFor):
			t.Fatal("timed out waiting for the message")
		}
		require.Empty(t, twin.Diff(got, want), "the in-process post and the record path differ")
		if far, ok := farClone(t, v); ok {
			require.Empty(t, twin.Diff(got, far), "the in-process post and the path across nodes differ")
		}
	})
}

// A MessagePort in the data but not in the transfer list cannot be cloned:
// StructuredClone (the in-process path) fails as Serialize (the record
// path) does, with the same path, and PostMessage returns that error with
// nothing sent or detached.
func TestPortInDataIsADataCloneErrorOnEveryPath(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	other := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	p := other.Port1
	for name, v := range map[string]any{
		"the port":        p,
		"in a map":        map[string]any{"p": p},
		"in a slice":      []any{1.0, p},
		"in a struct":     struct{ P *MessagePort }{P: p},
		"behind pointers": &struct{ M map[string]*MessagePort }{M: map[string]*MessagePort{"x": p}},
		"as transferable": []messages.Transferable{p},
	} {
		t.Run(name, func(t *testing.T) {
			_, serr := messages.Serialize(v)
			var want *messages.DataCloneError
			require.ErrorAs(t, serr, &want)
			_, cerr := messages.StructuredClone(v)
			var got *messages.DataCloneError
			require.ErrorAs(t, cerr, &got)
			assert.Equal(t, want.Path, got.Path)
			assert.Equal(t, want.Error(), got.Error())
			a.do(func(ctx actor.Context) {
				perr := ch.Port1.PostMessage(ctx, v)
				require.ErrorIs(t, perr, messages.ErrDataClone)
				assert.Equal(t, want.Error(), perr.Error())
			})
		})
	}
	assertAttached(t, p, ch.Port1, ch.Port2)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port1.PostMessage(ctx, "after")) })
	assert.Equal(t, "after", a.nextMessage().Data, "nothing was sent before")
}

// unrebuildable serializes but refuses to be rebuilt.
type unrebuildable struct{ N int }

func (u unrebuildable) MarshalBinary() ([]byte, error) { return []byte{byte(u.N)}, nil }

func (u *unrebuildable) UnmarshalBinary([]byte) error { return errors.New("refused") }

// A value that serializes but cannot be rebuilt still posts: in this
// process, too, its receiver gets a MessageErrorEvent in its place, and the
// channel flows on.
func TestUnrebuildableValueIsAMessageErrorInProcess(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) {
		require.NoError(t, ch.Port2.Start(ctx))
		require.NoError(t, ch.Port1.PostMessage(ctx, unrebuildable{N: 1}))
		require.NoError(t, ch.Port1.PostMessage(ctx, &struct{ I int }{I: 2}))
	})
	ev := a.next()
	me, ok := ev.(*MessageErrorEvent)
	require.Truef(t, ok, "want a MessageErrorEvent, got %T %+v", ev, ev)
	assert.ErrorIs(t, me.Err, messages.ErrDataClone)
	assert.Same(t, ch.Port2, me.Target)
	assert.Equal(t, &struct{ I int }{I: 2}, a.nextMessage().Data)
}

// An ArrayBuffer in the data and not in the transfer list is copied at
// post time (StructuredClone takes the record path for it inside): the
// receiver's is its own, the sender's stays attached, and a buffer reached
// twice arrives as one.
func TestPlainPostCopiesBuffersInTheData(t *testing.T) {
	sys := newSystem(t)
	a := newProbe(t, sys, "a")
	ch := newChannel(t, a)
	a.do(func(ctx actor.Context) { require.NoError(t, ch.Port2.Start(ctx)) })
	buf := messages.NewArrayBuffer([]byte{1, 2, 3})
	got := postPlainAndRead(t, a, ch, map[string]any{"a": buf, "b": buf})
	m, ok := got.(map[string]any)
	require.Truef(t, ok, "want a map, got %T", got)
	rb, ok := m["a"].(*messages.ArrayBuffer)
	require.Truef(t, ok, "want an *ArrayBuffer, got %T", m["a"])
	assert.Same(t, rb, m["b"], "one buffer reached twice is one buffer")
	assert.NotSame(t, buf, rb)
	assert.Equal(t, []byte{1, 2, 3}, rb.Bytes())
	assert.False(t, buf.Detached())
	buf.Bytes()[0] = 9
	assert.Equal(t, byte(1), rb.Bytes()[0], "the copy does not share memory")
}
