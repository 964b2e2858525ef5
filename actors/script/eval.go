package script

import (
	"errors"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/dop251/goja"

	"github.com/entangle-go/entangle/messages"
)

// Eval runs code in the realm of ctx's context as a task of its own (the
// microtask checkpoint runs after it) and returns its completion value,
// structured-cloned into Go by the table in the package doc. Call it
// inside one of the realm's tasks, from Go code that runs as the context
// (a function given to actors.Plugin.Run, say), not from JavaScript.
//
// An exception thrown by code is returned as a *ScriptError, not
// reported as an error event; a completion value that cannot be cloned
// is an error matching messages.ErrDataClone. Eval returns an error
// matching messages.ErrInvalidState if ctx's actor is not a realm that
// has started, or if called while JavaScript runs.
func Eval(ctx actor.Context, code string) (any, error) {
	r, ok := ctx.Actor().(*realm)
	if !ok || !r.ready() {
		return nil, &messages.DOMException{Name: "InvalidStateError", Message: "script: Eval: the context does not run a script realm"}
	}
	if r.depth > 0 {
		return nil, &messages.DOMException{Name: "InvalidStateError", Message: "script: Eval: called while JavaScript runs"}
	}
	prev := r.ctx
	r.ctx = ctx
	defer func() { r.ctx = prev }()
	prog, err := goja.Compile("eval", code, false)
	if err != nil {
		return nil, evalError(err)
	}
	r.beginTask()
	defer r.endTask()
	v, err := r.run(prog)
	if err != nil {
		if r.interrupted {
			return nil, errors.New("script: Eval: the task exceeded its time limit and was interrupted")
		}
		return nil, evalError(err)
	}
	r.depth++
	s, err := r.codec.serialize(v, nil)
	r.depth--
	if err != nil {
		return nil, evalError(err)
	}
	defer s.abort()
	return messages.Deserialize(s.Record)
}

// evalError turns an exception into a *ScriptError.
func evalError(err error) error {
	var exc *goja.Exception
	if errors.As(err, &exc) {
		pos := positionOf(exc.Stack())
		return &ScriptError{Message: "Uncaught " + exc.Value().String(), Filename: pos.file, Line: pos.line, Column: pos.col}
	}
	var syn *goja.CompilerSyntaxError
	if errors.As(err, &syn) {
		return &ScriptError{Message: "Uncaught SyntaxError: " + syn.Message, Filename: "eval"}
	}
	return err
}
