package messages_test

import (
	"errors"
	"io"
	"testing"

	"github.com/entangle-go/entangle/internal/jsrec"
	"github.com/entangle-go/entangle/messages"
)

// BenchmarkJSObjectRoundTrip writes {i} with a Writer and reads it back,
// what a message between two realms costs in package messages.
func BenchmarkJSObjectRoundTrip(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w := jsrec.NewWriter()
		w.BeginObject()
		w.Key("i")
		w.Number(float64(i))
		w.End()
		rec, err := w.Finish()
		if err != nil {
			b.Fatal(err)
		}
		readAll(b, rec)
	}
}

// BenchmarkJSReadGoStruct reads a Go struct's record as a realm does.
func BenchmarkJSReadGoStruct(b *testing.B) {
	b.ReportAllocs()
	v := &jsOuter{Name: "n", Tags: []string{"a", "b"}, Ints: []int{1, 2, 3}, M: map[string]int{"k": 1}}
	for b.Loop() {
		rec, err := messages.Serialize(v)
		if err != nil {
			b.Fatal(err)
		}
		readAll(b, rec)
	}
}

// readAll reads every node of rec with a realm's Reader, then releases it.
func readAll(b *testing.B, rec any) {
	rd, err := jsrec.NewReader(rec)
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := rd.Next(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			b.Fatal(err)
		}
	}
	rd.Release()
}
