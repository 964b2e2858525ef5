package primrec

// Append appends to b the binary record of v, exactly the bytes that
// messages.Serialize(v) followed by MarshalBinary gives; ok is false, and b
// unchanged, when v is not a primitive this shortcut writes.
var Append func(b []byte, v any) (_ []byte, ok bool)

// Decode returns the value of a record of one primitive, the value that
// DecodeRecord and Deserialize give; ok is false for anything else and for
// a record longer than maxBytes.
var Decode func(b []byte, maxBytes int) (v any, ok bool)

// MaxBytes returns the WithMaxBytes limit that opts (a
// []messages.DecodeOption) set, or the default.
var MaxBytes func(opts any) int
