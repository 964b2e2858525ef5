package ports

import (
	"math"

	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
)

// DefaultRemoteReceiveLimit is what RemoteReceiveLimit(0) lets a node's
// gRPC server take: 256 MiB, a thousand queued messages of 256 KiB.
const DefaultRemoteReceiveLimit = 256 << 20

// RemoteReceiveLimit returns a protoactor remote option that lets the
// node's gRPC server take messages of up to maxBytes (maxBytes <= 0 means
// DefaultRemoteReceiveLimit; at most math.MaxInt32). Pass it to
// remote.Configure on every node whose ports receive from other nodes,
// after any remote.WithServerOptions of your own (which replaces the
// server options set before it; this option adds to them):
//
//	r := remote.NewRemote(system, remote.Configure("0.0.0.0", 8090,
//		remote.WithKinds(kinds...),
//		ports.RemoteReceiveLimit(0)))
//
// Why: protoactor's endpoint writer sends what is queued for a node in
// batches of up to 1,000 messages (remote.WithEndpointWriterBatchSize),
// each batch one gRPC message, and gRPC's server refuses a message over
// 4 MiB by default. A refused batch breaks the connection and everything in
// it is lost: the ports with an end on that node close, and their owners
// get a CloseEvent. Posts of small messages travel in runs of at most
// 2 KiB, which keeps such a batch under 4 MiB, but a burst of larger
// messages (a thousand of 4 KiB or more, queued faster than the network
// takes them) makes a batch that gRPC refuses. With this option batches up
// to maxBytes are taken. If your messages are larger still, raise maxBytes
// or lower the batch size (remote.WithEndpointWriterBatchSize) so that
// batch size times your largest message fits.
//
// gRPC allocates a message's whole length, as its header states it, before
// reading the bytes, so any host that can reach the node's port can make
// it allocate up to maxBytes at once: keep the limit finite, and the port
// behind TLS or a firewall (see the package documentation).
func RemoteReceiveLimit(maxBytes int) remote.ConfigOption {
	if maxBytes <= 0 {
		maxBytes = DefaultRemoteReceiveLimit
	}
	maxBytes = min(maxBytes, math.MaxInt32)
	return func(c *remote.Config) {
		c.ServerOptions = append(c.ServerOptions, grpc.MaxRecvMsgSize(maxBytes))
	}
}
