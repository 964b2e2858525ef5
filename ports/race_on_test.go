//go:build race

package ports

// raceBuild is set when the tests run under the race detector, which
// makes sync.Pool drop some of what it is given, on purpose.
const raceBuild = true
