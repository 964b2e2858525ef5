package messages_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/entangle-go/entangle/messages"
)

// FuzzUnmarshalRecord feeds arbitrary bytes to DecodeRecord and, when they
// decode, to MarshalBinary and Deserialize: nothing may panic, and every
// error must be a DataCloneError.
func FuzzUnmarshalRecord(f *testing.F) {
	for _, seed := range corpusValues() {
		r, err := messages.Serialize(seed)
		if err != nil {
			f.Fatal(err)
		}
		b, err := r.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, b := range jsSeeds(f) { // the node kinds of format version 2
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
		again, err := r.MarshalBinary()
		if err != nil {
			t.Fatalf("a decoded record does not marshal: %v", err)
		}
		if _, err := messages.DecodeRecord(again); err != nil {
			t.Fatalf("a re-marshaled record does not decode: %v", err)
		}
		objs := make([]messages.Transferable, r.ExternalCount())
		for i := range objs {
			objs[i] = &fakePort{id: i}
		}
		if _, err := messages.Deserialize(r, messages.WithTransferred(objs...)); err != nil && !errors.Is(err, messages.ErrDataClone) {
			t.Fatalf("Deserialize error %v does not match ErrDataClone", err)
		}
	})
}

// FuzzCloneRoundTrip builds a value graph from the fuzz bytes (see build),
// clones it through the binary form, in memory, and with StructuredClone
// transferring some buffers, and compares each result with the original.
func FuzzCloneRoundTrip(f *testing.F) {
	for _, p := range corpusPrograms() {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, program []byte) {
		wd := time.AfterFunc(30*time.Second, func() { panic(fmt.Sprintf("WATCHDOG %q", program)) })
		defer wd.Stop()
		v, transfer := build(program)
		r, err := messages.Serialize(v)
		if err != nil {
			t.Fatalf("Serialize: %v", err)
		}
		b, err := r.MarshalBinary()
		if err != nil {
			t.Fatalf("MarshalBinary: %v", err)
		}
		dec, err := messages.DecodeRecord(b)
		if err != nil {
			t.Fatalf("DecodeRecord: %v", err)
		}
		for how, rec := range map[string]*messages.Record{"binary": dec, "in memory": r} {
			out, err := messages.Deserialize(rec)
			if err != nil {
				t.Fatalf("Deserialize (%s): %v", how, err)
			}
			if diff := cloneEqual(v, out); diff != "" {
				t.Fatalf("%s: %s", how, diff)
			}
		}
		out, err := messages.StructuredClone(v, transfer...)
		if err != nil {
			t.Fatalf("StructuredClone: %v", err)
		}
		if diff := cloneEqual(v, out, transfer2ab(transfer)...); diff != "" {
			t.Fatalf("StructuredClone: %s", diff)
		}
		for _, x := range transfer {
			if !x.Detached() {
				t.Fatal("a transferred buffer was not detached")
			}
		}
	})
}

// extendedOps is the first program byte that selects a Go-typed value in
// build.
const extendedOps = 238

// fuzzBox is a Go struct for build: a value in an any, a pointer that
// other boxes may share, and a slice.
type fuzzBox struct {
	A any
	P *Point
	L []int
}

func init() { messages.RegisterType(fuzzBox{}) }

func transfer2ab(ts []messages.Transferable) []*messages.ArrayBuffer {
	var out []*messages.ArrayBuffer
	for _, t := range ts {
		out = append(out, t.(*messages.ArrayBuffer))
	}
	return out
}

