// Package quiet is the private link from package actors to package
// actors/actorstest: the test helpers reach a plugin's counters through
// these functions, which actors sets in its init. Their argument is an
// *actors.Plugin (this package cannot name the type without an import
// cycle). Nothing here is part of either package's public API.
package quiet

import "context"

// Wait is actorstest.WaitQuiet.
var Wait func(ctx context.Context, plugin any) error

// Activity is actorstest.Activity.
var Activity func(plugin any) uint64
