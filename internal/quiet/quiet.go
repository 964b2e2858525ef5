package quiet

import "context"

// Wait is actorstest.WaitQuiet.
var Wait func(ctx context.Context, plugin any) error

// Activity is actorstest.Activity.
var Activity func(plugin any) uint64