// build interprets program as a small stack machine that builds a value:
// scalars, []any, map[string]any, Object, Map, Set, ArrayBuffer, views,
// Error, RegExp, big.Int and time values, aliases (pushing an earlier value
// again) and cycles (inserting an earlier container into a map or Object).
// It returns the stack as a []any and a transfer list of some buffers.
func build(program []byte) (any, []messages.Transferable) {
	var stack []any
	var containers []any // maps and Objects, for cycles
	var buffers []*messages.ArrayBuffer
	var transfer []messages.Transferable
	p := program
	next := func() byte {
		if len(p) == 0 {
			return 0
		}
		c := p[0]
		p = p[1:]
		return c
	}
	pop := func(n int) []any {
		n = min(n, len(stack))
		out := append([]any(nil), stack[len(stack)-n:]...)
		stack = stack[:len(stack)-n]
		return out
	}
	var rings []*Ring
	var points []*Point
	var bigs []*big.Int
	var blobs []any
	for steps := 0; len(p) > 0 && steps < 512; steps++ {
		code := next()
		if code >= extendedOps {
			// Go-typed values (bytes below extendedOps keep the meaning
			// they have in the committed corpus).
			switch (code - extendedOps) % 7 {
			case 0: // a Ring, linked to an earlier one, maybe closing a cycle
				r := &Ring{Name: fmt.Sprint("r", len(rings))}
				if len(rings) > 0 {
					r.Next = rings[int(next())%len(rings)]
					if next()%2 == 0 {
						rings[int(next())%len(rings)].Next = r
					}
				}
				rings = append(rings, r)
				stack = append(stack, r)
			case 1: // typed nils
				nils := []any{(*Point)(nil), (*big.Int)(nil), (*messages.Map)(nil), []int(nil),
					map[string]int(nil), (*messages.Error)(nil), (*Ring)(nil)}
				stack = append(stack, nils[int(next())%len(nils)])
			case 2: // a Go map with int keys
				m := map[int]any{}
				for i, v := range pop(int(next() % 5)) {
					m[i*7-3] = v
				}
				stack = append(stack, m)
			case 3: // an array
				v := pop(2)
				var a [2]any
				copy(a[:], v)
				stack = append(stack, a)
			case 4: // a struct with a shared pointer
				if len(points) == 0 || next()%2 == 0 {
					points = append(points, &Point{X: int(next()), Y: len(points)})
				}
				b := fuzzBox{P: points[int(next())%len(points)], L: []int{int(next()), -1}}
				if v := pop(1); len(v) == 1 {
					b.A = v[0]
				}
				if next()%2 == 0 {
					stack = append(stack, &b)
				} else {
					stack = append(stack, b)
				}
			case 5: // big integers, aliased
				if len(bigs) == 0 || next()%2 == 0 {
					bigs = append(bigs, new(big.Int).Lsh(big.NewInt(int64(int8(next()))), uint(next())))
				}
				stack = append(stack, bigs[int(next())%len(bigs)])
			case 6: // Blobs and Files, aliased; an Error with a cause
				if len(blobs) == 0 || next()%2 == 0 {
					data := []byte{next(), next()}
					if next()%2 == 0 {
						blobs = append(blobs, messages.NewBlob(data, "t/x"))
					} else {
						blobs = append(blobs, messages.NewFile(data, "f", "", time.UnixMilli(int64(next())<<30)))
					}
				}
				b := blobs[int(next())%len(blobs)]
				if next()%2 == 0 {
					b = &messages.Error{Name: "TypeError", Message: "m", Cause: b}
				}
				stack = append(stack, b)
			}
			continue
		}
		switch op := code % 17; op {
		case 0:
			n := int(next() % 16)
			s := string(p[:min(n, len(p))])
			p = p[min(n, len(p)):]
			stack = append(stack, s)
		case 1:
			var x float64
			switch next() % 5 {
			case 0:
				x = math.NaN()
			case 1:
				x = math.Copysign(0, -1)
			case 2:
				x = math.Inf(-1)
			default:
				var b [8]byte
				n := copy(b[:], p)
				p = p[n:]
				x = math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
			}
			stack = append(stack, x)
		case 2:
			stack = append(stack, int(int8(next()))*1000003)
		case 3:
			stack = append(stack, []any{true, false, nil, messages.Undefined}[next()%4])
		case 4:
			stack = append(stack, pop(int(next()%5)))
		case 5:
			m := map[string]any{}
			for i, v := range pop(int(next() % 5)) {
				m[fmt.Sprint("k", i)] = v
			}
			containers = append(containers, m)
			stack = append(stack, m)
		case 6:
			o := messages.NewObject()
			for i, v := range pop(int(next() % 5)) {
				o.Set(fmt.Sprint(string(rune('z'-i)), i), v)
			}
			containers = append(containers, o)
			stack = append(stack, o)
		case 7:
			m := messages.NewMap()
			vals := pop(int(next() % 5))
			for i, v := range vals {
				var k any = i
				switch i % 3 {
				case 1:
					k = fmt.Sprint("key", i)
				case 2:
					k = math.NaN()
				}
				if len(containers) > 0 && i == 0 {
					k = containers[int(next())%len(containers)]
				}
				m.Set(k, v)
			}
			containers = append(containers, m)
			stack = append(stack, m)
		case 8:
			s := messages.NewSet()
			for _, v := range pop(int(next() % 5)) {
				if rv := reflect.ValueOf(v); v != nil && rv.Kind() != reflect.Map && !rv.Comparable() {
					continue // not comparable: not a valid key
				}
				s.Add(v)
			}
			stack = append(stack, s)
		case 9:
			n := int(next() % 32)
			b := make([]byte, n)
			copy(b, p)
			ab := messages.NewArrayBuffer(b)
			buffers = append(buffers, ab)
			if next()%2 == 1 {
				transfer = append(transfer, ab)
			}
			stack = append(stack, ab)
		case 10, 11:
			if len(buffers) == 0 {
				continue
			}
			ab := buffers[int(next())%len(buffers)]
			kind := messages.ElementKind(1 + next()%12)
			size := kind.Size()
			if op == 11 {
				size = 1
			}
			elems := ab.ByteLength() / size
			if elems == 0 {
				continue
			}
			start := int(next()) % elems
			length := int(next()) % (elems - start + 1)
			if op == 10 {
				v, err := messages.NewTypedArray(kind, ab, start*size, length)
				if err == nil {
					stack = append(stack, v)
				}
			} else {
				v, err := messages.NewDataView(ab, start, length)
				if err == nil {
					stack = append(stack, v)
				}
			}
		case 12:
			// Alias an earlier value. Slices have no identity, so aliasing
			// them would grow the clone exponentially: alias the rest only.
			if len(stack) > 0 {
				switch v := stack[int(next())%len(stack)].(type) {
				case []any, []byte:
				default:
					stack = append(stack, v)
				}
			}
		case 13:
			if len(containers) == 0 {
				continue
			}
			c := containers[int(next())%len(containers)]
			v := containers[int(next())%len(containers)]
			switch c := c.(type) {
			case map[string]any:
				c["cycle"] = v
			case *messages.Object:
				c.Set("cycle", v)
			case *messages.Map:
				c.Set("cycle", v)
			}
		case 14:
			switch next() % 4 {
			case 0:
				stack = append(stack, messages.NewError([]string{"TypeError", "Nope", "RangeError"}[next()%3], "msg"))
			case 1:
				stack = append(stack, messages.RegExp{Source: "a|b", Flags: "g"})
			case 2:
				stack = append(stack, new(big.Int).Lsh(big.NewInt(-int64(next())), uint(next())))
			case 3:
				stack = append(stack, time.Unix(int64(next())<<20, int64(next())).In(time.FixedZone("F", 3600*int(next()%5))))
			}
		case 15:
			stack = append(stack, Point{X: int(next()), Y: -int(next())})
		case 16:
			stack = append(stack, []byte{next(), next()})
		}
	}
	return stack, transfer
}

