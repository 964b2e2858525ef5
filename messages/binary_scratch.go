package messages

// decodeScratch is the working space of DecodeRecord that a pooled record
// keeps for its next decoding (none of it ends up in the record).
type decodeScratch struct {
	rd     reader // cleared after decoding: b is not retained
	small  []byte
	needed []bool
}

// maxScratch bounds the working space a record keeps.
const maxScratch = 1 << 12

// keepScratch drops the input and gives the working space back to the
// record, unless it grew past maxScratch.
func (d *recordDecoder) keepScratch() {
	sc := &d.r.scratchDec
	sc.rd = reader{}
	if cap(d.small) <= maxScratch && cap(d.needed) <= maxScratch {
		sc.small, sc.needed = d.small[:0], d.needed[:0]
	}
}

// neededFor returns n false flags, in the record's working space when it
// is big enough.
func (d *recordDecoder) neededFor(n int) []bool {
	if sc := d.r.scratchDec.needed; cap(sc) >= n {
		sc = sc[:n]
		clear(sc)
		return sc
	}
	return make([]bool, n)
}
