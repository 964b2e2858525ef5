package messages_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransferArrayBuffer(t *testing.T) {
	data := []byte("hello world")
	ab := messages.NewArrayBuffer(data)
	out, err := messages.StructuredClone(map[string]any{"buf": ab}, ab)
	require.NoError(t, err)
	assert.True(t, ab.Detached())
	assert.Zero(t, ab.ByteLength())
	assert.Nil(t, ab.Bytes())
	got := out.(map[string]any)["buf"].(*messages.ArrayBuffer)
	assert.NotSame(t, ab, got)
	assert.Equal(t, "hello world", string(got.Bytes()))
	assert.Same(t, &data[0], &got.Bytes()[0], "transfer moves the bytes, it does not copy them")

	_, err = messages.StructuredClone(ab)
	assert.ErrorIs(t, err, messages.ErrDataClone, "a detached buffer cannot be cloned")
	_, err = messages.StructuredClone(nil, ab)
	assert.ErrorIs(t, err, messages.ErrDataClone, "a detached buffer cannot be transferred again")
}

func TestTransferBufferNotInValue(t *testing.T) {
	ab := messages.NewArrayBuffer([]byte("unreferenced"))
	r, err := messages.Serialize("just a string", ab)
	require.NoError(t, err)
	assert.True(t, ab.Detached(), "every listed buffer is detached, referenced or not")
	assert.GreaterOrEqual(t, r.ByteSize(), len("unreferenced")+len("just a string"))
	v, err := messages.Deserialize(r)
	require.NoError(t, err)
	assert.Equal(t, "just a string", v)
}

func TestCopiedBufferIsIndependent(t *testing.T) {
	ab := messages.NewArrayBuffer([]byte("abc"))
	out, err := messages.StructuredClone(ab)
	require.NoError(t, err)
	assert.False(t, ab.Detached())
	c := out.(*messages.ArrayBuffer)
	c.Bytes()[0] = 'z'
	assert.Equal(t, "abc", string(ab.Bytes()))
}

func TestViewsShareOneBuffer(t *testing.T) {
	for _, transfer := range []bool{false, true} {
		ab := messages.NewArrayBuffer([]byte{1, 2, 3, 4, 5, 6, 7, 8})
		u8, err := messages.NewTypedArray(messages.Uint8, ab, 0, 8)
		require.NoError(t, err)
		u16, err := messages.NewTypedArray(messages.Uint16, ab, 2, 2)
		require.NoError(t, err)
		f16, err := messages.NewTypedArray(messages.Float16, ab, 4, 2)
		require.NoError(t, err)
		dv, err := messages.NewDataView(ab, 1, 3)
		require.NoError(t, err)
		var list []messages.Transferable
		if transfer {
			list = append(list, ab)
		}
		outs := map[string]any{}
		if transfer {
			outs["StructuredClone"], err = messages.StructuredClone([]any{u8, u16, f16, dv, u8}, list...)
			require.NoError(t, err)
		} else {
			outs, err = roundTrips([]any{u8, u16, f16, dv, u8})
			require.NoError(t, err)
		}
		for how, out := range outs {
			s := out.([]any)
			c8, c16, cf16, cdv := s[0].(*messages.TypedArray), s[1].(*messages.TypedArray), s[2].(*messages.TypedArray), s[3].(*messages.DataView)
			assert.Same(t, c8, s[4], how)
			assert.Same(t, c8.Buffer(), c16.Buffer(), how)
			assert.Same(t, c8.Buffer(), cf16.Buffer(), how)
			assert.Same(t, c8.Buffer(), cdv.Buffer(), how)
			assert.Equal(t, messages.Float16, cf16.Kind(), how)
			assert.Equal(t, []byte{3, 4, 5, 6}, c16.Bytes(), how)
			assert.Equal(t, []byte{2, 3, 4}, cdv.Bytes(), how)
			assert.Equal(t, transfer, ab.Detached(), how)
		}
	}
}

func TestViewConstructors(t *testing.T) {
	ab := messages.NewArrayBuffer(make([]byte, 8))
	_, err := messages.NewTypedArray(messages.Int32, ab, 2, 1)
	assert.ErrorIs(t, err, messages.ErrRange, "misaligned")
	_, err = messages.NewTypedArray(messages.Float64, ab, 0, 2)
	assert.ErrorIs(t, err, messages.ErrRange, "too long")
	_, err = messages.NewTypedArray(messages.ElementKind(99), ab, 0, 1)
	assert.ErrorIs(t, err, messages.ErrRange, "bad kind")
	_, err = messages.NewDataView(ab, 9, 0)
	assert.ErrorIs(t, err, messages.ErrRange)
	_, err = messages.NewDataView(nil, 0, 0)
	assert.ErrorIs(t, err, messages.ErrInvalidState)
	a, err := messages.NewTypedArray(messages.BigInt64, ab, 0, 1)
	require.NoError(t, err)
	assert.Equal(t, 8, a.ByteLength())
	assert.Equal(t, "BigInt64Array", a.Kind().String())
}

