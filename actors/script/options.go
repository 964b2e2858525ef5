package script

import (
	"errors"
	"io/fs"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Option configures the script host in Register.
type Option func(*config) error

type config struct {
	fs        fs.FS
	taskLimit time.Duration
	console   func(ctx actor.Context, level slog.Level, msg string)
	maxTimers int
}

func defaultConfig() config {
	return config{taskLimit: 5 * time.Second, maxTimers: 10000}
}

// WithFS gives the file system that File sources are read from.
func WithFS(fsys fs.FS) Option {
	return func(c *config) error {
		if fsys == nil {
			return errors.New("script: WithFS: nil file system")
		}
		c.fs = fsys
		return nil
	}
}

// WithTaskLimit sets how long one task of a realm may run (default five
// seconds): a task still running after it is interrupted, its pending
// microtasks are dropped, and the realm gets an error event; the context
// keeps serving its other tasks.
func WithTaskLimit(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("script: WithTaskLimit: the limit must be positive")
		}
		c.taskLimit = d
		return nil
	}
}

// WithConsole sets where console.log and its kin, and the reports of
// uncaught exceptions, go: fn is called on the context's goroutine with
// the line (console.log and console.info are Info, console.debug and
// console.trace Debug, console.warn Warn, console.error and uncaught
// exceptions Error). By default lines go to the actors plugin's logger,
// with the context's PID.
func WithConsole(fn func(ctx actor.Context, level slog.Level, msg string)) Option {
	return func(c *config) error {
		if fn == nil {
			return errors.New("script: WithConsole: nil function")
		}
		c.console = fn
		return nil
	}
}

// WithMaxTimers limits the pending timers (setTimeout and setInterval) of
// one realm (default 10000); beyond it setTimeout throws a RangeError. The
// actors plugin's own WithMaxTimers applies as well.
func WithMaxTimers(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("script: WithMaxTimers: the limit must be positive")
		}
		c.maxTimers = n
		return nil
	}
}
