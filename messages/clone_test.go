package messages_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Celsius float64
type Tags []string
type Point struct{ X, Y int }
type Item struct {
	Name   string
	Price  float64
	Tags   Tags
	Attrs  map[string]int
	Where  *Point
	Extra  any
	Err    error
	When   time.Time
	Big    *big.Int
	Raw    []byte
	Grid   [2][2]int8
	C      complex128
	Flags  []bool
	_      struct{}
	noCopy struct{} //lint:ignore U1000 a zero-size unexported marker must not block cloning
}
type MyErr struct {
	Code int
	Msg  string
}

func (e *MyErr) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Msg) }

// Stamp has an unexported field but opts in through MarshalBinary.
type Stamp struct{ secret int }

func (s Stamp) MarshalBinary() ([]byte, error) { return []byte{byte(s.secret)}, nil }
func (s *Stamp) UnmarshalBinary(b []byte) error {
	if len(b) != 1 {
		return errors.New("bad stamp")
	}
	s.secret = int(b[0])
	return nil
}

func init() {
	messages.RegisterType(Celsius(0))
	messages.RegisterType(Tags(nil))
	messages.RegisterType(Point{})
	messages.RegisterType(Item{})
	messages.RegisterType(MyErr{})
	messages.RegisterType(Stamp{})
	messages.RegisterType(netip.Addr{})
	messages.RegisterType(holderOf{})
}

func TestCloneValues(t *testing.T) {
	negZero := math.Copysign(0, -1)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	tests := []struct {
		name string
		in   any
	}{
		{"nil", nil},
		{"bool", true},
		{"int", 42},
		{"int8", int8(-8)},
		{"int16", int16(-16)},
		{"int32", int32(-32)},
		{"int64", int64(math.MinInt64)},
		{"uint", uint(7)},
		{"uint8", uint8(255)},
		{"uint16", uint16(65535)},
		{"uint32", uint32(1 << 31)},
		{"uint64", uint64(math.MaxUint64)},
		{"float32", float32(1.5)},
		{"float64", 3.25},
		{"NaN", math.NaN()},
		{"negative zero", negZero},
		{"+Inf", math.Inf(1)},
		{"complex64", complex64(1 + 2i)},
		{"complex128", complex(negZero, math.NaN())},
		{"string", "héllo\x00world"},
		{"empty string", ""},
		{"bytes", []byte{1, 2, 3}},
		{"empty bytes", []byte{}},
		{"nil bytes", []byte(nil)},
		{"named float", Celsius(21.5)},
		{"named slice", Tags{"a", "b"}},
		{"nil named slice", Tags(nil)},
		{"struct", Point{1, 2}},
		{"pointer to struct", &Point{3, 4}},
		{"nil pointer", (*Point)(nil)},
		{"slice of structs", []Point{{1, 2}, {3, 4}}},
		{"array", [3]string{"a", "b", "c"}},
		{"packed ints", []int{1, -2, 3}},
		{"packed floats", []float64{1.5, negZero, math.NaN()}},
		{"packed uint16 array", [4]uint16{1, 2, 3, 65535}},
		{"packed bools", []bool{true, false, true}},
		{"packed complex", []complex64{1i, 2}},
		{"map", map[string]int{"a": 1, "b": 2}},
		{"nil map", map[string]int(nil)},
		{"map with int keys", map[int][]string{1: {"x"}, 2: nil}},
		{"map with struct keys", map[Point]bool{{1, 2}: true}},
		{"map[string]any", map[string]any{"a": 1.5, "b": []any{"x", nil, true}, "c": map[string]any{}}},
		{"[]any", []any{1, "two", 3.0, nil, messages.Undefined, []any{}}},
		{"nil []any", []any(nil)},
		{"time UTC", time.Date(2024, 2, 29, 12, 30, 0, 123456789, time.UTC)},
		{"time Paris", time.Date(2024, 7, 1, 9, 0, 0, 0, paris)},
		{"time fixed zone", time.Date(2024, 7, 1, 9, 0, 0, 0, time.FixedZone("X", 3600))},
		{"zero time", time.Time{}},
		{"big.Int", big.NewInt(-1234567890123)},
		{"huge big.Int", new(big.Int).Lsh(big.NewInt(3), 300)},
		{"big.Int value in struct", struct{ N big.Int }{*big.NewInt(77)}},
		{"Undefined", messages.Undefined},
		{"RegExp", messages.RegExp{Source: "a+b", Flags: "gi"}},
		{"RegExp pointer", &messages.RegExp{Source: "x"}},
		{"Error", &messages.Error{Name: "TypeError", Message: "bad", Stack: "at x"}},
		{"binary marshaler", Stamp{secret: 9}},
		{"netip.Addr (MarshalBinary)", netip.MustParseAddr("10.0.0.1")},
		{"structured error", &MyErr{Code: 7, Msg: "seven"}},
		{"full struct", &Item{
			Name: "widget", Price: 9.5, Tags: Tags{"x"}, Attrs: map[string]int{"w": 3}, Where: &Point{1, 1},
			Extra: map[string]any{"k": []any{1, 2}}, Err: &MyErr{1, "e"},
			When: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Big: big.NewInt(5), Raw: []byte("raw"),
			Grid: [2][2]int8{{1, 2}, {3, 4}}, C: 1 + 1i, Flags: []bool{true},
		}},
		{"anonymous struct", struct {
			A int
			B string `json:"b"`
		}{1, "x"}},
		{"pointer to pointer", func() any { p := &Point{1, 2}; return &p }()},
		{"map of any keys", map[any]string{1: "int", "s": "string", Point{1, 2}: "point"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := roundTrips(tc.in)
			require.NoError(t, err)
			for how, out := range outs {
				assert.Empty(t, cloneEqual(tc.in, out), how)
				if tc.in != nil {
					assert.Equal(t, reflect.TypeOf(tc.in), reflect.TypeOf(out), how)
				}
			}
		})
	}
}

