package messages

import (
	"reflect"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// protoEntry is a protobuf message in a record: a snapshot (in memory) or
// its bytes and resolved type (decoded).
type protoEntry struct {
	msg  proto.Message
	data []byte
	mt   protoreflect.MessageType
}

// protoName returns the full name of the entry's message type.
func (p *protoEntry) protoName() protoreflect.FullName {
	if p.msg != nil {
		return p.msg.ProtoReflect().Descriptor().FullName()
	}
	return p.mt.Descriptor().FullName()
}

// protoFullName returns the full name of the message type of pointer type t.
func protoFullName(t reflect.Type) protoreflect.FullName {
	return reflect.Zero(t).Interface().(proto.Message).ProtoReflect().Descriptor().FullName()
}
