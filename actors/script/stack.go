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
	saved []goja.Value  // the stack goja grew last, cleared
	used  int           // how much of saved the calls used
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
// it has none.
func (k *stackKeep) before() {
	if k.live != nil && *k.live == nil && k.saved != nil {
		*k.live = k.saved[:0]
	}
}

// during runs inside a call: it keeps the stack as goja has grown it.
func (k *stackKeep) during() {
	if k.live != nil {
		if s := *k.live; s != nil {
			k.saved = s
			k.used = max(k.used, len(s))
		}
	}
}

// after runs once an outermost call returned: the slots the calls used
// (all of them, if no nested call said how many) are cleared, so that the
// kept stack holds on to none of their values.
func (k *stackKeep) after() {
	n := k.used
	if n == 0 {
		n = cap(k.saved)
	}
	clear(k.saved[:n])
	k.used = 0
}
