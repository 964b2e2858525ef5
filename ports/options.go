package ports

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/entangle-go/entangle/internal/flatrec"
	"github.com/entangle-go/entangle/internal/primrec"
	"github.com/entangle-go/entangle/messages"
)

// CloseEventMode says which ends of a channel receive a [CloseEvent].
type CloseEventMode uint8

const (
	// CloseEventsStandard is the HTML Standard's rule: when one end is
	// closed (or its owner goes away), only the other end gets a
	// CloseEvent.
	CloseEventsStandard CloseEventMode = iota
	// CloseEventsBoth is Node.js's behaviour: the end that called Close
	// gets a CloseEvent too.
	CloseEventsBoth
	// CloseEventsNone never delivers CloseEvent, like the browser engines
	// that do not ship the close event yet.
	CloseEventsNone
)

// String returns the mode's name.
func (m CloseEventMode) String() string {
	switch m {
	case CloseEventsStandard:
		return "standard"
	case CloseEventsBoth:
		return "both"
	case CloseEventsNone:
		return "none"
	}
	return fmt.Sprintf("CloseEventMode(%d)", uint8(m))
}

// OverflowPolicy says what a port does with a message that would take its
// queue past a limit set with [WithQueueLimit].
type OverflowPolicy uint8

const (
	// OverflowClose closes the channel, as if the overflowing port's owner
	// had closed it: the message, everything after it and the messages
	// still waiting in the full queue are dropped, the other end gets a
	// CloseEvent after the messages it already has, and the overflowing
	// port gets a CloseEvent with Reason CloseOverflow.
	// It is the default: a slow or never-started receiver shows up as a
	// closed channel rather than as memory that keeps growing or as a
	// silent gap in the stream.
	OverflowClose OverflowPolicy = iota
	// OverflowDrop drops the message (ports it carried are closed, so
	// their peers get a CloseEvent) and reports it in MessageDropped
	// (aggregated per interval); later messages still arrive. The stream then has a gap.
	OverflowDrop
)

// String returns the policy's name.
func (p OverflowPolicy) String() string {
	switch p {
	case OverflowClose:
		return "close"
	case OverflowDrop:
		return "drop"
	}
	return fmt.Sprintf("OverflowPolicy(%d)", uint8(p))
}

// Option configures the ports extension of one actor system; see [Register].
type Option func(*config) error

type config struct {
	closeEvents  CloseEventMode
	maxMessages  int // 0: unlimited
	maxBytes     int // 0: unlimited
	overflow     OverflowPolicy
	diagnostics  bool
	postErrors   bool
	dropInterval time.Duration
	// unstartedAfter is the PortNotStarted threshold; 0: off.
	unstartedAfter time.Duration
	logger         *slog.Logger
	decodeOptions  []messages.DecodeOption
	// decodeMaxBytes is the WithMaxBytes limit of decodeOptions, for the
	// primitive shortcut, and decodeLimits all of its limits, for the flat
	// struct shortcut (see decodeFar).
	decodeMaxBytes int
	decodeLimits   flatrec.Limits
	transport      transport // tests replace it to delay messages
}

func defaultConfig() config {
	return config{
		closeEvents:    CloseEventsStandard,
		overflow:       OverflowClose,
		diagnostics:    true,
		dropInterval:   time.Second,
		unstartedAfter: 5 * time.Second,

		decodeMaxBytes: primrec.MaxBytes(nil),
		decodeLimits:   flatrec.LimitsOf(nil),
	}
}

// WithCloseEvents sets which ends get a CloseEvent (default
// CloseEventsStandard).
func WithCloseEvents(mode CloseEventMode) Option {
	return func(c *config) error {
		if mode > CloseEventsNone {
			return fmt.Errorf("ports: invalid close-event mode %d", mode)
		}
		c.closeEvents = mode
		return nil
	}
}

// WithQueueLimit bounds each port's queue of messages that have arrived but
// were not yet dispatched (a port that was never started keeps them all).
// maxMessages and maxBytes (the records' ByteSize) of 0 mean unlimited,
// which is the default, as on the web. What happens on overflow is set by
// [WithOverflowPolicy].
func WithQueueLimit(maxMessages, maxBytes int) Option {
	return func(c *config) error {
		if maxMessages < 0 || maxBytes < 0 {
			return fmt.Errorf("ports: queue limits must not be negative (got %d messages, %d bytes)", maxMessages, maxBytes)
		}
		c.maxMessages, c.maxBytes = maxMessages, maxBytes
		return nil
	}
}

// WithOverflowPolicy sets what a port does when its queue limit is reached
// (default OverflowClose).
func WithOverflowPolicy(p OverflowPolicy) Option {
	return func(c *config) error {
		if p > OverflowDrop {
			return fmt.Errorf("ports: invalid overflow policy %d", p)
		}
		c.overflow = p
		return nil
	}
}

// WithDiagnostics turns all the diagnostics (the EventStream events listed
// in the package documentation's Observability section, and the log lines
// of PortNotStarted, OwnerNotReachable and PortSentOutside) on or off
// (default on). None is published per delivered message.
func WithDiagnostics(on bool) Option {
	return func(c *config) error {
		c.diagnostics = on
		return nil
	}
}

// WithPostErrors makes PostMessage return an error for a message it drops
// (default off: the drop is silent, as the web's postMessage is): ErrDetached
// when the port was transferred away, ErrPortClosed when it was closed or
// when the post dooms the channel (its transfer list held the port's own
// other end). Both match messages.ErrInvalidState too. The error reports;
// it undoes nothing: as the standard orders the steps, the ports in the
// transfer list were shipped before the drop (their new owner is nobody:
// they are closed, and their peers get a CloseEvent), and the message's
// ArrayBuffers were detached. The drop is counted in Stats().Dropped
// either way. Messages that cannot be delivered later (the other end
// closed while the message was on its way) are not errors of the post:
// they show in MessageDropped.
func WithPostErrors(on bool) Option {
	return func(c *config) error {
		c.postErrors = on
		return nil
	}
}

// WithDropReports sets the interval of the MessageDropped reports (default
// one second): each port publishes at most one per reason and interval.
func WithDropReports(interval time.Duration) Option {
	return func(c *config) error {
		if interval <= 0 {
			return fmt.Errorf("ports: the drop-report interval must be positive (got %v)", interval)
		}
		c.dropInterval = interval
		return nil
	}
}

// WithUnstartedWarning sets how long a port may hold messages without
// being started (Start, OnMessage or OnData) before a PortNotStarted diagnostic
// reports it (default five seconds; 0 turns the check off).
func WithUnstartedWarning(after time.Duration) Option {
	return func(c *config) error {
		if after < 0 {
			return fmt.Errorf("ports: the unstarted-port threshold must not be negative (got %v)", after)
		}
		c.unstartedAfter = after
		return nil
	}
}

// WithLogger sets the logger the extension writes to (default: the actor
// system's logger, with the attribute lib=entangle/ports).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithDecodeLimits sets the limits applied to message records that arrive
// as bytes from another node (default: the messages package's defaults).
func WithDecodeLimits(opts ...messages.DecodeOption) Option {
	return func(c *config) error {
		c.decodeOptions = append([]messages.DecodeOption(nil), opts...)
		c.decodeMaxBytes = primrec.MaxBytes(c.decodeOptions)
		c.decodeLimits = flatrec.LimitsOf(c.decodeOptions)
		return nil
	}
}
