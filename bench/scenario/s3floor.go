package scenario

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
)

const s3Floor = "the transfer's messages, hand-written"

// The floor of S3's round while each port is an actor: raw protoactor
// actors that take the same steps as entangle's round in one process (the
// ship, the message kept by the frozen end, the close and its
// acknowledgement, the claim, the hand-over, and forwarding when the claim
// comes first), lean, as a skilled protoactor user would write them for
// this round: protoactor watches where a fail-stop transfer places them,
// but nothing acts on a Terminated, and there are no sequence numbers,
// keys, nonces, custody news, close events, bypass, port handles, events,
// metrics or checks. It is enough for this round, in which the first end
// always closes after its one message; it is not a general transfer (a
// correct one would add about one message a round here, since the
// holder's Terminated can reach the successor before its state). The two
// contexts are on the dispatcher under test, the three port actors on a
// synchronized dispatcher, as entangle's are. A round:
//
//   - the sender spawns the channel's two ends, which watch each other;
//     it ships the second (which then watches the context the token goes
//     to and keeps what comes) and sends the token to the other context;
//   - the first end posts the message to the second, which keeps it;
//   - the first end closes: it tells its peer, which acknowledges, then
//     stops (a closed end may stop only once its peer knows, or the peer
//     would take its Terminated for a loss);
//   - the other context spawns a successor, which watches the holder and
//     claims the port; the holder sends it what it kept, and stops if the
//     peer has closed (else it forwards until then);
//   - the successor hands the message to its context, which closes the
//     successor (it stops) and acknowledges to the sender, which starts
//     the next round.
//
// It is not a target: it tells how much of S3's round the steps
// themselves cost and how much entangle's work at each.
func s3FloorOn(cfg Config, opts []actor.PropsOption) (float64, error) {
	warm, n := s3Sizes(cfg)
	sys := NewSystem()
	done := make(chan struct{})
	rs := &rounds{warm: warm, n: n}
	portsOn := actor.WithDispatcher(actor.NewSynchronizedDispatcher(300))
	end := actor.PropsFromProducer(func() actor.Actor { return &floorEnd{} }, portsOn)
	var s *actor.PID
	var bad any // a message other than the one posted (read on r, checked after the run)
	r := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case floorToken:
			ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return &floorSuccessor{holder: m.holder} }, portsOn))
		case floorArrived:
			if m.v != "hi" && bad == nil {
				bad = m.v
			}
			ctx.Send(m.port, floorCloseReq{})
			ctx.Send(s, &ping{from: ctx.Self()})
		}
	}, opts...))
	round := func(ctx actor.Context) {
		if !rs.next() {
			close(done)
			return
		}
		p1, p2 := ctx.Spawn(end), ctx.Spawn(end)
		ctx.Send(p1, floorPeer{p2})
		ctx.Send(p2, floorPeer{p1})
		ctx.Send(p2, floorShip{custodian: r})
		ctx.Send(r, floorToken{holder: p2})
		ctx.Send(p1, floorPost{v: "hi"})
		ctx.Send(p1, floorCloseReq{})
	}
	s = sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case run:
			m(ctx)
		case *ping:
			round(ctx)
		}
	}, opts...))
	sys.Root.Send(s, run(round))
	err := wait(done, cfg.timeout(), "S3 floor: a round did not finish")
	StopActors(sys, s, r)
	if err != nil {
		return 0, err
	}
	if bad != nil {
		return 0, fmt.Errorf("S3 floor: the other context got %v, not the message posted", bad)
	}
	return rs.perRound(), nil
}

// The floor's messages.
type (
	floorPeer     struct{ pid *actor.PID }
	floorShip     struct{ custodian *actor.PID }
	floorToken    struct{ holder *actor.PID }
	floorPost     struct{ v any }
	floorKept     struct{ v any }
	floorCloseReq struct{}
	floorClosed   struct{ from *actor.PID }
	floorCloseAck struct{}
	floorClaim    struct{ from *actor.PID }
	floorState    struct {
		kept   []any
		closed bool
	}
	floorArrived struct {
		v    any
		port *actor.PID
	}
)

// floorEnd is an end of the floor's channel: open, then, once shipped,
// keeping what comes until its successor claims it, then forwarding until
// its peer has closed.
type floorEnd struct {
	peer, succ, custodian *actor.PID
	shipped, peerClosed   bool
	kept                  []any
}

func (e *floorEnd) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case floorPeer:
		e.peer = m.pid
		ctx.Watch(e.peer)
	case floorShip:
		e.shipped, e.custodian = true, m.custodian
		ctx.Watch(e.custodian)
	case floorPost:
		ctx.Send(e.peer, floorKept(m))
	case floorKept:
		if e.succ != nil {
			ctx.Send(e.succ, m)
		} else {
			e.kept = append(e.kept, m.v)
		}
	case floorCloseReq:
		ctx.Send(e.peer, floorClosed{from: ctx.Self()})
	case floorClosed:
		e.peerClosed = true
		ctx.Send(m.from, floorCloseAck{})
		if e.succ != nil {
			ctx.Send(e.succ, m)
			ctx.Stop(ctx.Self())
		}
	case floorCloseAck:
		ctx.Unwatch(e.peer) // it outlives this end: no Terminated to a dead letter
		ctx.Stop(ctx.Self())
	case floorClaim:
		if e.shipped && e.succ == nil {
			ctx.Unwatch(e.custodian)
			e.succ = m.from
			ctx.Send(e.succ, floorState{kept: e.kept, closed: e.peerClosed})
			if e.peerClosed {
				ctx.Stop(ctx.Self())
			}
		}
	}
}

// floorSuccessor is the port's actor under the receiving context.
type floorSuccessor struct{ holder *actor.PID }

func (p *floorSuccessor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		ctx.Watch(p.holder)
		ctx.Send(p.holder, floorClaim{from: ctx.Self()})
	case floorState:
		for _, v := range m.kept {
			ctx.Send(ctx.Parent(), floorArrived{v: v, port: ctx.Self()})
		}
	case floorKept:
		ctx.Send(ctx.Parent(), floorArrived{v: m.v, port: ctx.Self()})
	case floorCloseReq:
		ctx.Stop(ctx.Self())
	}
}
