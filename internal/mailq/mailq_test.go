package mailq

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type sys string // a stand-in system message

// post is one message pushed before the queues are read: a system one
// (sys, or a suspend or resume) or a user one.
type post struct {
	msg    any
	system bool
}

var (
	suspend = post{&actor.SuspendMailbox{}, true}
	resume  = post{&actor.ResumeMailbox{}, true}
)

// What Next hands on, in which order, and what it leaves, for messages
// pushed before the queues are read.
func TestNextOrder(t *testing.T) {
	for _, tt := range []struct {
		name          string
		posts         []post
		want          []any
		wantSuspended bool
		wantUserLeft  int
	}{
		{name: "user messages in order", posts: []post{{1, false}, {2, false}}, want: []any{1, 2}},
		{name: "system messages first, in order, behind the first one too",
			posts: []post{{1, false}, {sys("a"), true}, {sys("b"), true}, {sys("c"), true}, {2, false}},
			want:  []any{sys("a"), sys("b"), sys("c"), 1, 2}},
		{name: "suspended: system messages only", posts: []post{{1, false}, suspend, {sys("a"), true}},
			want: []any{sys("a")}, wantSuspended: true, wantUserLeft: 1},
		{name: "resumed", posts: []post{{1, false}, suspend, {sys("a"), true}, resume}, want: []any{sys("a"), 1}},
		{name: "a nil user message is a message", posts: []post{{nil, false}, {1, false}}, want: []any{nil, 1}},
		{name: "nothing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var q Queues
			suspended := false
			for _, p := range tt.posts {
				if p.system {
					q.PushSystem(p.msg)
				} else {
					q.User.Push(p.msg)
				}
			}
			var got []any
			for q.Pending(suspended) {
				msg, system, ok := q.Next(&suspended)
				if !ok {
					break // Pending saw only a suspend or resume
				}
				_, isSys := msg.(sys)
				assert.Equal(t, isSys, system, "%v handed on as system=%v", msg, system)
				got = append(got, msg)
			}
			_, _, ok := q.Next(&suspended)
			assert.False(t, ok, "Next hands on nothing once Pending says none")
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantSuspended, suspended)
			assert.Equal(t, tt.wantUserLeft, q.User.Len())
			assert.False(t, q.HasSystem())
			assert.Nil(t, q.sysMore, "the overflow queue is dropped once empty")
		})
	}
}
