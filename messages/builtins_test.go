package messages_test

import (
	"fmt"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/entangle-go/entangle/messages"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func TestCloneTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	withMonotonic := time.Now()
	tests := []struct {
		name string
		in   time.Time
		loc  *time.Location // the location expected after the binary form too
	}{
		{"UTC", time.Date(2024, 2, 29, 23, 59, 59, 999999999, time.UTC), time.UTC},
		{"Local, with a monotonic reading", withMonotonic, time.Local},
		{"Europe/Paris in summer", time.Date(2024, 7, 1, 9, 0, 0, 1, paris), nil},
		{"Europe/Paris in winter", time.Date(2024, 1, 1, 9, 0, 0, 1, paris), nil},
		{"fixed zone", time.Date(1999, 12, 31, 0, 0, 0, 0, time.FixedZone("X+5", 5*3600)), nil},
		{"zero", time.Time{}, time.UTC},
		{"before 1970", time.Date(1901, 1, 1, 0, 0, 0, 5, time.UTC), time.UTC},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs, err := roundTrips(tc.in)
			require.NoError(t, err)
			for how, out := range outs {
				got := out.(time.Time)
				assert.True(t, got.Equal(tc.in), how)
				assert.Equal(t, tc.in.IsZero(), got.IsZero(), how)
				assert.Equal(t, tc.in.Location().String(), got.Location().String(), how)
				name, off := tc.in.Zone()
				gotName, gotOff := got.Zone()
				assert.Equal(t, name, gotName, how)
				assert.Equal(t, off, gotOff, how)
				if how != "binary" {
					assert.Equal(t, tc.in.Round(0), got, "%s: same instant, same *Location, no monotonic reading", how)
				} else if tc.loc != nil {
					assert.Same(t, tc.loc, got.Location(), how)
				}
			}
		})
	}
}

func TestCloneBigInt(t *testing.T) {
	b := new(big.Int).Lsh(big.NewInt(-3), 200)
	type bigHolder struct {
		A, B *big.Int
		V    big.Int
		Nil  *big.Int
	}
	messages.RegisterType(bigHolder{})
	in := &bigHolder{A: b, B: b, V: *big.NewInt(42)}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		c := out.(*bigHolder)
		assert.Same(t, c.A, c.B, "%s: two references to one *big.Int stay one", how)
		assert.NotSame(t, b, c.A, how)
		assert.Zero(t, b.Cmp(c.A), how)
		assert.Zero(t, c.V.Cmp(big.NewInt(42)), how)
		assert.Nil(t, c.Nil, how)
		c.A.Add(c.A, big.NewInt(1))
		assert.Zero(t, b.Cmp(new(big.Int).Lsh(big.NewInt(-3), 200)), "%s: the original is untouched", how)
	}
	for _, n := range []*big.Int{big.NewInt(0), big.NewInt(-1), new(big.Int).SetUint64(math.MaxUint64)} {
		outs, err := roundTrips(n)
		require.NoError(t, err)
		for how, out := range outs {
			assert.Zero(t, n.Cmp(out.(*big.Int)), "%s: %v", how, n)
		}
	}
}

func TestCloneArrays(t *testing.T) {
	p := &Point{1, 2}
	negZero := math.Copysign(0, -1)
	type arrays struct {
		Ptrs   [3]*Point
		Slices [2][]int
		Anys   [2]any
		Grid   [2][3]float64
		Empty  [0]int
		Names  [2]string
	}
	messages.RegisterType(arrays{})
	in := arrays{
		Ptrs:   [3]*Point{p, nil, p},
		Slices: [2][]int{{1, 2}, nil},
		Anys:   [2]any{"x", [2]int{3, 4}},
		Grid:   [2][3]float64{{math.NaN(), negZero, 1}, {2, 3, math.Inf(1)}},
		Names:  [2]string{"a", ""},
	}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		c := out.(arrays)
		assert.Empty(t, cloneEqual(in, c), how)
		assert.Same(t, c.Ptrs[0], c.Ptrs[2], how)
		assert.Nil(t, c.Ptrs[1], how)
		assert.Nil(t, c.Slices[1], how)
		assert.Equal(t, [2]int{3, 4}, c.Anys[1], how)
		assert.True(t, math.IsNaN(c.Grid[0][0]) && math.Signbit(c.Grid[0][1]), how)
		c.Slices[0][0] = 9
		assert.Equal(t, 1, in.Slices[0][0], how)
	}
}

