package script

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"github.com/dop251/goja"
)

// The web surface is written in JavaScript: each file of js/ is one
// function expression, (function (host, internal) { ... }), called in
// name order with the realm's natives (host, see natives.go) and an object
// the files share (internal). Neither is reachable from user script.
//
//	00-domexception.js  DOMException, and the surface's private maps
//	01-legacy.js        Object.prototype.__defineGetter__ and its kin
//	10-events.js        Event, EventTarget, event handler attributes, dispatch
//	11-event-kinds.js   MessageEvent, ErrorEvent, PromiseRejectionEvent
//	20-ports.js         MessagePort, MessageChannel, structuredClone
//	30-global.js        the global: its interface, self, location, postMessage,
//	                    timers, queueMicrotask, reportError, console
//	40-49               Blob, File, FileReader (the codec's)

// surfacePrefix starts the names of the surface's files in stacks.
const surfacePrefix = "entangle:"

//go:embed js/*.js
var surfaceFiles embed.FS

// surface holds the compiled files, shared by every realm of the process.
var surface struct {
	once  sync.Once
	progs []*goja.Program
	err   error
}

// surfacePrograms compiles the files once per process.
func surfacePrograms() ([]*goja.Program, error) {
	surface.once.Do(func() {
		entries, err := fs.ReadDir(surfaceFiles, "js")
		if err != nil {
			surface.err = err
			return
		}
		for _, e := range entries {
			b, err := surfaceFiles.ReadFile("js/" + e.Name())
			if err != nil {
				surface.err = err
				return
			}
			p, err := goja.Compile(surfacePrefix+e.Name(), string(b), false)
			if err != nil {
				surface.err = fmt.Errorf("script: the web surface does not compile: %w", err)
				return
			}
			surface.progs = append(surface.progs, p)
		}
	})
	return surface.progs, surface.err
}

// install runs the surface's files in the realm.
func (r *realm) install(host, internal *goja.Object) error {
	progs, err := surfacePrograms()
	if err != nil {
		return err
	}
	for _, p := range progs {
		v, err := r.rt.RunProgram(p)
		if err != nil {
			return err
		}
		fn, ok := goja.AssertFunction(v)
		if !ok {
			return fmt.Errorf("script: a file of the web surface is not a function expression")
		}
		if _, err := fn(goja.Undefined(), host, internal); err != nil {
			return fmt.Errorf("script: installing the web surface: %w", err)
		}
	}
	return nil
}

// jsFuncs are the functions of internal that Go calls.
type jsFuncs struct {
	makePort, isPort                         goja.Callable
	messageEvent, errorEvent, rejectionEvent goja.Callable
	plainEvent                               goja.Callable
	uaFire, uaList, uaInvoke, uaEnd          goja.Callable
	dispatch                                 goja.Callable
	domException, windowProxy, describe      goja.Callable
	within                                   goja.Callable
}

// bind finds the functions of internal that Go calls.
func (f *jsFuncs) bind(internal *goja.Object) error {
	for name, dst := range map[string]*goja.Callable{
		"makePort": &f.makePort, "isPort": &f.isPort,
		"messageEvent": &f.messageEvent, "errorEvent": &f.errorEvent, "rejectionEvent": &f.rejectionEvent,
		"plainEvent": &f.plainEvent,
		"uaFire":     &f.uaFire, "uaList": &f.uaList, "uaInvoke": &f.uaInvoke, "uaEnd": &f.uaEnd,
		"dispatch":     &f.dispatch,
		"domException": &f.domException, "windowProxy": &f.windowProxy, "describe": &f.describe,
		"within": &f.within,
	} {
		fn, ok := goja.AssertFunction(internal.Get(name))
		if !ok {
			return fmt.Errorf("script: the web surface has no internal.%s", name)
		}
		*dst = fn
	}
	return nil
}
