package messages

import (
	"math"
	"time"
)

// Blob is the web's Blob: immutable bytes with a MIME type. *Blob values
// clone (StructuredClone, Serialize, Deserialize) keeping their identity;
// since a Blob never changes, a clone may share its bytes with the
// original. The zero Blob is empty, with type "".
type Blob struct {
	data []byte
	typ  string
}

// NewBlob returns a Blob holding a copy of data, of MIME type typ (kept as
// given).
func NewBlob(data []byte, typ string) *Blob {
	return &Blob{data: append([]byte{}, data...), typ: typ}
}

// Size returns the number of bytes.
func (b *Blob) Size() int { return len(b.data) }

// Type returns the MIME type.
func (b *Blob) Type() string { return b.typ }

// Bytes returns a copy of the bytes.
func (b *Blob) Bytes() []byte { return append([]byte{}, b.data...) }

// File is the web's File: a Blob (embedded: Size, Type and Bytes are the
// Blob's) with a name and a last-modified time, kept in milliseconds since
// the epoch as the web does. *File values clone as *Blob values do.
type File struct {
	Blob
	name         string
	lastModified float64 // ms since the epoch
}

// NewFile returns a File holding a copy of data, named name, of MIME type
// typ, last modified at lastModified (kept to the millisecond).
func NewFile(data []byte, name, typ string, lastModified time.Time) *File {
	return &File{Blob: *NewBlob(data, typ), name: name, lastModified: float64(lastModified.UnixMilli())}
}

// Name returns the file name.
func (f *File) Name() string { return f.name }

// LastModified returns the last-modified time, in UTC (the zero time when
// a JavaScript realm gave a time value that is not a finite number).
func (f *File) LastModified() time.Time { return msTime(f.lastModified) }

// msTime converts a JavaScript time value (ms since the epoch) to a
// time.Time in UTC; NaN and infinities give the zero time.Time.
func msTime(ms float64) time.Time {
	if math.IsNaN(ms) || math.IsInf(ms, 0) || math.Abs(ms) > 8.64e15 {
		return time.Time{}
	}
	return time.UnixMilli(int64(ms)).UTC()
}
