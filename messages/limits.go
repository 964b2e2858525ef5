package messages

// Default decode limits, used by UnmarshalBinary and by DecodeRecord unless
// an option changes them.
const (
	// DefaultMaxDepth is the deepest nesting of values a record may have
	// (the root is at depth 1). Serialize refuses values whose record
	// would be nested deeper.
	DefaultMaxDepth = 10000
	// DefaultMaxBytes is the largest input DecodeRecord accepts, in bytes
	// (64 MiB). Deserialize of a decoded record may also allocate at most
	// 16 times this much for the new value, and at most about 32 times the
	// record's own size plus 1 MiB.
	DefaultMaxBytes = 64 << 20
	// DefaultMaxElements is the largest number of nodes (values, container
	// headers and type-table entries) a decoded record may have.
	DefaultMaxElements = 1 << 20

	allocationFactor = 16
	// A record of n bytes may make Deserialize allocate about
	// inputFactor*n + budgetSlack bytes (never more than allocationFactor
	// times the WithMaxBytes limit): enough for the densest real records
	// (a Set entry costs 64 bytes and takes 2 bytes of input), while a few
	// hostile bytes naming a huge array or struct type cannot make it
	// allocate gigabytes.
	inputFactor = 32
	budgetSlack = 1 << 20
)

// allocationBudget returns how many bytes Deserialize may allocate for a
// record of n bytes decoded under a WithMaxBytes limit of maxBytes.
func allocationBudget(n, maxBytes int) int64 {
	return min(int64(maxBytes)*allocationFactor, int64(n)*inputFactor+budgetSlack)
}

// DecodeOption sets a limit of DecodeRecord. Exceeding a limit is an error
// that matches both ErrDataClone and ErrLimitExceeded.
type DecodeOption func(*decodeConfig)

type decodeConfig struct {
	maxDepth    int
	maxBytes    int
	maxElements int
}

func defaultDecodeConfig() decodeConfig {
	return decodeConfig{maxDepth: DefaultMaxDepth, maxBytes: DefaultMaxBytes, maxElements: DefaultMaxElements}
}

// WithMaxDepth sets the deepest nesting a record may have (default
// DefaultMaxDepth). n <= 0 means the default.
func WithMaxDepth(n int) DecodeOption {
	return func(c *decodeConfig) {
		if n > 0 {
			c.maxDepth = n
		}
	}
}

// WithMaxBytes sets the largest input accepted, in bytes (default
// DefaultMaxBytes); Deserialize of the decoded record may allocate at most
// 16 times as much (and at most about 32 times the record's own size plus
// 1 MiB). n <= 0 means the default.
func WithMaxBytes(n int) DecodeOption {
	return func(c *decodeConfig) {
		if n > 0 {
			c.maxBytes = n
		}
	}
}

// WithMaxElements sets the largest number of nodes and type-table entries
// a record may have (default DefaultMaxElements). n <= 0 means the default.
func WithMaxElements(n int) DecodeOption {
	return func(c *decodeConfig) {
		if n > 0 {
			c.maxElements = n
		}
	}
}
