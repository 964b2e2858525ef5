package script

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/actors"
)

// ScriptError is an uncaught JavaScript exception as Go sees it: the
// error Eval returns for a script that throws, and the Err of the
// actors.ErrorEvent a creator gets for a dedicated worker's exception
// that the worker's script did not cancel.
type ScriptError struct {
	// Message is the error event's message, e.g. "Uncaught TypeError: x
	// is not a function".
	Message string
	// Filename, Line and Column locate where it was thrown (the source's
	// name; lines and columns count from 1), if known.
	Filename     string
	Line, Column int
}

func (e *ScriptError) Error() string {
	if e.Filename == "" {
		return "script: " + e.Message
	}
	return fmt.Sprintf("script: %s (%s:%d:%d)", e.Message, e.Filename, e.Line, e.Column)
}

// errorReport is an error event of the realm (for the conformance
// runner): an uncaught exception or an unhandled rejection, and whether
// the script canceled it.
type errorReport struct {
	Message   string
	Filename  string
	Line, Col int
	Rejection bool
	Canceled  bool
}

// position is where an exception was thrown.
type position struct {
	file      string
	line, col int
}

// positionOf returns the place of the innermost frame of stack that has
// one.
func positionOf(stack []goja.StackFrame) position {
	for _, f := range stack {
		p := f.Position()
		if p.Line > 0 && !strings.HasPrefix(f.SrcName(), surfacePrefix) {
			return position{file: f.SrcName(), line: p.Line, col: p.Column}
		}
	}
	return position{}
}

// uncaught reports the error of a call into the runtime: an exception
// gets an error event; an interruption is reported when the task ends.
func (r *realm) uncaught(err error) {
	var exc *goja.Exception
	switch {
	case errors.As(err, &exc):
		r.report("Uncaught "+r.describe(exc.Value()), positionOf(exc.Stack()), exc.Value(), true)
	case r.interrupted || errors.Is(err, errInterrupted):
	default:
		r.report("Uncaught "+err.Error(), position{}, goja.Null(), true)
	}
}

// reportLoad reports a source that could not be read or compiled.
func (r *realm) reportLoad(src Source, err error) {
	var syn *goja.CompilerSyntaxError
	if errors.As(err, &syn) {
		r.report("Uncaught SyntaxError: "+syn.Message, position{file: src.Name()}, goja.Null(), true)
		return
	}
	r.report("Uncaught "+err.Error(), position{file: src.Name()}, goja.Null(), true)
}

// report is HTML's "report an exception": an error event at the global;
// if no listener cancels it, the error is logged through the console sink
// and, in a dedicated worker, goes on to the creator. An exception thrown
// while an error event is being fired is only logged (HTML's error
// reporting mode), so a throwing error listener cannot loop. ours is
// false for an error the actors package reported (it propagates it
// itself).
func (r *realm) report(msg string, pos position, errVal goja.Value, ours bool) bool {
	rep := errorReport{Message: msg, Filename: pos.file, Line: pos.line, Col: pos.col}
	if r.reporting {
		r.reports = append(r.reports, rep)
		r.log(slog.LevelError, r.where(msg, pos))
		return true
	}
	r.reporting = true
	ev, err := r.agentEvent(r.js.errorEvent, r.rt.ToValue(msg), r.rt.ToValue(pos.file), r.rt.ToValue(pos.line), r.rt.ToValue(pos.col), errVal)
	notCanceled := true
	if err == nil {
		notCanceled = r.fire(r.global, ev)
	}
	r.reporting = false
	rep.Canceled = !notCanceled
	r.reports = append(r.reports, rep)
	if notCanceled {
		r.log(slog.LevelError, r.where(msg, pos))
		if ours && r.kind == actors.KindDedicatedWorker && r.propagate == nil {
			r.propagate = &ScriptError{Message: msg, Filename: pos.file, Line: pos.line, Column: pos.col}
		}
	}
	return notCanceled
}

// where adds the position to a message.
func (r *realm) where(msg string, pos position) string {
	if pos.file == "" {
		return msg
	}
	return fmt.Sprintf("%s (%s:%d:%d)", msg, pos.file, pos.line, pos.col)
}

// describe returns the message of a thrown value ("TypeError: ...").
func (r *realm) describe(v goja.Value) string {
	s, err := r.call(r.js.describe, goja.Undefined(), v)
	if err != nil || s == nil {
		return "exception"
	}
	return s.String()
}

// reportFromScript is host.report(e): reportError, and an exception of a
// listener or a microtask that JavaScript caught to report it. The place
// is where an error object was made (its stack), else where the report
// was made.
func (r *realm) reportFromScript(e goja.Value) {
	pos := position{}
	if o, ok := e.(*goja.Object); ok {
		if v := o.Get("stack"); v != nil {
			if st, isStr := v.Export().(string); isStr {
				pos = stackPosition(st)
			}
		}
	}
	if pos.file == "" {
		pos = positionOf(r.rt.CaptureCallStack(0, nil))
	}
	r.report("Uncaught "+r.describe(e), pos, e, true)
}

// frameRe matches a frame of goja's stack text: "at f (file:1:2(3))" or
// "at file:1:2(3)".
var frameRe = regexp.MustCompile(`at (?:[^\n(]* \()?([^\n()]+):(\d+):(\d+)\(\d+\)`)

// stackPosition returns the place of the first frame of an error's stack
// text that is not the surface's.
func stackPosition(stack string) position {
	for _, m := range frameRe.FindAllStringSubmatch(stack, -1) {
		if strings.HasPrefix(m[1], surfacePrefix) {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return position{file: m[1], line: line, col: col}
	}
	return position{}
}

// onErrorEvent handles the actors package's ErrorEvent: a panic in this
// context's Go code (the realm's own), or a worker's error at its
// creator.
func (r *realm) onErrorEvent(m *actors.ErrorEvent) {
	var se *ScriptError
	if !r.ready() {
		return
	}
	msg := "Uncaught " + m.Err.Error()
	pos := position{}
	if errors.As(m.Err, &se) {
		msg = se.Message
		pos = position{file: se.Filename, line: se.Line, col: se.Column}
	}
	r.beginTask()
	defer r.endTask()
	// A worker's error is an error event at its Worker object first.
	if m.Worker != nil && !r.workerError(m.Worker, msg, pos) {
		m.PreventDefault()
		return
	}
	if !r.report(msg, pos, goja.Null(), false) {
		m.PreventDefault()
	}
}