func TestCloneSpecialFloats(t *testing.T) {
	negZero := math.Copysign(0, -1)
	in := []any{negZero, math.NaN(), map[string]any{"z": negZero}, []float64{negZero}}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		s := out.([]any)
		assert.True(t, math.Signbit(s[0].(float64)), how)
		assert.True(t, math.IsNaN(s[1].(float64)), how)
		assert.True(t, math.Signbit(s[2].(map[string]any)["z"].(float64)), how)
		assert.True(t, math.Signbit(s[3].([]float64)[0]), how)
	}
}

func TestCloneNilStaysNil(t *testing.T) {
	type holder struct {
		S []int
		M map[string]int
		P *Point
		I any
		E error
		B []byte
	}
	messages.RegisterType(holder{})
	outs, err := roundTrips(&holder{})
	require.NoError(t, err)
	for how, out := range outs {
		h := out.(*holder)
		assert.Nil(t, h.S, how)
		assert.Nil(t, h.M, how)
		assert.Nil(t, h.P, how)
		assert.Nil(t, h.I, how)
		assert.Nil(t, h.E, how)
		assert.Nil(t, h.B, how)
	}
	// A typed nil pointer in an interface stays a typed nil.
	outs, err = roundTrips([]any{(*Point)(nil), (*messages.Object)(nil), holderOf{Items: []any{(*Point)(nil)}}, &Item{Extra: (*Point)(nil)}})
	require.NoError(t, err)
	for how, out := range outs {
		s := out.([]any)
		assert.IsType(t, (*Point)(nil), s[0], how)
		assert.IsType(t, (*messages.Object)(nil), s[1], how)
		assert.IsType(t, (*Point)(nil), s[2].(holderOf).Items[0], how)
		assert.IsType(t, (*Point)(nil), s[3].(*Item).Extra, how)
		assert.True(t, s[3].(*Item).Extra != nil, "a typed nil, not a nil interface: "+how)
	}
}

// Typed nils of every kind with a built-in encoding keep their type at
// interface positions: a nil *big.Int in an any stays a nil *big.Int, and
// a nil *messages.Error in an error field keeps the field non-nil.
func TestCloneTypedNilsOfBuiltinKinds(t *testing.T) {
	type withErr struct{ Err error }
	messages.RegisterType(withErr{})
	in := []any{
		(*big.Int)(nil), (*messages.Map)(nil), (*messages.Set)(nil), (*messages.Error)(nil),
		(*messages.TypedArray)(nil), (*messages.DataView)(nil), (*messages.Object)(nil), (*messages.ArrayBuffer)(nil),
		(*messages.RegExp)(nil), (*wrapperspb.StringValue)(nil), []byte(nil), []any(nil), map[string]any(nil),
		Tags(nil), map[string]int(nil), withErr{Err: (*messages.Error)(nil)}, withErr{Err: (*MyErr)(nil)},
	}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		got := out.([]any)
		require.Len(t, got, len(in), how)
		for i := range in {
			assert.IsType(t, in[i], got[i], "%s [%d]", how, i)
			assert.Equal(t, in[i], got[i], "%s [%d]", how, i)
		}
		assert.True(t, got[len(in)-2].(withErr).Err != nil, "a typed nil, not a nil interface: "+how)
	}
	out, err := messages.StructuredClone([]any{(*fakePort)(nil)})
	require.NoError(t, err)
	assert.IsType(t, (*fakePort)(nil), out.([]any)[0], "a nil transferable needs no transfer list entry")
}

