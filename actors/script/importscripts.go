package script

import (
	"errors"
	"net/url"

	"github.com/dop251/goja"
)

// nativeImportScripts is a worker's importScripts(...urls): every URL is
// parsed first (a SyntaxError DOMException for one that does not parse),
// then each script is fetched (see fetchScript; a NetworkError
// DOMException if it cannot be) and run in the worker's global scope, in
// order; an exception a script throws, or its syntax error, is thrown on
// to the caller, and the scripts after it do not run.
func (r *realm) nativeImportScripts(c goja.FunctionCall) goja.Value {
	const what = "Failed to execute 'importScripts' on 'WorkerGlobalScope'"
	raws := r.transferArray(c.Argument(0))
	urls := make([]*url.URL, len(raws))
	for i, raw := range raws {
		u, err := r.resolveURL(raw.String())
		if err != nil {
			panic(r.domException(what+": "+err.Error()+".", "SyntaxError"))
		}
		urls[i] = u
	}
	for _, u := range urls {
		text, err := r.fetchScript(u)
		if err != nil {
			panic(r.domException(what+": The script at '"+u.String()+"' failed to load: "+err.Error()+".", "NetworkError"))
		}
		p, err := compileCached(u.String(), text)
		if err != nil {
			r.throwSyntax(compileMessage(err))
		}
		if _, err := r.rt.RunProgram(p); err != nil {
			r.throw(err)
		}
	}
	return goja.Undefined()
}

// compileMessage is the message of the SyntaxError for a script that does
// not compile (goja's syntax errors and its early reference errors, which
// the standard makes SyntaxErrors too).
func compileMessage(err error) string {
	var syn *goja.CompilerSyntaxError
	if errors.As(err, &syn) {
		return syn.Message
	}
	var ref *goja.CompilerReferenceError
	if errors.As(err, &ref) {
		return ref.Message
	}
	return err.Error()
}
