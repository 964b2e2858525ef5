package actors

import (
	"errors"
	"log/slog"

	"github.com/entangle-go/entangle/ports"
)

// Option configures the plugin in Register.
type Option func(*config) error

type config struct {
	logger      *slog.Logger
	portOptions []ports.Option
	maxTimers   int
}

func defaultConfig() config {
	return config{maxTimers: 10000}
}

// WithLogger sets the logger of the plugin. By default it is the actor
// system's logger with the attribute lib=entangle/actors.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("actors: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithPortOptions passes options to the ports extension that Register
// installs (close-event mode, queue limits, diagnostics). They are ignored
// if the system has a ports extension already.
func WithPortOptions(opts ...ports.Option) Option {
	return func(c *config) error {
		c.portOptions = append(c.portOptions, opts...)
		return nil
	}
}

// WithMaxTimers limits the pending timers of one context (default 10000);
// SetTimeout beyond it fails with an error matching messages.ErrRange, so
// a runaway context cannot grow without bound.
func WithMaxTimers(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("actors: WithMaxTimers: the limit must be positive")
		}
		c.maxTimers = n
		return nil
	}
}
