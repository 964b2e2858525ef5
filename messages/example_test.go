package messages_test

import (
	"fmt"
	"math"

	"github.com/entangle-go/entangle/messages"
)

func ExampleStructuredClone() {
	type Node struct {
		Name string
		Next *Node
	}
	a := &Node{Name: "a"}
	a.Next = &Node{Name: "b", Next: a} // a cycle
	in := map[string]any{"list": a, "again": a, "nan": math.NaN(), "negZero": math.Copysign(0, -1)}

	out, err := messages.StructuredClone(in)
	if err != nil {
		panic(err)
	}
	c := out.(map[string]any)
	list := c["list"].(*Node)
	fmt.Println(list.Name, list.Next.Name, list.Next.Next == list)
	fmt.Println("aliases kept:", c["again"] == c["list"], "shared with the input:", list == a)
	fmt.Println(math.IsNaN(c["nan"].(float64)), math.Signbit(c["negZero"].(float64)))

	_, err = messages.StructuredClone(map[string]any{"callback": func() {}})
	fmt.Println(err)
	// Output:
	// a b true
	// aliases kept: true shared with the input: false
	// true true
	// messages: DataCloneError: func values cannot be cloned at ["callback"] (type func())
}

func ExampleNewArrayBuffer() {
	buf := messages.NewArrayBuffer([]byte("payload"))
	view, _ := messages.NewTypedArray(messages.Uint8, buf, 0, 3)

	// Transfer: the bytes move to the clone, the original is detached.
	out, err := messages.StructuredClone([]any{buf, view}, buf)
	if err != nil {
		panic(err)
	}
	moved := out.([]any)[0].(*messages.ArrayBuffer)
	movedView := out.([]any)[1].(*messages.TypedArray)
	fmt.Println(buf.Detached(), buf.ByteLength(), buf.Bytes() == nil)
	fmt.Println(string(moved.Bytes()), string(movedView.Bytes()), movedView.Buffer() == moved)

	_, err = messages.StructuredClone(buf)
	fmt.Println(err)
	// Output:
	// true 0 true
	// payload pay true
	// messages: DataCloneError: a detached ArrayBuffer cannot be cloned (type *messages.ArrayBuffer)
}

type Order struct {
	ID    int
	Items []string
}

func ExampleSerialize() {
	// Both nodes register the type under the same name.
	messages.Register("example.Order", Order{})

	rec, err := messages.Serialize(&Order{ID: 7, Items: []string{"tea"}})
	if err != nil {
		panic(err)
	}
	b, err := rec.MarshalBinary() // send b to another node...
	if err != nil {
		panic(err)
	}

	// ...which decodes and deserializes it.
	got, err := messages.DecodeRecord(b, messages.WithMaxBytes(1<<20))
	if err != nil {
		panic(err)
	}
	v, err := messages.Deserialize(got)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", *v.(*Order))
	// Output:
	// {ID:7 Items:[tea]}
}