func TestCloneSpecialFloatsEverywhere(t *testing.T) {
	negZero := math.Copysign(0, -1)
	negZero32 := float32(math.Copysign(0, -1))
	nan32 := float32(math.NaN())
	o := messages.NewObject()
	o.Set("nan", math.NaN())
	o.Set("negZero", negZero)
	in := []any{negZero32, nan32, complex(negZero, math.NaN()), o, [2]float32{negZero32, nan32}, map[string]float64{"z": negZero}}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		s := out.([]any)
		assert.True(t, math.Signbit(float64(s[0].(float32))), how)
		assert.True(t, math.IsNaN(float64(s[1].(float32))), how)
		c := s[2].(complex128)
		assert.True(t, math.Signbit(real(c)) && math.IsNaN(imag(c)), how)
		nan, _ := s[3].(*messages.Object).Get("nan")
		nz, _ := s[3].(*messages.Object).Get("negZero")
		assert.True(t, math.IsNaN(nan.(float64)), how)
		assert.True(t, math.Signbit(nz.(float64)), how)
		a := s[4].([2]float32)
		assert.True(t, math.Signbit(float64(a[0])) && math.IsNaN(float64(a[1])), how)
		assert.True(t, math.Signbit(s[5].(map[string]float64)["z"]), how)
	}
	// As on the web, a Set or Map key -0 is +0 (SameValueZero).
	set := messages.NewSet()
	set.Add(negZero)
	out, err := messages.StructuredClone(set)
	require.NoError(t, err)
	assert.False(t, math.Signbit(out.(*messages.Set).Values()[0].(float64)))
}

func TestObjectKeyOrderManyKeys(t *testing.T) {
	o := messages.NewObject()
	var want []string
	for i := 20; i > 0; i-- {
		k := fmt.Sprint(i)
		o.Set(k, i)
		want = append(want, k)
	}
	o.Delete("20")
	o.Set("20", "back at the end")
	want = append(want[1:], "20")
	o.Set("15", "kept in place")
	outs, err := roundTrips(map[string]any{"o": o})
	require.NoError(t, err)
	for how, out := range outs {
		c := out.(map[string]any)["o"].(*messages.Object)
		assert.Equal(t, want, c.Keys(), how)
		v, _ := c.Get("15")
		assert.Equal(t, "kept in place", v, how)
	}
}

func TestCloneProtobufIsIndependent(t *testing.T) {
	st, err := structpb.NewStruct(map[string]any{"k": "v", "list": []any{1.0}})
	require.NoError(t, err)
	ts := timestamppb.New(time.Unix(100, 5))
	in := map[string]any{"st": st, "list": []proto.Message{ts, ts}}
	outs, err := roundTrips(in)
	require.NoError(t, err)
	for how, out := range outs {
		c := out.(map[string]any)
		cst := c["st"].(*structpb.Struct)
		require.True(t, proto.Equal(st, cst), how)
		cst.Fields["k"] = structpb.NewStringValue("changed")
		assert.Equal(t, "v", st.Fields["k"].GetStringValue(), how)
		l := c["list"].([]proto.Message)
		assert.Same(t, l[0], l[1], how)
		assert.NotSame(t, ts, l[0], how)
		assert.True(t, proto.Equal(ts, l[0]), how)
	}
}

// Gob opt-in: a type with GobEncode/GobDecode and no binary pair.
type GobOnly struct{ v int }

func (g GobOnly) GobEncode() ([]byte, error) { return []byte{byte(g.v)}, nil }
func (g *GobOnly) GobDecode(b []byte) error {
	if len(b) != 1 {
		return fmt.Errorf("bad length %d", len(b))
	}
	g.v = int(b[0])
	return nil
}

func TestCloneGobOptIn(t *testing.T) {
	messages.RegisterType(GobOnly{})
	messages.RegisterType(big.Float{})
	f := big.NewFloat(2.5)
	outs, err := roundTrips([]any{GobOnly{7}, &GobOnly{8}, f})
	require.NoError(t, err)
	for how, out := range outs {
		s := out.([]any)
		assert.Equal(t, GobOnly{7}, s[0], how)
		assert.Equal(t, &GobOnly{8}, s[1], how)
		assert.Zero(t, f.Cmp(s[2].(*big.Float)), how)
		assert.NotSame(t, f, s[2], how)
	}
}
