package script

import (
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
)

// goja drops its value stack when an outermost call returns (after the
// microtask checkpoint), so the next call, one per message, grows a new
// one from nothing: several slices a message, about half the bytes the
// engine allocates for it. stackKeep hands the stack goja last grew back
// to it before an outermost call, as if the realm's calls were nested in
// one long call (within one call goja reuses its stack the same way:
// a frame finds the slots of an earlier frame and overwrites them).
//
// The stack is a field goja does not export; stackKeep finds it by
// reflection on the pinned version. If a version of goja lays it out
// differently, stackKeep finds nothing and does nothing: the realm works
// as before, only slower.
type stackKeep struct {
	live  *[]goja.Value // goja's stack field; nil if it was not found
	saved []goja.Value  // the stack goja grew last
}

// newStackKeep finds the value stack of rt.
func newStackKeep(rt *goja.Runtime) stackKeep {
	vm := reflect.ValueOf(rt).Elem().FieldByName("vm")
	if !vm.IsValid() || vm.Kind() != reflect.Pointer || vm.IsNil() {
		return stackKeep{}
	}
	f := vm.Elem().FieldByName("stack")
	if !f.IsValid() || f.Kind() != reflect.Slice || f.Type().Elem() != reflect.TypeFor[goja.Value]() {
		return stackKeep{}
	}
	return stackKeep{live: (*[]goja.Value)(unsafe.Pointer(f.UnsafeAddr()))}
}

// before runs before an outermost call: goja gets the kept stack back if
// it has none (after an interrupted call goja keeps its own).
func (k *stackKeep) before() {
	if k.live != nil && *k.live == nil && k.saved != nil {
		*k.live = k.saved[:0]
	}
}

// during runs inside a call (when a nested call returns): it keeps the
// stack as goja has grown it so far.
func (k *stackKeep) during() {
	if k.live != nil {
		if s := *k.live; s != nil {
			k.saved = s
		}
	}
}

// after runs once an outermost call returned. goja has dropped its stack
// then, and the kept one is cleared whole (the microtasks goja ran last
// went deeper than any nested call saw), so that it holds on to none of
// the call's values. If goja still has a stack (an interrupted call
// leaves it; so would an outermost call made while goja runs, which the
// realm never makes), it is goja's, and is left alone.
func (k *stackKeep) after() {
	if k.live == nil || *k.live != nil {
		return
	}
	clear(k.saved[:cap(k.saved)])
}
