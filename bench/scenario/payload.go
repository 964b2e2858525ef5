package scenario

import (
	"fmt"

	"github.com/entangle-go/entangle/messages"
)

// Small crosses nodes in S7 under its default name.
func init() { messages.RegisterType(&Small{}) }

// Small is the small struct payload, posted as *Small (*struct{I int}).
type Small struct{ I int }

// payload is one kind of message posted in S1, S2 and S7: the same data on
// every system, made afresh for each post (the nested object is built once
// and posted again and again, as Node's script does), and read by the
// receiver.
type payload struct {
	// name is the payload in the metrics of the Go systems; js its
	// counterpart in Node's (same for both when empty).
	name, js string
	make     func(i int) any
	read     func(v any) error
}

func wrong(v any) error { return fmt.Errorf("scenario: unexpected message %T", v) }

var (
	pInt = payload{name: "int", js: "number",
		make: func(i int) any { return i },
		read: func(v any) error {
			if _, ok := v.(int); !ok {
				return wrong(v)
			}
			return nil
		}}
	pStruct = payload{name: "*struct{I int}", js: "{i}",
		make: func(i int) any { return &Small{I: i} },
		read: func(v any) error {
			if s, ok := v.(*Small); !ok || s.I < 0 {
				return wrong(v)
			}
			return nil
		}}
	pMap = payload{name: "map{i}", js: "{i}",
		make: func(i int) any { return map[string]any{"i": i} },
		read: func(v any) error {
			if m, ok := v.(map[string]any); !ok || m["i"] == nil {
				return wrong(v)
			}
			return nil
		}}
	pNested = nestedPayload()
)

func nestedPayload() payload {
	n := Nested()
	return payload{name: "nested 100 keys", js: "nested 100 keys",
		make: func(int) any { return n },
		read: func(v any) error {
			if m, ok := v.(map[string]any); !ok || len(m) != 100 || m["key000"] == nil {
				return wrong(v)
			}
			return nil
		}}
}

// metric names the payload's figure of a metric: "throughput, int".
func (p payload) metric(m string) string { return m + ", " + p.name }

// jsMetric is the same for Node.js.
func (p payload) jsMetric(m string) string { return m + ", " + p.js }

// s12Payloads are the payloads of S1 and S2.
var s12Payloads = []payload{pInt, pStruct, pMap, pNested}
