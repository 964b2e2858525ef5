package bench_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/entangle-go/entangle/bench/scenario"
	"github.com/entangle-go/entangle/messages"
)

// flat crosses nodes in BenchmarkRecordRoundTrip under its default name.
func init() { messages.RegisterType(&flat{}) }

// flat is the "10-field struct" payload.
type flat struct {
	ID      int64
	Name    string
	Email   string
	Age     int
	Score   float64
	Active  bool
	Tags    []string
	Balance float64
	Country string
	Rank    uint32
}

func newFlat() *flat {
	return &flat{ID: 42, Name: "Ada Lovelace", Email: "ada@example.com", Age: 36, Score: 99.5,
		Active: true, Tags: []string{"math", "engines"}, Balance: 1234.56, Country: "UK", Rank: 1}
}

// nested builds the 100-key object of the perf anchors: each value is
// {id, name, tags[3], values[10 float64], nested{flag, pair[2], label}}.
func nested() map[string]any {
	m := make(map[string]any, 100)
	for i := range 100 {
		values := make([]any, 10)
		for j := range values {
			values[j] = float64(i*10+j) + 0.5
		}
		m[fmt.Sprintf("key%03d", i)] = map[string]any{
			"id":     float64(i),
			"name":   fmt.Sprintf("item-%d", i),
			"tags":   []any{"alpha", "beta", "gamma"},
			"values": values,
			"nested": map[string]any{"flag": i%2 == 0, "pair": []any{float64(i), float64(-i)}, "label": "L" + fmt.Sprint(i)},
		}
	}
	return m
}

// nestedItem and nestedInner are the Go struct form of nested's values.
type nestedItem struct {
	ID     float64
	Name   string
	Tags   []string
	Values []float64
	Nested nestedInner
}

type nestedInner struct {
	Flag  bool
	Pair  [2]float64
	Label string
}

// nestedStructs is nested as Go structs: the same 100 keys and values.
func nestedStructs() map[string]nestedItem {
	m := make(map[string]nestedItem, 100)
	for i := range 100 {
		values := make([]float64, 10)
		for j := range values {
			values[j] = float64(i*10+j) + 0.5
		}
		m[fmt.Sprintf("key%03d", i)] = nestedItem{ID: float64(i), Name: fmt.Sprintf("item-%d", i),
			Tags: []string{"alpha", "beta", "gamma"}, Values: values,
			Nested: nestedInner{Flag: i%2 == 0, Pair: [2]float64{float64(i), float64(-i)}, Label: "L" + fmt.Sprint(i)}}
	}
	return m
}

// deepCopyStructs is the hand-written Go baseline for nestedStructs.
func deepCopyStructs(m map[string]nestedItem) map[string]nestedItem {
	out := make(map[string]nestedItem, len(m))
	for k, v := range m {
		v.Tags = append([]string(nil), v.Tags...)
		v.Values = append([]float64(nil), v.Values...)
		out[k] = v
	}
	return out
}

// labels is a map of strings, as Go programs label things: eight entries.
func labels() map[string]string {
	return map[string]string{"app": "shop", "env": "prod", "region": "eu-west", "zone": "b",
		"team": "payments", "tier": "backend", "version": "1.4.2", "owner": "ada"}
}

// headers is a map of string slices, as net/http's Header is: four keys.
func headers() map[string][]string {
	return map[string][]string{"Content-Type": {"application/json"}, "Accept": {"text/html", "application/json"},
		"X-Request-Id": {"4bf92f3577b34da6"}, "Cache-Control": {"no-cache"}}
}

// keptLabels and keptHeaders keep the hand-written copies on the heap, as
// a clone is.
var (
	keptLabels  map[string]string
	keptHeaders map[string][]string
)

// order is a struct as services post them: strings and numbers, a slice,
// a small map of strings, a time and a pointer to another struct.
type order struct {
	ID       string
	Qty      int
	Price    float64
	Tags     []string
	Meta     map[string]string
	At       time.Time
	Customer *customer
}

// customer is an order's customer.
type customer struct{ Name, Email string }

func newOrder() *order {
	return &order{ID: "o-1042", Qty: 3, Price: 9.5, Tags: []string{"gift", "express"},
		Meta: map[string]string{"channel": "web", "coupon": "WINTER"}, At: time.Unix(1_765_000_000, 0),
		Customer: &customer{Name: "Ada Lovelace", Email: "ada@example.com"}}
}

// copyOrder is the deep copy a Go programmer writes for an order.
func copyOrder(o *order) *order {
	c := *o
	c.Tags = append([]string(nil), o.Tags...)
	c.Meta = maps.Clone(o.Meta)
	cu := *o.Customer
	c.Customer = &cu
	return &c
}

// keptOrder keeps the hand-written copy on the heap, as a clone is.
var keptOrder *order