func TestCloneErrors(t *testing.T) {
	wrapped := fmt.Errorf("context: %w", errors.New("root cause"))
	tests := []struct {
		name     string
		in       any
		wantType any
		wantMsg  string
	}{
		{"errors.New at the root", errors.New("boom"), (*messages.Error)(nil), "boom"},
		{"fmt.Errorf wrap", wrapped, (*messages.Error)(nil), "context: root cause"},
		{"structured error keeps its type", &MyErr{Code: 3, Msg: "x"}, (*MyErr)(nil), "3: x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := roundTrips(tc.in)
			require.NoError(t, err)
			for how, out := range outs {
				assert.IsType(t, tc.wantType, out, how)
				assert.Equal(t, tc.wantMsg, out.(error).Error()[len(out.(error).Error())-len(tc.wantMsg):], how)
			}
		})
	}
	t.Run("error field holding errors.New", func(t *testing.T) {
		type result struct{ Err error }
		messages.RegisterType(result{})
		outs, err := roundTrips(result{Err: errors.New("nope")})
		require.NoError(t, err)
		for how, out := range outs {
			e, ok := out.(result).Err.(*messages.Error)
			require.True(t, ok, how)
			assert.Equal(t, "Error", e.Name, how)
			assert.Equal(t, "nope", e.Message, how)
		}
	})
	t.Run("non-standard Error names become Error", func(t *testing.T) {
		out, err := messages.StructuredClone(&messages.Error{Name: "MyError", Message: "m"})
		require.NoError(t, err)
		assert.Equal(t, &messages.Error{Name: "Error", Message: "m"}, out)
		for _, name := range []string{"Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"} {
			out, err := messages.StructuredClone(messages.NewError(name, "m"))
			require.NoError(t, err)
			assert.Equal(t, name, out.(*messages.Error).Name)
		}
	})
}

func TestCloneDeepCopyIsIndependent(t *testing.T) {
	in := &Item{Tags: Tags{"a"}, Attrs: map[string]int{"x": 1}, Where: &Point{1, 2}, Raw: []byte("abc"), Flags: []bool{true}}
	out, err := messages.StructuredClone(in)
	require.NoError(t, err)
	c := out.(*Item)
	c.Tags[0], c.Attrs["x"], c.Where.X, c.Raw[0], c.Flags[0] = "changed", 9, 9, 'z', false
	assert.Equal(t, "a", in.Tags[0])
	assert.Equal(t, 1, in.Attrs["x"])
	assert.Equal(t, 1, in.Where.X)
	assert.Equal(t, byte('a'), in.Raw[0])
	assert.True(t, in.Flags[0])
}

func TestCloneOptInWithUnexportedFields(t *testing.T) {
	out, err := messages.StructuredClone(&Stamp{secret: 42})
	require.NoError(t, err)
	assert.Equal(t, &Stamp{secret: 42}, out)
}

// Fragile panics in UnmarshalBinary on bad input.
type Fragile struct{ v byte }

func (f Fragile) MarshalBinary() ([]byte, error) { return []byte{f.v}, nil }
func (f *Fragile) UnmarshalBinary(b []byte) error {
	f.v = b[5] // panics on short input
	return nil
}

func TestUserUnmarshalPanicIsAnError(t *testing.T) {
	_, err := messages.StructuredClone(Fragile{v: 1})
	assert.ErrorIs(t, err, messages.ErrDataClone)
	assert.Contains(t, err.Error(), "panic")
}

// Stamped embeds time.Time (which has MarshalBinary) and declares its own
// marshal methods, which must win over the promoted ones.
type Stamped struct {
	time.Time
	seq int
}

func (s Stamped) MarshalBinary() ([]byte, error) {
	t, err := s.Time.MarshalBinary()
	return append([]byte{byte(s.seq)}, t...), err
}

func (s *Stamped) UnmarshalBinary(b []byte) error {
	if len(b) == 0 {
		return errors.New("short")
	}
	s.seq = int(b[0])
	return s.Time.UnmarshalBinary(b[1:])
}

// StampedPtr declares pointer-receiver methods.
type StampedPtr struct {
	time.Time
	seq int
}

func (s *StampedPtr) MarshalBinary() ([]byte, error) { return Stamped{s.Time, s.seq}.MarshalBinary() }
func (s *StampedPtr) UnmarshalBinary(b []byte) error {
	var x Stamped
	err := x.UnmarshalBinary(b)
	s.Time, s.seq = x.Time, x.seq
	return err
}

// Event embeds time.Time without methods of its own: it clones field by
// field, never through the promoted MarshalBinary (which would drop Name).
type Event struct {
	time.Time
	Name string
}

// lossy embeds time.Time and hides a field: the promoted MarshalBinary
// would lose it, so it cannot be cloned.
type lossy struct {
	time.Time
	hidden int //lint:ignore U1000 the unexported field under test
}

