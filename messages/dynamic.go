package messages

// UndefinedType is the type of Undefined. All its values are equal, so
// compare with == or use a type switch (case messages.UndefinedType).
type UndefinedType struct{}

// Undefined is the web's undefined, distinct from nil (the web's null).
// It is a zero-size value: storing it in an interface does not allocate.
var Undefined = UndefinedType{}

// String returns "undefined".
func (UndefinedType) String() string { return "undefined" }

// RegExp is the web's RegExp as structured clone keeps it: the pattern
// source and the flags. The pattern is not compiled or checked here
// (lastIndex is not kept, as on the web).
type RegExp struct {
	Source string
	Flags  string
}

// String returns "/Source/Flags".
func (r RegExp) String() string { return "/" + r.Source + "/" + r.Flags }