func corpusValues() []any {
	negZero := math.Copysign(0, -1)
	o := messages.NewObject()
	o.Set("self", o)
	ab := messages.NewArrayBuffer([]byte("abcdefgh"))
	ta, _ := messages.NewTypedArray(messages.Uint16, ab, 2, 3)
	m := map[string]any{"n": negZero}
	m["m"] = m
	return []any{
		"hello", 42, math.NaN(), []any{1, "x", nil, messages.Undefined},
		m, o, []any{ab, ta}, &Item{Name: "x", Tags: Tags{"t"}, Where: &Point{1, 2}},
		map[int]string{1: "a"}, []float64{1, 2},
	}
}

func corpusPrograms() [][]byte {
	return [][]byte{
		{0, 3, 'a', 'b', 'c', 1, 0, 1, 1, 2, 9, 3, 0, 4, 5},
		{9, 16, 1, 10, 0, 3, 1, 2, 11, 0, 1, 4, 12, 0, 4, 3},
		{5, 0, 6, 0, 13, 0, 1, 13, 1, 0, 7, 2, 1, 8, 2},
		{14, 0, 1, 14, 1, 14, 2, 5, 60, 14, 3, 9, 9, 2, 15, 4, 5, 16, 7, 8, 4, 6},
		{2, 200, 2, 7, 3, 1, 3, 3, 4, 4, 12, 0, 12, 1, 6, 3},
		// two Rings in a cycle, a typed nil, a box sharing a point with a
		// pointer box, aliased big integers, an array and a map[int]any
		{238, 238, 0, 0, 0, 239, 1, 242, 0, 0, 0, 1, 242, 1, 0, 0, 0, 243, 1, 0, 0, 243, 1, 0, 241, 240, 3},
		// a Blob and a File, each twice, one as an Error's cause
		{244, 0, 1, 2, 0, 0, 244, 0, 3, 4, 1, 9, 1, 0, 244, 1, 0, 1, 244, 1, 1, 1},
	}
}