func TestOptInBesideEmbeddedMarshaler(t *testing.T) {
	messages.RegisterType(Stamped{})
	messages.RegisterType(StampedPtr{})
	messages.RegisterType(Event{})
	when := time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	tests := []struct {
		name string
		in   any
	}{
		{"own value-receiver methods", Stamped{Time: when, seq: 3}},
		{"own pointer-receiver methods", &StampedPtr{Time: when, seq: 4}},
		{"no own methods: field by field", Event{Time: when, Name: "launch"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := roundTrips(tc.in)
			require.NoError(t, err)
			for how, out := range outs {
				assert.Equal(t, tc.in, out, how)
			}
		})
	}
	_, err := messages.StructuredClone(lossy{Time: when})
	var dce *messages.DataCloneError
	require.ErrorAs(t, err, &dce)
	assert.Equal(t, ".hidden", dce.Path)
}

// DetailErr clones structurally unless Detail holds something that cannot
// be cloned.
type DetailErr struct {
	Code   int
	Detail any
}

func (e *DetailErr) Error() string { return fmt.Sprintf("detail error %d", e.Code) }

func TestErrorThatCannotKeepItsTypeBecomesError(t *testing.T) {
	messages.RegisterType(DetailErr{})
	_, dceErr := messages.StructuredClone(struct{ F func() }{})
	require.Error(t, dceErr)
	shared := &Point{1, 2}
	type errResult struct {
		Err  error
		Also *Point
	}
	messages.RegisterType(errResult{})
	tests := []struct {
		name string
		in   any
		get  func(out any) any // the cloned error
		msg  string
	}{
		{"root", &DetailErr{Code: 1, Detail: func() {}}, func(out any) any { return out }, "detail error 1"},
		{"in an error field", errResult{Err: &DetailErr{Code: 2, Detail: []any{1, make(chan int)}}},
			func(out any) any { return out.(errResult).Err }, "detail error 2"},
		{"in []any", []any{"x", &DetailErr{Code: 3, Detail: withUnexported{}}}, func(out any) any { return out.([]any)[1] }, "detail error 3"},
		{"a *DataCloneError (its Type is a reflect.Type)", []any{dceErr}, func(out any) any { return out.([]any)[0] }, dceErr.Error()},
		{"objects seen inside the attempt are recorded again later", errResult{
			Err:  &DetailErr{Code: 4, Detail: []any{shared, func() {}}},
			Also: shared,
		}, func(out any) any { return out.(errResult).Err }, "detail error 4"},
		{"aliases around the attempt stay aliases", []any{shared, &DetailErr{Code: 5, Detail: []any{shared, func() {}}}, shared},
			func(out any) any {
				l := out.([]any)
				if l[0] != l[2] {
					return "alias lost"
				}
				return l[1]
			}, "detail error 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := roundTrips(tc.in)
			require.NoError(t, err)
			for how, out := range outs {
				e, ok := tc.get(out).(*messages.Error)
				require.True(t, ok, "%s: got %T", how, tc.get(out))
				assert.Equal(t, &messages.Error{Name: "Error", Message: tc.msg}, e, how)
				if r, ok := out.(errResult); ok && r.Also != nil {
					assert.Equal(t, shared, r.Also, how)
					assert.NotSame(t, shared, r.Also, how)
				}
			}
		})
	}
	t.Run("structurally cloneable value keeps its type", func(t *testing.T) {
		in := &DetailErr{Code: 5, Detail: map[string]any{"k": []any{1.5}}}
		outs, err := roundTrips(in)
		require.NoError(t, err)
		for how, out := range outs {
			assert.Equal(t, in, out, how)
		}
	})
}

// Only type problems turn an error into *Error: the rest stay errors.
func TestErrorFallbackKeepsOtherFailures(t *testing.T) {
	detached := messages.NewArrayBuffer([]byte("x"))
	_, err := messages.StructuredClone(nil, detached)
	require.NoError(t, err)
	tests := []struct {
		name string
		in   any
		path string
	}{
		{"detached buffer", []any{&DetailErr{Detail: detached}}, "[0].Detail"},
		{"transferable not in the list", []any{&DetailErr{Detail: &fakePort{}}}, "[0].Detail"},
		{"at a concrete position there is no *Error to fall back to", struct{ E *DetailErr }{&DetailErr{Detail: func() {}}}, ".E.Detail"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bystander := messages.NewArrayBuffer([]byte("keep"))
			_, err := messages.StructuredClone(tc.in, bystander)
			var dce *messages.DataCloneError
			require.ErrorAs(t, err, &dce)
			assert.Equal(t, tc.path, dce.Path)
			assert.False(t, bystander.Detached())
		})
	}
}
