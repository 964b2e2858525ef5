package messages_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// jsSeeds are the binary forms of the records of jsCases, and of Go values
// that read as every mapped kind.
func jsSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	add := func(rec *messages.Record) {
		b, err := rec.MarshalBinary()
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	for _, ns := range jsCases() {
		rec, err := writeNodes(ns)
		if err != nil {
			tb.Fatal(err)
		}
		add(rec)
	}
	for _, v := range []any{
		map[string]any{"a": []int{1, 1<<53 + 1}, "b": []byte{1}, "c": []any{true, "s"}},
		map[int]bool{1: true},
		[]any{messages.NewBlob([]byte("b"), "t"), messages.NewFile(nil, "n", "", time.UnixMilli(0)), &messages.Error{Cause: 1.0}},
		&jsCycle{},
	} {
		rec, err := messages.Serialize(v)
		if err != nil {
			tb.Fatal(err)
		}
		add(rec)
	}
	return out
}

// FuzzJSReader decodes arbitrary bytes and reads the record with a
// jsrec.Reader to the end: nothing may panic or loop, and every error must
// be a DataCloneError.
func FuzzJSReader(f *testing.F) {
	messages.RegisterType(jsCycle{})
	for _, b := range jsSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := messages.DecodeRecord(data, messages.WithMaxBytes(1<<16), messages.WithMaxElements(1<<12))
		if err != nil {
			if !errors.Is(err, messages.ErrDataClone) {
				t.Fatalf("DecodeRecord error %v does not match ErrDataClone", err)
			}
			return
		}
		rd, err := jsrec.NewReader(r)
		if err != nil {
			t.Fatalf("NewReader of a decoded record: %v", err)
		}
		defer rd.Release()
		for steps := 0; ; steps++ {
			if steps > 1<<20 {
				t.Fatal("the Reader does not end")
			}
			_, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !errors.Is(err, messages.ErrDataClone) {
					t.Fatalf("Reader error %v does not match ErrDataClone", err)
				}
				return
			}
		}
	})
}