// small is the "small struct" payload of S1.
type small struct{ I int }

// deepCopy is the hand-written Go baseline for the nested map.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	default:
		return v // immutable scalars: share the interface value
	}
}

func clone(b *testing.B, v any) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := messages.StructuredClone(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClone(b *testing.B) {
	b.Run("int", func(b *testing.B) { clone(b, 123456) })
	b.Run("string1KiB", func(b *testing.B) { clone(b, strings.Repeat("x", 1024)) })
	b.Run("smallStruct", func(b *testing.B) { clone(b, &small{I: 7}) })
	b.Run("smallMap", func(b *testing.B) { clone(b, map[string]any{"i": 7}) })
	b.Run("struct10", func(b *testing.B) { clone(b, newFlat()) })
	b.Run("labels8", func(b *testing.B) { clone(b, labels()) })
	b.Run("headers4", func(b *testing.B) { clone(b, headers()) })
	b.Run("order", func(b *testing.B) { clone(b, newOrder()) })
	b.Run("nestedMap100", func(b *testing.B) { clone(b, nested()) })
	b.Run("nestedStruct100", func(b *testing.B) { clone(b, nestedStructs()) })
	b.Run("bytes1MiB-copy", func(b *testing.B) {
		b.SetBytes(1 << 20)
		clone(b, make([]byte, 1<<20))
	})
	b.Run("arrayBuffer1MiB-transfer", func(b *testing.B) {
		b.SetBytes(1 << 20)
		b.ReportAllocs()
		buf := make([]byte, 1<<20)
		for b.Loop() {
			ab := messages.NewArrayBuffer(buf)
			out, err := messages.StructuredClone(ab, ab)
			if err != nil {
				b.Fatal(err)
			}
			buf = out.(*messages.ArrayBuffer).Bytes()
		}
	})
}

func BenchmarkCloneBaseline(b *testing.B) {
	b.Run("labels8-handwritten", func(b *testing.B) {
		m := labels()
		b.ReportAllocs()
		for b.Loop() {
			c := make(map[string]string, len(m))
			for k, v := range m {
				c[k] = v
			}
			keptLabels = c
		}
	})
	b.Run("headers4-handwritten", func(b *testing.B) {
		m := headers()
		b.ReportAllocs()
		for b.Loop() {
			c := make(map[string][]string, len(m))
			for k, v := range m {
				c[k] = append([]string(nil), v...)
			}
			keptHeaders = c
		}
	})
	b.Run("order-handwritten", func(b *testing.B) {
		o := newOrder()
		b.ReportAllocs()
		for b.Loop() {
			keptOrder = copyOrder(o)
		}
	})
	b.Run("nestedMap100-handwritten", func(b *testing.B) {
		m := nested()
		b.ReportAllocs()
		for b.Loop() {
			_ = deepCopy(m)
		}
	})
	b.Run("nestedStruct100-handwritten", func(b *testing.B) {
		m := nestedStructs()
		b.ReportAllocs()
		for b.Loop() {
			_ = deepCopyStructs(m)
		}
	})
	b.Run("copy1MiB", func(b *testing.B) {
		src := make([]byte, 1<<20)
		b.SetBytes(1 << 20)
		b.ReportAllocs()
		for b.Loop() {
			dst := make([]byte, len(src))
			copy(dst, src)
		}
	})
}

// BenchmarkRecordRoundTrip is the path between nodes: Serialize,
// MarshalBinary, DecodeRecord, Deserialize.
func BenchmarkRecordRoundTrip(b *testing.B) {
	for _, tc := range []struct {
		name string
		v    any
	}{{"int", 123456}, {"smallStruct", &scenario.Small{I: 7}}, {"struct10", newFlat()},
		{"nestedMap100", nested()}} {
		b.Run(tc.name, func(b *testing.B) {
			m := tc.v
			b.ReportAllocs()
			for b.Loop() {
				r, err := messages.Serialize(m)
				if err != nil {
					b.Fatal(err)
				}
				p, err := r.MarshalBinary()
				if err != nil {
					b.Fatal(err)
				}
				d, err := messages.DecodeRecord(p)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := messages.Deserialize(d); err != nil {
					b.Fatal(err)
				}
				r.Release()
				d.Release()
			}
		})
	}
}

// BenchmarkSerializeDeserialize is the in-process path of a port:
// Serialize on the sender, Deserialize on the receiver.
func BenchmarkSerializeDeserialize(b *testing.B) {
	for _, tc := range []struct {
		name string
		v    any
	}{{"int", 123456}, {"smallStruct", &small{I: 7}}, {"smallMap", map[string]any{"i": 7}},
		{"struct10", newFlat()}, {"nestedMap100", nested()}, {"nestedStruct100", nestedStructs()}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := messages.Serialize(tc.v)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := messages.Deserialize(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
