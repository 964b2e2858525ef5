package messages

import (
	"encoding/binary"
)

// reader reads the binary form; the first error sticks.
type reader struct {
	b   []byte
	off int
	err error
}

func (rd *reader) fail(err error) {
	if rd.err == nil {
		rd.err = err
	}
}

func (rd *reader) left() int { return len(rd.b) - rd.off }

func (rd *reader) byte() byte {
	if rd.err != nil || rd.off >= len(rd.b) {
		rd.fail(corrupt("truncated"))
		return 0
	}
	c := rd.b[rd.off]
	rd.off++
	return c
}

func (rd *reader) uvarint() uint64 {
	if rd.err != nil {
		return 0
	}
	v, n := binary.Uvarint(rd.b[rd.off:])
	if n <= 0 {
		rd.fail(corrupt("bad varint"))
		return 0
	}
	rd.off += n
	return v
}

func (rd *reader) varint() int64 {
	if rd.err != nil {
		return 0
	}
	v, n := binary.Varint(rd.b[rd.off:])
	if n <= 0 {
		rd.fail(corrupt("bad varint"))
		return 0
	}
	rd.off += n
	return v
}

// count reads a count that must not exceed max.
func (rd *reader) count(max int, what string) int {
	v := rd.uvarint()
	if rd.err == nil && (max < 0 || v > uint64(max)) {
		rd.fail(corrupt(what + " larger than the input allows"))
		return 0
	}
	return int(v)
}

// bytes returns the next n bytes (a sub-slice of the input).
func (rd *reader) bytes(n int) []byte {
	if rd.err != nil {
		return nil
	}
	if n < 0 || n > rd.left() {
		rd.fail(corrupt("length past the end of the input"))
		return nil
	}
	p := rd.b[rd.off : rd.off+n : rd.off+n]
	rd.off += n
	return p
}

func (rd *reader) lenBytes() []byte { return rd.bytes(rd.count(rd.left(), "length")) }

func (rd *reader) copyBytes() []byte {
	p := rd.lenBytes()
	if p == nil {
		return nil
	}
	return append(make([]byte, 0, len(p)), p...)
}

func (rd *reader) string() string { return string(rd.lenBytes()) }
