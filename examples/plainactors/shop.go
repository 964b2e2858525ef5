package main

import (
	"fmt"
	"io"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/entangle-go/entangle/ports"
)

// front places orders on port1 and matches the receipts that come back.
type front struct {
	out     io.Writer
	router  *actor.PID
	done    chan<- struct{}
	port    *ports.MessagePort
	pending map[int]Order // sent, not yet answered, by ID
}

func newFront(out io.Writer, router *actor.PID, done chan<- struct{}) *front {
	return &front{out: out, router: router, done: done, pending: map[int]Order{}}
}

func (f *front) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		ch, err := ports.NewMessageChannel(ctx)
		if err != nil { // only if the actor lacks ports.ReceiverMiddleware
			fmt.Fprintln(f.out, "front:", err)
			return
		}
		f.port = ch.Port1
		_ = f.port.Start(ctx) // receipts are dispatched as they come
		f.order(ctx, Order{ID: 1, Item: "soup", Qty: 2}, false)
		f.order(ctx, Order{ID: 2, Item: "bread", Qty: 1}, true)
		// port2 moves to the router, which moves it on to the kitchen.
		// Orders 1 and 2 wait in its queue and travel with it.
		_ = ports.PostTo(ctx, f.router, "take this line to the kitchen", ch.Port2)
		f.order(ctx, Order{ID: 3, Item: "tea", Qty: 3}, false)
		f.order(ctx, Order{ID: 4, Item: "cake", Qty: 1}, true)
		fmt.Fprintln(f.out, "front: orders 1 and 2 posted, port2 handed to the router, orders 3 and 4 posted")
	case *ports.MessageEvent: // from port1: a receipt
		var r Receipt
		switch d := m.Data.(type) {
		case Receipt:
			r = d
		case *Receipt:
			r = *d
		default:
			return
		}
		o, ok := f.pending[r.OrderID]
		if !ok {
			return
		}
		delete(f.pending, r.OrderID)
		fmt.Fprintf(f.out, "front: order %d (%d x %s) -> %T %d.%02d (%s)\n",
			o.ID, o.Qty, o.Item, m.Data, r.Cents/100, r.Cents%100, r.Note)
		if len(f.pending) == 0 {
			close(f.done)
		}
	}
}

// order posts o on port1, as a value or as a pointer: the kitchen gets the
// same Go type back out of the message.
func (f *front) order(ctx actor.Context, o Order, asPointer bool) {
	f.pending[o.ID] = o
	var data any = o
	if asPointer {
		data = &o
	}
	if err := f.port.PostMessage(ctx, data); err != nil { // a value that cannot be cloned
		fmt.Fprintln(f.out, "front:", err)
	}
}

// router hands every port it is given on to the kitchen: the second
// transfer of port2, this time to another node.
func router(kitchen *actor.PID) actor.ReceiveFunc {
	return func(ctx actor.Context) {
		if m, ok := ctx.Message().(*ports.MessageEvent); ok && len(m.Ports) == 1 {
			_ = ports.PostTo(ctx, kitchen, m.Data, m.Ports[0])
		}
	}
}

// prices in cents, per item.
var prices = map[string]int{"soup": 450, "bread": 120, "tea": 200, "cake": 375}

// kitchen (on node B) answers each Order on the port with a Receipt of
// the same shape: a value for a value, a pointer for a pointer.
type kitchen struct {
	port *ports.MessagePort
	seen int // orders received so far
}

func (k *kitchen) Receive(ctx actor.Context) {
	m, ok := ctx.Message().(*ports.MessageEvent)
	if !ok {
		return
	}
	if m.Target == nil { // posted to the kitchen itself: the router's hand-off
		if len(m.Ports) == 1 {
			k.port = m.Ports[0]
			_ = k.port.Start(ctx) // releases the orders that travelled with it
		}
		return
	}
	k.seen++
	switch o := m.Data.(type) {
	case Order:
		_ = k.port.PostMessage(ctx, k.bill(o, "an Order"))
	case *Order:
		r := k.bill(*o, "a *Order")
		_ = k.port.PostMessage(ctx, &r)
	}
}

func (k *kitchen) bill(o Order, as string) Receipt {
	note := fmt.Sprintf("arrived #%d at the kitchen on node B, as %s", k.seen, as)
	return Receipt{OrderID: o.ID, Cents: o.Qty * prices[o.Item], Note: note}
}
