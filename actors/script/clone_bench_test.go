package script

import "testing"

// BenchmarkCloneSmall is the codec's share of a small message between two
// realms: {i} serialized in one and rebuilt in the other.
func BenchmarkCloneSmall(b *testing.B) {
	t := &testing.T{}
	from, to := newCodecRealm(t), newCodecRealm(t)
	obj := from.rt.NewObject()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = obj.Set("i", i)
		s, err := from.c.serialize(obj, nil)
		if err != nil {
			b.Fatal(err)
		}
		s.commit()
		if _, err := to.c.deserialize(s.Record, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCloneMixed clones an object with a string, an array and a
// nested object.
func BenchmarkCloneMixed(b *testing.B) {
	t := &testing.T{}
	from, to := newCodecRealm(t), newCodecRealm(t)
	v := from.run(`({i: 1, s: 'hello', arr: [1, 2, 3], o: {x: 1.5, y: true}})`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s, err := from.c.serialize(v, nil)
		if err != nil {
			b.Fatal(err)
		}
		s.commit()
		if _, err := to.c.deserialize(s.Record, nil); err != nil {
			b.Fatal(err)
		}
	}
}
