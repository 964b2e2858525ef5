package script

import (
	"context"
	"log/slog"

	"github.com/dop251/goja"
)

// log writes a line of the realm through the console sink (WithConsole),
// by default the actors plugin's logger with the context's PID.
func (r *realm) log(level slog.Level, msg string) {
	if fn := r.host.cfg.console; fn != nil {
		fn(r.ctx, level, msg)
		return
	}
	r.plugin.Logger().Log(context.Background(), level, msg,
		slog.String("context", r.ctx.Self().String()),
		slog.String("kind", r.kind.String()))
}

// consoleLevels maps the levels the console object passes.
var consoleLevels = map[string]slog.Level{
	"debug": slog.LevelDebug,
	"info":  slog.LevelInfo,
	"warn":  slog.LevelWarn,
	"error": slog.LevelError,
}

// nativeConsole is host.console(level, line).
func (r *realm) nativeConsole(c goja.FunctionCall) goja.Value {
	level, ok := consoleLevels[c.Argument(0).String()]
	if !ok {
		level = slog.LevelInfo
	}
	r.log(level, c.Argument(1).String())
	return goja.Undefined()
}