func TestTransferredRecordDeserializesOnce(t *testing.T) {
	ab := messages.NewArrayBuffer([]byte("once"))
	r, err := messages.Serialize([]any{ab}, ab)
	require.NoError(t, err)

	_, err = messages.Deserialize(r, messages.WithTransferred(&fakePort{}))
	require.Error(t, err, "a failed Deserialize does not use the buffers up")
	v, err := messages.Deserialize(r)
	require.NoError(t, err)
	assert.Equal(t, "once", string(v.([]any)[0].(*messages.ArrayBuffer).Bytes()))

	_, err = messages.Deserialize(r)
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.Contains(t, err.Error(), "already handed")
	_, err = r.MarshalBinary()
	assert.ErrorIs(t, err, messages.ErrDataClone)

	// Without transferred buffers a record deserializes any number of times.
	r, err = messages.Serialize([]any{messages.NewArrayBuffer([]byte("copy"))})
	require.NoError(t, err)
	a, err := messages.Deserialize(r)
	require.NoError(t, err)
	b, err := messages.Deserialize(r)
	require.NoError(t, err)
	assert.NotSame(t, a.([]any)[0], b.([]any)[0])
}

func TestTransferredRecordConcurrentDeserialize(t *testing.T) {
	ab := messages.NewArrayBuffer([]byte("race"))
	r, err := messages.Serialize(ab, ab)
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := messages.Deserialize(r); err == nil {
				v.(*messages.ArrayBuffer).Bytes()[0] = 'R'
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, wins)
}

func TestTransferAcrossGoroutines(t *testing.T) {
	buf := make([]byte, 1024)
	ab := messages.NewArrayBuffer(buf)
	r, err := messages.Serialize(ab, ab)
	require.NoError(t, err)
	ch := make(chan *messages.Record)
	done := make(chan struct{})
	go func() {
		defer close(done)
		v, err := messages.Deserialize(<-ch)
		if assert.NoError(t, err) {
			v.(*messages.ArrayBuffer).Bytes()[0] = 1
		}
	}()
	ch <- r
	<-done
	assert.True(t, ab.Detached())
}

type portHolder struct {
	Name string
	Port *fakePort
	Any  any
}

func TestExternalTransferables(t *testing.T) {
	messages.RegisterType(portHolder{})
	p1, p2 := &fakePort{id: 1}, &fakePort{id: 2}
	ab := messages.NewArrayBuffer([]byte("ab"))
	in := []any{portHolder{Name: "h", Port: p2, Any: p1}, p2, ab}
	r, err := messages.Serialize(in, p1, ab, p2)
	require.NoError(t, err)
	assert.Equal(t, 2, r.ExternalCount())
	assert.True(t, ab.Detached())
	assert.False(t, p1.Detached(), "external transferables are left to their owner")

	b, err := r.MarshalBinary()
	require.NoError(t, err)
	decoded, err := messages.DecodeRecord(b)
	require.NoError(t, err)
	assert.Equal(t, 2, decoded.ExternalCount())

	n1, n2 := &fakePort{id: 11}, &fakePort{id: 22}
	for _, tc := range []struct {
		how string
		rec *messages.Record
	}{{"in memory", r}, {"binary", decoded}} {
		how, rec := tc.how, tc.rec
		_, err := messages.Deserialize(rec)
		assert.ErrorIs(t, err, messages.ErrDataClone, how)
		assert.Contains(t, err.Error(), "no context to adopt", how)
		_, err = messages.Deserialize(rec, messages.WithTransferred(n1))
		assert.ErrorIs(t, err, messages.ErrDataClone, how)
		_, err = messages.Deserialize(rec, messages.WithTransferred(n1, messages.NewArrayBuffer(nil)))
		assert.ErrorIs(t, err, messages.ErrDataClone, "a transferred object of the wrong type: "+how)

		v, err := messages.Deserialize(rec, messages.WithTransferred(n1, n2))
		require.NoError(t, err, how)
		s := v.([]any)
		h := s[0].(portHolder)
		assert.Same(t, n2, h.Port, how)
		assert.Same(t, n1, h.Any, how)
		assert.Same(t, n2, s[1], how)
		assert.Equal(t, "ab", string(s[2].(*messages.ArrayBuffer).Bytes()), how)
	}
}

