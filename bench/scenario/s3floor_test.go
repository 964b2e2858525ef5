package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestS3FloorFinishesItsRounds runs the floor of S3 on the dispatchers it
// is measured on: a round ends only when the message posted on the first
// end has reached the other context through the successor, so the run
// finishes only if every round moved its port and delivered the message.
func TestS3FloorFinishesItsRounds(t *testing.T) {
	cfg := Config{Quick: true, Timeout: 20 * time.Second}
	for _, rd := range rawDispatchers {
		if rd.make == nil {
			continue
		}
		t.Run(rd.suffix, func(t *testing.T) {
			us, err := s3FloorOn(cfg, rd.opts())
			require.NoError(t, err)
			assert.Greater(t, us, 0.0, "mean µs per round")
		})
	}
}

// TestS3ReportsTheFloorBesideTheRawWork checks that the protoactor side of
// S3 reports the floor on the dispatchers entangle's rows are held
// against, beside the raw work, and that each S3 comparison with it names
// a metric that is measured.
func TestS3ReportsTheFloorBesideTheRawWork(t *testing.T) {
	samples, err := s3Protoactor(Config{Quick: true, Timeout: 20 * time.Second})
	require.NoError(t, err)
	got := map[string]bool{}
	for _, s := range samples {
		got[s.Metric] = true
	}
	for _, m := range []string{s3Work, s3Work + onGoroutine, s3Work + onPooled, s3Floor + onGoroutine, s3Floor + onPooled} {
		assert.True(t, got[m], "missing sample %q", m)
	}
	assert.False(t, got[s3Floor], "the floor is not measured on protoactor's default dispatcher")
	for _, c := range s3().Compare {
		if c.Peer == Protoactor {
			// (The runner measures the [busy] figures again, under load.)
			m := strings.TrimSuffix(c.PeerMetric, Busy)
			assert.True(t, got[m], "comparison against unmeasured %q", m)
		}
	}
}
