package messages

import (
	"strconv"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// Decoding of the node payloads that need more than the reader: times
// and protobuf messages.

func (d *recordDecoder) timeNode(n *node) {
	rd, r := d.rd, d.r
	sec := rd.varint()
	nsec := rd.uvarint()
	name := rd.string()
	off := rd.varint()
	if rd.err != nil {
		return
	}
	if nsec >= 1e9 || off < -24*3600 || off > 24*3600 {
		rd.fail(corrupt("bad time"))
		return
	}
	r.times = append(r.times, time.Unix(sec, int64(nsec)).In(location(name, int(off), sec)))
	r.size += 16
	n.x = uint64(len(r.times) - 1)
}

func (d *recordDecoder) protoNode(n *node) {
	rd, r := d.rd, d.r
	name := rd.string()
	data := rd.copyBytes()
	if rd.err != nil {
		return
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(name))
	if err != nil {
		rd.fail(&DataCloneError{Reason: "protobuf message " + strconv.Quote(name) + " is not known on this node", Err: err})
		return
	}
	r.protos = append(r.protos, protoEntry{data: data, mt: mt})
	r.size += len(data)
	n.x = uint64(len(r.protos) - 1)
}
