package scenario

import "fmt"

// Nested builds the 100-key object of the perf anchors as map[string]any:
// each value is {id, name, tags[3], values[10 float64], nested{flag,
// pair[2], label}}. bench/node/lib.mjs builds the same object.
func Nested() map[string]any {
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
			"nested": map[string]any{"flag": i%2 == 0, "pair": []any{float64(i), float64(-i)}, "label": fmt.Sprint("L", i)},
		}
	}
	return m
}

// Item is one value of the nested object in Go struct form.
type Item struct {
	ID     float64
	Name   string
	Tags   []string
	Values []float64
	Nested Inner
}

// Inner is Item's nested part.
type Inner struct {
	Flag  bool
	Pair  [2]float64
	Label string
}

// NestedStructs is the same data as Nested in Go struct form.
func NestedStructs() map[string]*Item {
	m := make(map[string]*Item, 100)
	for i := range 100 {
		values := make([]float64, 10)
		for j := range values {
			values[j] = float64(i*10+j) + 0.5
		}
		m[fmt.Sprintf("key%03d", i)] = &Item{
			ID:     float64(i),
			Name:   fmt.Sprintf("item-%d", i),
			Tags:   []string{"alpha", "beta", "gamma"},
			Values: values,
			Nested: Inner{Flag: i%2 == 0, Pair: [2]float64{float64(i), float64(-i)}, Label: fmt.Sprint("L", i)},
		}
	}
	return m
}

// DeepCopy is the hand-written Go deep copy of values built from
// map[string]any, []any and immutable scalars.
func DeepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = DeepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = DeepCopy(e)
		}
		return s
	default:
		return v // immutable scalars: share the interface value
	}
}

// DeepCopyStructs is the hand-written deep copy of NestedStructs.
func DeepCopyStructs(m map[string]*Item) map[string]*Item {
	out := make(map[string]*Item, len(m))
	for k, it := range m {
		c := *it
		c.Tags = append([]string(nil), it.Tags...)
		c.Values = append([]float64(nil), it.Values...)
		out[k] = &c
	}
	return out
}