func TestStructuredCloneRejectsExternal(t *testing.T) {
	p := &fakePort{}
	ab := messages.NewArrayBuffer([]byte("x"))
	_, err := messages.StructuredClone(p, ab, p)
	require.Error(t, err)
	var dce *messages.DataCloneError
	require.True(t, errors.As(err, &dce))
	assert.Equal(t, "transfer[1]", dce.Path)
	assert.Contains(t, err.Error(), "no context to adopt")
	assert.False(t, ab.Detached())
}

// As on the web, every listed buffer is detached by a successful call,
// referenced by the value or not, and its bytes travel with the record.
func TestTransferUnreferencedBuffer(t *testing.T) {
	t.Run("StructuredClone", func(t *testing.T) {
		ab := messages.NewArrayBuffer([]byte("unused"))
		out, err := messages.StructuredClone(map[string]any{"n": 1}, ab)
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"n": 1}, out)
		assert.True(t, ab.Detached())
		assert.Zero(t, ab.ByteLength())
		assert.Nil(t, ab.Bytes())
	})
	t.Run("through the binary form", func(t *testing.T) {
		used := messages.NewArrayBuffer([]byte("used"))
		unused := messages.NewArrayBuffer([]byte("unused"))
		r, err := messages.Serialize([]any{used}, unused, used)
		require.NoError(t, err)
		assert.True(t, used.Detached())
		assert.True(t, unused.Detached())
		b, err := r.MarshalBinary()
		require.NoError(t, err)
		assert.Contains(t, string(b), "unused", "the moved bytes travel")
		var dec messages.Record
		require.NoError(t, dec.UnmarshalBinary(b))
		v, err := messages.Deserialize(&dec)
		require.NoError(t, err)
		got := v.([]any)[0].(*messages.ArrayBuffer)
		assert.Equal(t, "used", string(got.Bytes()))
		_, err = messages.Deserialize(&dec)
		assert.ErrorIs(t, err, messages.ErrDataClone, "transferred buffers are handed out once")
	})
}

// A long transfer list (past the linear scan) finds duplicates and slots
// the same way as a short one.
func TestTransferLongList(t *testing.T) {
	var list []messages.Transferable
	var in []any
	for i := range 40 {
		ab := messages.NewArrayBuffer([]byte{byte(i)})
		list = append(list, ab)
		in = append(in, ab)
	}
	_, err := messages.StructuredClone(in, append(list[:len(list):len(list)], list[33])...)
	var dce *messages.DataCloneError
	require.ErrorAs(t, err, &dce)
	assert.Equal(t, "transfer[40]", dce.Path)
	assert.Contains(t, err.Error(), "also at transfer[33]")
	for _, x := range list {
		require.False(t, x.Detached())
	}
	out, err := messages.StructuredClone(in, list...)
	require.NoError(t, err)
	for i, x := range out.([]any) {
		assert.Equal(t, []byte{byte(i)}, x.(*messages.ArrayBuffer).Bytes())
		assert.True(t, list[i].Detached())
	}
}

// The sharp edge, documented: a slice the sender kept still points at the
// bytes the receiver owns after a transfer.
func TestTransferSharpEdge(t *testing.T) {
	kept := []byte("shared")
	ab := messages.NewArrayBuffer(kept)
	out, err := messages.StructuredClone(ab, ab)
	require.NoError(t, err)
	out.(*messages.ArrayBuffer).Bytes()[0] = 'S'
	assert.Equal(t, "Shared", string(kept), "the sender's old slice sees the receiver's write")
}

// Views over a transferred buffer share the receiver's one new buffer,
// in memory and through the binary form.
func TestViewsShareTransferredBufferThroughBinary(t *testing.T) {
	ab := messages.NewArrayBuffer([]byte{1, 2, 3, 4, 5, 6, 7, 8})
	u16, err := messages.NewTypedArray(messages.Uint16, ab, 2, 2)
	require.NoError(t, err)
	dv, err := messages.NewDataView(ab, 5, 3)
	require.NoError(t, err)
	r, err := messages.Serialize(map[string]any{"u16": u16, "dv": dv, "buf": ab}, ab)
	require.NoError(t, err)
	require.True(t, ab.Detached())
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	var dec messages.Record
	require.NoError(t, dec.UnmarshalBinary(b))
	v, err := messages.Deserialize(&dec)
	require.NoError(t, err)
	m := v.(map[string]any)
	buf := m["buf"].(*messages.ArrayBuffer)
	assert.Same(t, buf, m["u16"].(*messages.TypedArray).Buffer())
	assert.Same(t, buf, m["dv"].(*messages.DataView).Buffer())
	assert.Equal(t, []byte{3, 4, 5, 6}, m["u16"].(*messages.TypedArray).Bytes())
	assert.Equal(t, []byte{6, 7, 8}, m["dv"].(*messages.DataView).Bytes())
	assert.False(t, buf.Detached())
}
