// Package mapgroup tells whether a Go map is one group of slots: at most
// eight entries, never more, and not made with a size hint for more. The runtime's own copy of a map
// (maps.Clone) copies its tables as they are, and Go maps never shrink, so
// a map made with a large size hint, or that once held many entries, has a
// copy as large as its table; the copy of a map of one group is that group,
// what a map made for its entries holds. The messages package (a Go map
// with string or integer keys and flat values, a struct's labels say) and
// the ports package (a posted map[string]any of two to eight primitives)
// copy such maps whole, and others entry by entry into a map sized for
// them.
//
// It reads the head of the runtime's map (internal/runtime/maps.Map since
// Go 1.24), checked once on maps of known shapes: on a runtime that lays
// its maps out otherwise, Known is false and Single reports no map, so that
// every map is copied entry by entry.
package mapgroup