// TestWriteFuzzCorpus regenerates testdata/fuzz when MESSAGES_WRITE_CORPUS
// is set: MESSAGES_WRITE_CORPUS=1 go test -run TestWriteFuzzCorpus ./messages
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("MESSAGES_WRITE_CORPUS") == "" {
		t.Skip("set MESSAGES_WRITE_CORPUS=1 to regenerate the seed corpus")
	}
	write := func(target string, i int, b []byte) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, v := range corpusValues() {
		r, err := messages.Serialize(v)
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		write("FuzzUnmarshalRecord", i, b)
	}
	for i, p := range corpusPrograms() {
		write("FuzzCloneRoundTrip", i, p)
	}
}

// FuzzDecodePrimitive checks DecodePrimitive against the full decoder:
// whatever it accepts, DecodeRecord and Deserialize accept too, with the
// same value of the same type.
func FuzzDecodePrimitive(f *testing.F) {
	for _, v := range primitives() {
		b, ok := messages.AppendPrimitive(nil, v)
		if !ok {
			f.Fatalf("%T is not written by AppendPrimitive", v)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, ok := messages.DecodePrimitive(data)
		if !ok {
			return
		}
		r, err := messages.DecodeRecord(data)
		if err != nil {
			t.Fatalf("DecodePrimitive took %x (%T %v), DecodeRecord refuses it: %v", data, v, v, err)
		}
		w, err := messages.Deserialize(r)
		if err != nil {
			t.Fatalf("DecodePrimitive took %x (%T %v), Deserialize refuses it: %v", data, v, v, err)
		}
		if reflect.TypeOf(v) != reflect.TypeOf(w) {
			t.Fatalf("%x: DecodePrimitive gives %T, the record path %T", data, v, w)
		}
		if f, isF := v.(float64); isF {
			if math.Float64bits(f) != math.Float64bits(w.(float64)) {
				t.Fatalf("%x: float bits differ", data)
			}
			return
		}
		if f, isF := v.(float32); isF {
			if math.Float32bits(f) != math.Float32bits(w.(float32)) {
				t.Fatalf("%x: float32 bits differ", data)
			}
			return
		}
		if v != w {
			t.Fatalf("%x: DecodePrimitive gives %v, the record path %v", data, v, w)
		}
	})
}
