package flatrec

// Flat reports whether v is a value of a flat struct type that Append
// writes (a nil pointer is not).
var Flat func(v any) bool

// Append appends to b the binary record of v, exactly the bytes that
// messages.Serialize(v) followed by MarshalBinary gives; ok is false, and
// b unchanged, when v is not of a flat type Append writes.
var Append func(b []byte, v any) (_ []byte, ok bool)

// Decode returns the value that DecodeRecord and Deserialize give b under
// the limits lim, when b is the record of a flat type this process has
// written or learnt; ok is false otherwise, and the caller takes the full
// path, which also produces any error.
var Decode func(b []byte, lim Limits) (v any, ok bool)

// Limits are the decode limits a []messages.DecodeOption sets.
type Limits struct{ MaxBytes, MaxDepth, MaxElements int }

// LimitsOf returns the limits that opts (a []messages.DecodeOption) set,
// the defaults for the rest.
var LimitsOf func(opts any) Limits

// Learn lets Decode read records of v's type from now on, if it is flat.
var Learn func(v any)
